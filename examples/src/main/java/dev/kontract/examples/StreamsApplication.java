package dev.kontract.examples;

import dev.kontract.serde.ContractSerde;
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
 * as v2 whatever version wrote it (v1 history is upgraded on the way in) and writing v2.
 * Run: {@code StreamsApplication host:port}.
 */
public final class StreamsApplication {

    private StreamsApplication() {}

    public static Topology topology(String input, String output, String country) {
        ContractSerde<GenericRecord> accounts = ContractSerde.configured(Map.of(
                "contract.product", "customer.accounts",
                "contract.reader.version", "2",
                "contract.version", "2"));
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), accounts))
                .filter((id, account) -> country.equals(String.valueOf(account.get("country"))))
                .to(output, Produced.with(Serdes.String(), accounts));
        return builder.build();
    }

    public static void main(String[] args) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "accounts-by-country");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args.length > 0 ? args[0] : "localhost:9092");
        KafkaStreams streams = new KafkaStreams(topology("customer.accounts", "customer.accounts.de", "DE"), config);
        Runtime.getRuntime().addShutdownHook(new Thread(streams::close));
        streams.start();
    }
}
