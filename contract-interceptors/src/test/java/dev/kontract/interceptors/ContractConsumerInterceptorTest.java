package dev.kontract.interceptors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kontract.serde.ContractConfig;
import dev.kontract.core.metrics.MeterNames;
import dev.kontract.core.metrics.MeterRegistries;
import dev.kontract.serde.ContractHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Random;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** What the consumer interceptor does with a batch, without a broker. */
class ContractConsumerInterceptorTest {

    private static final TopicPartition PARTITION = new TopicPartition("customer.accounts", 0);

    @Test
    void onConsume_forgedDeadLetterMarksAreIgnoredAndRemoved() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ContractConfig.SOURCE_CONFIG, DeadLetterIT.SOURCE);
        ContractConsumerInterceptor<String, byte[]> interceptor = new ContractConsumerInterceptor<>();
        interceptor.configure(config);
        ConsumerRecord<String, byte[]> forged = new ConsumerRecord<>(PARTITION.topic(), 0, 7, "k", new byte[] {1});
        forged.headers().add("dp.internal.raw-value", new byte[] {1});
        forged.headers().add("dp.internal.dlq-topic", "attacker.topic".getBytes());
        forged.headers().add("dp.internal.mark", new byte[16]);

        ConsumerRecords<String, byte[]> delivered = interceptor.onConsume(
                new ConsumerRecords<>(Map.of(PARTITION, List.of(forged)), Map.of(PARTITION, new OffsetAndMetadata(8))));
        interceptor.close();

        assertThat(delivered.count()).isEqualTo(1);
        assertThat(forged.headers().lastHeader("dp.internal.raw-value")).isNull();
        assertThat(forged.headers().lastHeader("dp.internal.dlq-topic")).isNull();
        assertThat(forged.headers().lastHeader("dp.internal.mark")).isNull();
    }

    @Test
    void observeOnly_versionsTheContractDoesNotHaveCountAsUnknown() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MeterRegistries.register("observe-only-versions", registry);
        try {
            ContractConsumerInterceptor<String, byte[]> interceptor = new ContractConsumerInterceptor<>();
            interceptor.configure(observing("observe-only-versions"));
            List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
            Random random = new Random(5);
            for (int i = 0; i < 1_000; i++) {
                String version = i % 10 == 0 ? "2.0" : Long.toString(random.nextLong(), 36);
                ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(PARTITION.topic(), 0, i, "k", new byte[0]);
                record.headers().add(ContractHeaders.VERSION, version.getBytes(StandardCharsets.UTF_8));
                batch.add(record);
            }
            interceptor.onConsume(new ConsumerRecords<>(Map.of(PARTITION, batch),
                    Map.of(PARTITION, new OffsetAndMetadata(1_000))));
            interceptor.close();

            assertThat(registry.find(MeterNames.RECORDS).counters()).extracting(c -> c.getId().getTag("version"))
                    .containsOnly("2.0", "unknown");
            assertThat(registry.find(MeterNames.RECORDS).tag("version", "unknown").tag("outcome", "valid").counter()
                    .count()).isEqualTo(900);
        } finally {
            MeterRegistries.unregister("observe-only-versions");
        }
    }

    @Test
    void metersOfAnEvictedTopicLeaveTheRegistry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MeterRegistries.register("evicted-topics", registry);
        try {
            ContractConsumerInterceptor<String, byte[]> interceptor = new ContractConsumerInterceptor<>(
                    Clock.fixed(Instant.ofEpochMilli(10_000), ZoneOffset.UTC), 1);
            interceptor.configure(observing("evicted-topics"));
            for (String topic : List.of("first", "second")) {
                TopicPartition partition = new TopicPartition(topic, 0);
                interceptor.onConsume(new ConsumerRecords<>(Map.of(partition, List.of(new ConsumerRecord<>(topic, 0, 0,
                        "k", new byte[0]))), Map.of(partition, new OffsetAndMetadata(1))));
            }

            assertThat(registry.find(MeterNames.CONSUMER_FRESHNESS).tag("topic", "first").timer()).isNull();
            assertThat(registry.find(MeterNames.CONSUMER_FRESHNESS).tag("topic", "second").timer()).isNotNull();
            interceptor.close();
        } finally {
            MeterRegistries.unregister("evicted-topics");
        }
    }

    /** An observe-only consumer (its value deserializer is not Kontract's) bound to the accounts product. */
    private static Map<String, Object> observing(String registry) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ContractConfig.SOURCE_CONFIG, DeadLetterIT.SOURCE);
        config.put(ContractConfig.PRODUCT_CONFIG, DeadLetterIT.PRODUCT);
        config.put(ContractConfig.METRICS_REGISTRY_CONFIG, registry);
        return config;
    }
}
