package dev.kontract.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kontract.testkit.KafkaBroker;
import dev.kontract.testkit.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A Kafka Streams topology with ContractSerde reads v1 records as v2 and writes them as v2. */
@ExtendWith(KafkaBrokerExtension.class)
class StreamsIT {

    private static final String PRODUCT = "customer.accounts.avro";

    @TempDir
    Path stateDir;

    @Test
    void topologyReadsV1AndWritesV2(KafkaBroker broker) throws Exception {
        String input = Clients.uniqueTopic("streams-in");
        String output = Clients.uniqueTopic("streams-out");
        broker.createTopic(input, 1);
        broker.createTopic(output, 1);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(Clients.producer(broker, Map.of(
                ContractConfig.PRODUCT_CONFIG, PRODUCT, ContractConfig.VERSION_CONFIG, "1.0")))) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(input, "id-" + i, StoryFixtures.record("avro", "1.0", i, "FR")));
            }
            producer.flush();
        }

        ContractSerde<GenericRecord> serde = ContractSerde.configured(Map.of(
                ContractConfig.PRODUCT_CONFIG, PRODUCT,
                ContractConfig.READER_VERSION_CONFIG, "2",
                ContractConfig.VERSION_CONFIG, "2"));
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), serde))
                .filter((key, account) -> account.get("national_id") != null)
                .to(output, Produced.with(Serdes.String(), serde));
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, Clients.uniqueTopic("app"));
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(stateDir).toString());
        properties.put("consumer.auto.offset.reset", "earliest");
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);

        List<ConsumerRecord<String, Object>> records;
        try (KafkaStreams streams = new KafkaStreams(builder.build(), properties)) {
            streams.start();
            records = Clients.consumeAll(Clients.consumer(broker, Map.of(ContractConfig.PRODUCT_CONFIG, PRODUCT,
                    ContractConfig.READER_VERSION_CONFIG, "2.1")), output, 10);
            streams.close(Duration.ofSeconds(10));
        }

        assertThat(records).hasSize(10);
        for (ConsumerRecord<String, Object> record : records) {
            int person = Integer.parseInt(record.key().substring(3));
            assertThat(FormatStoryIT.header(record, ContractHeaders.VERSION)).isEqualTo("2.1");
            assertThat(StoryFixtures.viewOf("avro", "2.1", record.value())).isEqualTo(StoryFixtures.view(2, person, "FR"));
        }
    }
}
