package dev.kontract.core.internal.topic;

import dev.kontract.core.load.ContractBundle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/** The contracts topic's records, and reading the topic to its end: what its writer and readers share. */
public final class ContractTopic {

    /** The contracts topic of {@code contract.source=kafka:} and {@code kontract publish}. */
    public static final String DEFAULT_TOPIC = "_kontract.contracts";

    private ContractTopic() {}

    /** The record that publishes {@code bundle}: keyed by its product. */
    public static ProducerRecord<byte[], byte[]> record(String topic, ContractBundle bundle) {
        return new ProducerRecord<>(topic, bundle.product().getBytes(StandardCharsets.UTF_8), bundle.toBytes());
    }

    /** The product a record is keyed by, or {@code null}. */
    public static String product(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    /** Where a record sits, as messages name it: {@code topic-partition@offset}. */
    public static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /**
     * Assigns {@code consumer} every partition of {@code topic}, from the beginning.
     *
     * @return the partitions, none when the topic does not exist
     * @throws TimeoutException when the cluster does not answer within {@code timeout}
     */
    public static List<TopicPartition> assignFromBeginning(KafkaConsumer<byte[], byte[]> consumer, String topic,
            Duration timeout) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    /**
     * Polls until {@code consumer} has passed the end offsets its partitions have now, handing each record
     * to {@code each}.
     *
     * @throws TimeoutException when that takes longer than {@code timeout}
     */
    public static void readToEnd(KafkaConsumer<byte[], byte[]> consumer, Duration timeout,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), timeout);
        while (ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey(), timeout) < end.getValue())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("could not read " + ends.keySet() + " to the end offsets " + ends.values()
                        + " within " + timeout.toMillis() + " ms");
            }
            consumer.poll(Duration.ofNanos(Math.min(left, Duration.ofMillis(200).toNanos()))).forEach(each);
        }
    }
}
