package dev.kontract.interceptors;

import dev.kontract.serde.ContractHeaders;
import dev.kontract.serde.internal.DeadLetterMark;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer half of Kontract's interceptors ({@code interceptor.classes}).
 *
 * <p>It completes dead-lettering on the consumer: {@code ContractDeserializer} marks the records it
 * rejects (it cannot drop them, nor see their partition and offset); this interceptor sends each to
 * the dead-letter topic with the original key, the raw value, the original headers and the
 * {@code dp.error.*} headers including partition and offset, waits until the dead-letter topic has
 * them, and only then removes them from what {@code poll()} returns. The application's poll loop
 * never sees them and is never wedged by one.
 *
 * <p>If the dead-letter topic cannot be written, nothing is dropped: the rejected records stay in the
 * batch, with a {@code null} value, their {@code dp.error.*} headers and
 * {@code dp.error.dlq} saying why the dead-letter write failed, and the failure is logged.
 */
public final class ContractConsumerInterceptor<K, V> implements ConsumerInterceptor<K, V> {

    /** Set on a rejected record that could not be dead-lettered: why. */
    public static final String DLQ_FAILURE_HEADER = "dp.error.dlq";

    private static final Logger LOG = LoggerFactory.getLogger(ContractConsumerInterceptor.class);

    private DeadLetterProducer deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        this.deadLetters = new DeadLetterProducer(configs);
    }

    @Override
    public ConsumerRecords<K, V> onConsume(ConsumerRecords<K, V> records) {
        List<ConsumerRecord<K, V>> rejected = null;
        for (ConsumerRecord<K, V> record : records) {
            if (DeadLetterMark.isMarked(record.headers())) {
                if (rejected == null) {
                    rejected = new ArrayList<>();
                }
                rejected.add(record);
            }
        }
        if (rejected == null) {
            return records;
        }
        List<ConsumerRecord<K, V>> delivered = deadLetter(rejected);
        return without(records, delivered);
    }

    /** Sends the rejected records to their dead-letter topics; returns those the topics acknowledged. */
    private List<ConsumerRecord<K, V>> deadLetter(List<ConsumerRecord<K, V>> rejected) {
        List<Future<?>> sends = new ArrayList<>(rejected.size());
        for (ConsumerRecord<K, V> record : rejected) {
            try {
                sends.add(deadLetters.send(toDeadLetter(record)));
            } catch (RuntimeException e) {
                sends.add(java.util.concurrent.CompletableFuture.failedFuture(e));
            }
        }
        List<ConsumerRecord<K, V>> delivered = new ArrayList<>(rejected.size());
        for (int i = 0; i < rejected.size(); i++) {
            ConsumerRecord<K, V> record = rejected.get(i);
            try {
                sends.get(i).get();
                delivered.add(record);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                keep(record, e);
            } catch (ExecutionException e) {
                keep(record, e.getCause());
            }
        }
        return delivered;
    }

    private ProducerRecord<byte[], byte[]> toDeadLetter(ConsumerRecord<K, V> record) {
        Headers headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!DeadLetterMark.isInternal(header.key())) {
                headers.add(header);
            }
        }
        headers.add(ContractHeaders.ERROR_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(ContractHeaders.ERROR_OFFSET, utf8(Long.toString(record.offset())));
        byte[] key = deadLetters.keyBytes(record.topic(), record.headers(), record.key());
        return new ProducerRecord<>(DeadLetterMark.dlqTopic(record.headers()), null, record.timestamp(), key,
                DeadLetterMark.rawValue(record.headers()), headers);
    }

    private void keep(ConsumerRecord<K, V> record, Throwable failure) {
        String reason = "cannot write to dead-letter topic " + DeadLetterMark.dlqTopic(record.headers()) + ": " + failure;
        LOG.error("Rejected record of topic {} partition {} offset {} is delivered with a null value: {}",
                record.topic(), record.partition(), record.offset(), reason);
        record.headers().add(DLQ_FAILURE_HEADER, utf8(reason));
    }

    private static <K, V> ConsumerRecords<K, V> without(ConsumerRecords<K, V> records,
            List<ConsumerRecord<K, V>> removed) {
        if (removed.isEmpty()) {
            return records;
        }
        java.util.Set<ConsumerRecord<K, V>> drop = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        drop.addAll(removed);
        Map<TopicPartition, List<ConsumerRecord<K, V>>> kept = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<K, V>> list = new ArrayList<>();
            for (ConsumerRecord<K, V> record : records.records(partition)) {
                if (!drop.contains(record)) {
                    list.add(record);
                }
            }
            kept.put(partition, list);
        }
        Map<TopicPartition, OffsetAndMetadata> nextOffsets = records.nextOffsets();
        return new ConsumerRecords<>(kept, nextOffsets);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        // lag and freshness reporting arrive in a later change
    }

    @Override
    public void close() {
        if (deadLetters != null) {
            deadLetters.close();
        }
    }
}
