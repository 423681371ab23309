package dev.kontract.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kontract.core.ContractViolationException;
import dev.kontract.core.metrics.MeterNames;
import dev.kontract.core.metrics.MeterRegistries;
import dev.kontract.testkit.KafkaBroker;
import dev.kontract.testkit.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Poison bytes under {@code contract.read.failure=fail}: the consumer gets Kafka's
 * RecordDeserializationException naming topic, partition and offset, again on every poll until the
 * application seeks past it; nothing is skipped silently.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ReadFailureIT {

    private static final String PRODUCT = "customer.accounts.avro";

    @Test
    void poisonBytesFailThePollAtTheirOffsetUntilSkipped(KafkaBroker broker) throws Exception {
        String topic = Clients.uniqueTopic("poison-fail");
        broker.createTopic(topic, 1);
        writeGood(broker, topic, 0, 2);
        writeRaw(broker, topic, new byte[] {1, 2, 3}, null);
        writeRaw(broker, topic, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}, "2.0");
        writeGood(broker, topic, 2, 2);

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MeterRegistries.register(topic, registry);
        Map<String, Object> config = Clients.consumer(broker, Map.of(ContractConfig.PRODUCT_CONFIG, PRODUCT,
                ContractConfig.METRICS_REGISTRY_CONFIG, topic));
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));

            List<ConsumerRecord<String, Object>> before = Clients.consume(consumer, 2, Duration.ofSeconds(30));
            RecordDeserializationException missingHeader = pollFails(consumer);
            RecordDeserializationException again = pollFails(consumer);
            consumer.seek(partition, missingHeader.offset() + 1);
            RecordDeserializationException undecodable = pollFails(consumer);
            consumer.seek(partition, undecodable.offset() + 1);
            List<ConsumerRecord<String, Object>> after = Clients.consume(consumer, 2, Duration.ofSeconds(30));

            assertThat(before).extracting(ConsumerRecord::key).containsExactly("id-0", "id-1");
            assertThat(missingHeader.topicPartition()).isEqualTo(partition);
            assertThat(missingHeader.offset()).isEqualTo(2);
            assertThat(missingHeader.getMessage()).isEqualTo("Error deserializing VALUE for partition " + topic
                    + "-0 at offset 2. If needed, please seek past the record to continue consumption.");
            assertThat(missingHeader.getCause()).isInstanceOf(ContractViolationException.class).hasMessage(
                    "Contract DECODE failure for " + PRODUCT + " on topic " + topic + ", rule headers: the record has no"
                            + " dp.version header (it was not written through Kontract)");
            assertThat(again.offset()).as("the same record fails again: it is never skipped").isEqualTo(2);
            assertThat(undecodable.offset()).isEqualTo(3);
            assertThat(undecodable.getCause()).isInstanceOf(ContractViolationException.class)
                    .hasMessageStartingWith("Contract DECODE failure for " + PRODUCT + " 2.0 on topic " + topic
                            + ", rule decode: cannot decode bytes written as 2.0: not Avro binary of this schema");
            assertThat(after).extracting(ConsumerRecord::key).containsExactly("id-2", "id-3");
            assertThat(failed(registry, "unknown")).as("read twice, counted once").isEqualTo(1);
            assertThat(failed(registry, "2.0")).isEqualTo(1);
        } finally {
            MeterRegistries.unregister(topic);
        }
    }

    private static double failed(SimpleMeterRegistry registry, String version) {
        return registry.find(MeterNames.RECORDS).tag("version", version).tag("outcome", "failed").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    @Test
    void unknownVersionAndForeignProductAreNamed(KafkaBroker broker) throws Exception {
        String topic = Clients.uniqueTopic("poison-version");
        broker.createTopic(topic, 1);
        writeRaw(broker, topic, new byte[] {0}, "9.0");
        writeRaw(broker, topic, new byte[] {0}, "orders.placed", "1.0");

        Map<String, Object> config = Clients.consumer(broker, Map.of(ContractConfig.PRODUCT_CONFIG, PRODUCT));
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            RecordDeserializationException unknownVersion = pollFails(consumer);
            consumer.seek(partition, unknownVersion.offset() + 1);
            RecordDeserializationException foreignProduct = pollFails(consumer);

            assertThat(unknownVersion.getCause()).hasMessage("Contract DECODE failure for " + PRODUCT + " 9.0 on topic "
                    + topic + ", rule headers: the record was written as version 9.0, which the contract does not have"
                    + " (it has 1.0, 2.0, 2.1, 3.0)");
            assertThat(foreignProduct.offset()).isEqualTo(1);
            assertThat(foreignProduct.getCause()).hasMessage("Contract DECODE failure for " + PRODUCT + " 1.0 on topic "
                    + topic + ", rule headers: the record belongs to product orders.placed, not " + PRODUCT);
        }
    }

    private static RecordDeserializationException pollFails(KafkaConsumer<String, Object> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            RecordDeserializationException error = catchThrowableOfType(RecordDeserializationException.class,
                    () -> assertThat(consumer.poll(Duration.ofMillis(200))).as("records past the poison").isEmpty());
            if (error != null) {
                return error;
            }
        }
        throw new AssertionError("poll() did not fail on the poison record");
    }

    static void writeGood(KafkaBroker broker, String topic, int from, int count) throws Exception {
        Map<String, Object> config = Clients.producer(broker, Map.of(ContractConfig.PRODUCT_CONFIG, PRODUCT,
                ContractConfig.VERSION_CONFIG, "2.1"));
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(topic, "id-" + i, StoryFixtures.record("avro", "2.1", i, "DE"))).get();
            }
        }
    }

    static void writeRaw(KafkaBroker broker, String topic, byte[] value, String version) throws Exception {
        writeRaw(broker, topic, value, PRODUCT, version);
    }

    static void writeRaw(KafkaBroker broker, String topic, byte[] value, String product, String version)
            throws Exception {
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        RecordHeaders headers = new RecordHeaders();
        if (version != null) {
            headers.add(ContractHeaders.PRODUCT, product.getBytes(StandardCharsets.UTF_8));
            headers.add(ContractHeaders.VERSION, version.getBytes(StandardCharsets.UTF_8));
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, null, "poison", value, headers)).get();
        }
    }
}
