package dev.kontract.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The broker fixture's own check, written once and run against each kind of broker. */
@ExtendWith(KafkaBrokerExtension.class)
abstract class BrokerRoundTripScenarios {

    @Test
    void recordRoundTripsThroughAConsumerGroup(KafkaBroker broker) throws Exception {
        String topic = "round-trip-" + UUID.randomUUID();
        broker.createTopic(topic, 2);

        Map<String, Object> producerConfig = new HashMap<>(broker.clientConfig());
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        RecordMetadata written;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            written = producer.send(new ProducerRecord<>(topic, "key-1", "hello, broker")).get();
        }

        Map<String, Object> consumerConfig = new HashMap<>(broker.clientConfig());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "group-" + topic);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
            consumer.commitSync();
        }

        assertThat(received).hasSize(1);
        ConsumerRecord<String, String> record = received.get(0);
        assertThat(record.key()).isEqualTo("key-1");
        assertThat(record.value()).isEqualTo("hello, broker");
        assertThat(record.partition()).isEqualTo(written.partition());
        assertThat(record.offset()).isEqualTo(written.offset());
        try (var admin = broker.admin()) {
            var committed = admin.listConsumerGroupOffsets("group-" + topic).partitionsToOffsetAndMetadata().get();
            assertThat(committed.values()).extracting(o -> o.offset()).contains(written.offset() + 1);
        }
    }
}
