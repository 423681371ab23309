package dev.kontract.serde;

import dev.kontract.testkit.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Client configs and a bounded consume loop for the integration tests. */
public final class Clients {

    private Clients() {}

    public static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A producer config with String keys and ContractSerializer values, plus {@code extra}. */
    public static Map<String, Object> producer(KafkaBroker broker, Map<String, ?> extra) {
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ContractSerializer.class);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.putAll(extra);
        return config;
    }

    /**
     * A consumer config reading from the start with String keys (through ContractKeyDeserializer, so that
     * dead letters carry the key bytes) and ContractDeserializer values, plus {@code extra}.
     */
    public static Map<String, Object> consumer(KafkaBroker broker, Map<String, ?> extra) {
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "group-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ContractKeyDeserializer.class);
        config.put(ContractConfig.KEY_DESERIALIZER_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ContractDeserializer.class);
        config.putAll(extra);
        return config;
    }

    /**
     * Polls until {@code expected} records arrived or {@code timeout} passed; returns what arrived.
     * Exceptions from {@code poll()} propagate.
     */
    public static <K, V> List<ConsumerRecord<K, V>> consume(KafkaConsumer<K, V> consumer, int expected, Duration timeout) {
        List<ConsumerRecord<K, V>> received = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < expected && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(received::add);
        }
        return received;
    }

    /** Subscribes, consumes {@code expected} records (or what arrives in 30 s) and closes. */
    public static <V> List<ConsumerRecord<String, V>> consumeAll(Map<String, Object> config, String topic, int expected) {
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            return consume(consumer, expected, Duration.ofSeconds(30));
        }
    }
}
