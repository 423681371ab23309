package dev.kontract.examples;

import dev.kontract.serde.ContractDeserializationExceptionHandler;
import dev.kontract.serde.ContractProductionExceptionHandler;
import dev.kontract.serde.ContractSerde;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A Kafka Streams app that keeps the accounts of one country, reading {@code customer.accounts}
 * as v2 whatever version wrote it (v1 history is upgraded on the way in) and writing v2. Records
 * it cannot read go to the product's dead-letter topic through Kontract's Streams exception
 * handlers, and the app goes on. Run: {@code StreamsApplication host:port}.
 */
public final class StreamsApplication {

    private StreamsApplication() {}

    /** The Streams config, with the {@code contract.*} keys the serde reads from it. */
    public static Map<String, Object> config(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "accounts-by-country");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                ContractDeserializationExceptionHandler.class);
        config.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ContractProductionExceptionHandler.class);
        config.put("contract.product", "customer.accounts");
        config.put("contract.reader.version", "2");
        config.put("contract.version", "2");
        config.put("contract.read.failure", "dlq");
        return config;
    }

    public static Topology topology(Map<String, ?> config, String input, String output, String country) {
        ContractSerde<GenericRecord> accounts = ContractSerde.configured(config);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), accounts))
                .filter((id, account) -> country.equals(String.valueOf(account.get("country"))))
                .to(output, Produced.with(Serdes.String(), accounts));
        return builder.build();
    }

    public static void main(String[] args) {
        Map<String, Object> config = config(args.length > 0 ? args[0] : "localhost:9092");
        Properties properties = new Properties();
        properties.putAll(config);
        KafkaStreams streams = new KafkaStreams(topology(config, "customer.accounts", "customer.accounts.de", "DE"),
                properties);
        Runtime.getRuntime().addShutdownHook(new Thread(streams::close));
        streams.start();
    }
}
