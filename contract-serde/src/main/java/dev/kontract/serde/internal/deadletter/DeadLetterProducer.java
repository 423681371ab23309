package dev.kontract.serde.internal.deadletter;

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
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The dead-letter producer of one consumer: byte arrays in and out, {@code acks=all} and idempotent,
 * with the consumer's connection and security settings. It is created on first use and sized from
 * the records it sends: a record larger than its {@code max.request.size} replaces it with one twice
 * the record's size, so that any record the source topic accepted can be written. Dead letters are
 * compressed with zstd, so that a record that arrived in a compressed batch fits a topic with the
 * source topic's {@code max.message.bytes}. Its settings are checked when it is configured, with the
 * consumer, so that a mistake shows at {@code configure()} rather than at the first dead letter.
 */
final class DeadLetterProducer implements AutoCloseable {

    /** Consumer settings that are not the dead-letter producer's business. */
    private static final Set<String> NOT_INHERITED = Set.of(
            CommonClientConfigs.CLIENT_ID_CONFIG, ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            ProducerConfig.MAX_BLOCK_MS_CONFIG, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            ProducerConfig.BUFFER_MEMORY_CONFIG, ProducerConfig.COMPRESSION_TYPE_CONFIG);

    /** The smallest request size (Kafka's default); buffer memory is never less than Kafka's default either. */
    private static final int MIN_REQUEST_BYTES = 1 << 20;
    private static final long MIN_BUFFER_BYTES = 32L << 20;
    /** A record's size on the wire beyond its key, value and headers, generously. */
    private static final int RECORD_OVERHEAD_BYTES = 1024;

    private final Map<String, Object> producerConfig;
    private Producer<byte[], byte[]> producer;
    private int maxRequestBytes;

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
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producerConfig = config;
        try {
            new ProducerConfig(sized(MIN_REQUEST_BYTES));
        } catch (ConfigException e) {
            throw new ConfigException("The consumer's dead-letter producer takes the consumer's producer settings,"
                    + " and they do not make an idempotent producer: " + e.getMessage());
        }
    }

    private Map<String, Object> sized(int maxRequestBytes) {
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestBytes);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(MIN_BUFFER_BYTES, 2L * maxRequestBytes));
        return config;
    }

    /** Sends a dead letter; a send that cannot start returns a failed future rather than throwing. */
    synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        int size = sizeOf(record);
        if (producer == null || size > maxRequestBytes) {
            if (producer != null) {
                producer.close();
                producer = null;
            }
            int needed = (int) Math.min(Integer.MAX_VALUE, Math.max(MIN_REQUEST_BYTES, 2L * size));
            producer = new KafkaProducer<>(sized(needed));
            maxRequestBytes = needed;
        }
        return producer.send(record);
    }

    private static int sizeOf(ProducerRecord<byte[], byte[]> record) {
        long size = RECORD_OVERHEAD_BYTES + length(record.key()) + length(record.value());
        for (Header header : record.headers()) {
            size += header.key().length() * 3L + length(header.value()) + 16;
        }
        return (int) Math.min(Integer.MAX_VALUE / 2, size);
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }
}
