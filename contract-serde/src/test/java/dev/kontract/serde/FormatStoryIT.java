package dev.kontract.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kontract.serde.story.AccountV1;
import dev.kontract.serde.story.AccountV2;
import dev.kontract.serde.story.AccountV3;
import dev.kontract.testkit.KafkaBroker;
import dev.kontract.testkit.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * DESIGN.md's story on a real broker, once per format: producers write v1, v2 and v3 records to one
 * topic; consumers pinned to each major read every record, each in its own shape, values intact.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FormatStoryIT {

    private static final int PER_VERSION = 25;
    private static final List<String> WRITTEN = List.of("1.0", "2.0", "3.0");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"avro", "json", "proto"})
    void everyConsumerReadsEveryRecordInItsOwnShape(String format, KafkaBroker broker) throws Exception {
        String topic = Clients.uniqueTopic("story-" + format);
        broker.createTopic(topic, 3);
        Map<String, String> writtenVersion = new HashMap<>();
        for (String version : WRITTEN) {
            Map<String, Object> config = Clients.producer(broker, Map.of(
                    ContractConfig.PRODUCT_CONFIG, StoryFixtures.product(format),
                    ContractConfig.VERSION_CONFIG, version));
            try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
                for (int n = 0; n < PER_VERSION; n++) {
                    int person = writtenVersion.size();
                    Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(topic, "id-" + person,
                            StoryFixtures.record(format, version, person, "DE")));
                    writtenVersion.put("id-" + person, version);
                    if (n == PER_VERSION - 1) {
                        sent.get();
                    }
                }
            }
        }

        for (String reader : List.of("1", "2", "3")) {
            Map<String, Object> config = Clients.consumer(broker, Map.of(
                    ContractConfig.PRODUCT_CONFIG, StoryFixtures.product(format),
                    ContractConfig.READER_VERSION_CONFIG, reader));
            List<ConsumerRecord<String, Object>> records = Clients.consumeAll(config, topic, writtenVersion.size());

            assertThat(records).as("records read by the %s.x consumer", reader).hasSize(writtenVersion.size());
            String readerVersion = StoryFixtures.contract(format).resolve(reader).version().toString();
            for (ConsumerRecord<String, Object> record : records) {
                int person = Integer.parseInt(record.key().substring(3));
                assertThat(header(record, ContractHeaders.VERSION)).isEqualTo(writtenVersion.get(record.key()));
                assertThat(header(record, ContractHeaders.PRODUCT)).isEqualTo(StoryFixtures.product(format));
                assertThat(header(record, ContractHeaders.OWNER)).isEqualTo("accounts-team@example.com");
                assertThat(header(record, ContractHeaders.DOMAIN)).isEqualTo("customer");
                assertThat(record.value()).isInstanceOf(expectedType(format, reader));
                JsonNode view = StoryFixtures.viewOf(format, readerVersion, record.value());
                assertThat(view).as("person %d written as %s, read as %s", person, writtenVersion.get(record.key()),
                        readerVersion).isEqualTo(StoryFixtures.view(Integer.parseInt(reader), person, "DE"));
            }
        }
    }

    private static Class<?> expectedType(String format, String reader) {
        return switch (format) {
            case "avro" -> GenericRecord.class;
            case "json" -> JsonNode.class;
            default -> switch (reader) {
                case "1" -> AccountV1.class;
                case "2" -> AccountV2.class;
                default -> AccountV3.class;
            };
        };
    }

    static String header(ConsumerRecord<?, ?> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
