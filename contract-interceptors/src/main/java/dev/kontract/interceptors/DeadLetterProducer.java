package dev.kontract.interceptors;

import dev.kontract.serde.internal.ClientSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The dead-letter producer of one consumer: created on first use, byte arrays in and out,
 * {@code acks=all} and idempotent, with the consumer's connection and security settings. It also
 * turns the consumer's deserialized keys back into their bytes, with the serializer that matches the
 * consumer's key deserializer (Kafka's {@code FooDeserializer} has a {@code FooSerializer}).
 */
final class DeadLetterProducer implements AutoCloseable {

    /** Consumer settings that are not the dead-letter producer's business. */
    private static final Set<String> NOT_INHERITED = Set.of(
            CommonClientConfigs.CLIENT_ID_CONFIG, ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            ProducerConfig.MAX_BLOCK_MS_CONFIG, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);

    /**
     * How long one poll's dead letters may take in all. The producer's own timeouts are set to fit in
     * it, so a missing or refusing dead-letter topic cannot hold the poll thread past
     * {@code max.poll.interval.ms} (five minutes by default).
     */
    static final Duration BATCH_TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, Object> producerConfig;
    private final Serializer<Object> keySerializer;
    private final String keySerializerProblem;
    private Producer<byte[], byte[]> producer;

    DeadLetterProducer(Map<String, ?> consumerConfig) {
        Map<String, Object> config = new HashMap<>();
        Set<String> producerKeys = ProducerConfig.configNames();
        for (Map.Entry<String, ?> entry : consumerConfig.entrySet()) {
            if (producerKeys.contains(entry.getKey()) && !NOT_INHERITED.contains(entry.getKey())) {
                config.put(entry.getKey(), entry.getValue());
            }
        }
        Object clientId = consumerConfig.get(CommonClientConfigs.CLIENT_ID_CONFIG);
        if (clientId != null && !clientId.toString().isEmpty()) {
            config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId + "-dlq");
        }
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producerConfig = config;

        String name = ClientSettings.className(consumerConfig.get(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG));
        Serializer<Object> serializer = null;
        String problem = null;
        if (name == null) {
            problem = "the consumer config names no key.deserializer";
        } else if (!name.endsWith("Deserializer")) {
            problem = "no serializer matches key.deserializer " + name + " (expected a FooDeserializer with a FooSerializer)";
        } else {
            String serializerName = name.substring(0, name.length() - "Deserializer".length()) + "Serializer";
            try {
                @SuppressWarnings("unchecked")
                Serializer<Object> created = Utils.newInstance(serializerName, Serializer.class);
                created.configure(consumerConfig, true);
                serializer = created;
            } catch (ClassNotFoundException | KafkaException e) {
                problem = "no serializer " + serializerName + " matches key.deserializer " + name;
            }
        }
        this.keySerializer = serializer;
        this.keySerializerProblem = problem;
    }

    /** The bytes of a deserialized key, as they were on the source topic. */
    byte[] keyBytes(String topic, Headers headers, Object key) {
        if (key == null) {
            return null;
        }
        if (keySerializer == null) {
            throw new KafkaException("cannot rebuild the record key for the dead-letter topic: " + keySerializerProblem);
        }
        return keySerializer.serialize(topic, headers, key);
    }

    synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig);
        }
        return producer.send(record);
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
        if (keySerializer != null) {
            keySerializer.close();
        }
    }
}
