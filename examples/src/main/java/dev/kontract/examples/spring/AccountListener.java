package dev.kontract.examples.spring;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Opens customer accounts from {@code customer.accounts}, read as version 1.0 of the contract: every
 * record arrives as a 1.0 {@link GenericRecord} ({@code id}, {@code name}, {@code ssn}, {@code country}),
 * whatever version it was written as. Records the contract rejects never arrive. The service opens
 * accounts only in the countries it serves; for any other it throws, and Spring's error handler sends
 * the record to {@code <topic>-dlt} (see {@link SpringKafkaApplication}).
 */
@Component
public class AccountListener {

    /** Where this service opens accounts. */
    public static final Set<String> SERVED_COUNTRIES = Set.of("AT", "BE", "DE", "FR", "NL");

    private final List<ConsumerRecord<String, GenericRecord>> opened = new CopyOnWriteArrayList<>();

    @KafkaListener(id = "accounts", idIsGroup = false, topics = "${kontract.example.topic}")
    void onAccount(ConsumerRecord<String, GenericRecord> record) {
        String country = String.valueOf(record.value().get("country"));
        if (!SERVED_COUNTRIES.contains(country)) {
            throw new IllegalStateException("account " + record.key() + " is in " + country
                    + ", which this service does not serve");
        }
        opened.add(record);
    }

    /** The records of the accounts opened so far, in the order they arrived. */
    public List<ConsumerRecord<String, GenericRecord>> opened() {
        return List.copyOf(opened);
    }
}
