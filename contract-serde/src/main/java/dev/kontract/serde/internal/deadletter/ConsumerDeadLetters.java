package dev.kontract.serde.internal.deadletter;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kontract.core.metrics.ContractMeters;
import dev.kontract.core.metrics.RecordOutcome;
import dev.kontract.core.metrics.Side;
import dev.kontract.serde.ContractHeaders;
import dev.kontract.serde.internal.HeaderText;
import io.micrometer.core.instrument.Counter;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's side of dead-lettering (see the package description): takes the marked records out
 * of each poll once their dead-letter topics have them, and until then does not return.
 */
public final class ConsumerDeadLetters implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerDeadLetters.class);

    static final long FIRST_BACKOFF_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 5_000;
    /** How often a dead letter that keeps failing is logged again. */
    static final long REPORT_EVERY_MILLIS = 30_000;
    /** How many positions of written dead letters are remembered, so that a record read again is not written again. */
    static final int REMEMBERED_POSITIONS = 100_000;

    private final DeadLetterProducer producer;
    private final ContractMeters meters;
    private final Clock clock;
    private final long maxPollIntervalMillis;
    /** Whether the consumer commits its position by itself: then nothing may be left out of a poll. */
    private final boolean autoCommit;
    private final Cache<Position, Boolean> written = Caffeine.newBuilder().maximumSize(REMEMBERED_POSITIONS).build();
    private final Map<CounterKey, Counter> deadLettered = new ConcurrentHashMap<>();

    /**
     * The dead letters of one consumer, written with its connection and security settings.
     *
     * @throws org.apache.kafka.common.config.ConfigException when those settings make no idempotent producer
     */
    public ConsumerDeadLetters(Map<String, ?> consumerConfig, ContractMeters meters, Clock clock) {
        this.producer = new DeadLetterProducer(consumerConfig);
        this.meters = meters;
        this.clock = clock;
        Object interval = consumerConfig.get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
        this.maxPollIntervalMillis = interval == null ? 300_000 : Long.parseLong(interval.toString().trim());
        Object autoCommit = consumerConfig.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
        this.autoCommit = autoCommit == null || Boolean.parseBoolean(autoCommit.toString().trim());
    }

    /** Where a record was read. */
    private record Position(String topic, int partition, long offset) {

        static Position of(ConsumerRecord<?, ?> record) {
            return new Position(record.topic(), record.partition(), record.offset());
        }

        @Override
        public String toString() {
            return "topic " + topic + " partition " + partition + " offset " + offset;
        }
    }

    /** The {@code contract.records} counter a dead letter of one product, version and topic goes to. */
    private record CounterKey(DeadLetterMark.CountedAs countedAs, String topic) {}

    /** A marked record and its dead letter, while the dead-letter topic has not acknowledged it. */
    private static final class Pending {

        final ConsumerRecord<?, ?> record;
        final Position position;
        /** The dead letter, or {@code null} when it cannot be built (it is never written, and the poll waits). */
        final ProducerRecord<byte[], byte[]> letter;
        final String dlqTopic;
        Throwable failure;
        long reportedAt = Long.MIN_VALUE;

        Pending(ConsumerRecord<?, ?> record, ProducerRecord<byte[], byte[]> letter, Throwable cannotBuild) {
            this.record = record;
            this.position = Position.of(record);
            this.letter = letter;
            this.dlqTopic = DeadLetterMark.dlqTopic(record.headers());
            this.failure = cannotBuild;
        }
    }

    /**
     * The poll without the records its deserializer marked, once each is in its dead-letter topic (or
     * was written before, by this consumer). Returns only when they all are, or, for a consumer that
     * does not auto-commit, when the thread is interrupted: then the records not written, and those
     * after them in their partitions, are left out too, and {@link ConsumerRecords#nextOffsets()}
     * points at the first of them. (Auto-commit would commit past them, so such a consumer keeps
     * waiting and is interrupted again once they are written.)
     */
    public <K, V> ConsumerRecords<K, V> divert(ConsumerRecords<K, V> records) {
        KeyCapture.forget();
        List<ConsumerRecord<K, V>> marked = null;
        for (ConsumerRecord<K, V> record : records) {
            if (DeadLetterMark.removeForged(record.headers())) {
                if (marked == null) {
                    marked = new ArrayList<>();
                }
                marked.add(record);
            }
        }
        if (marked == null) {
            return records;
        }
        Set<ConsumerRecord<?, ?>> removed = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Pending> pending = new ArrayList<>();
        for (ConsumerRecord<K, V> record : marked) {
            removed.add(record);
            if (written.getIfPresent(Position.of(record)) == null) {
                Pending letter;
                try {
                    letter = new Pending(record, deadLetterOf(record), null);
                } catch (RuntimeException cannotBuild) {
                    letter = new Pending(record, null, cannotBuild);
                }
                pending.add(letter);
            }
        }
        Map<TopicPartition, Long> stopAt = new HashMap<>();
        for (Pending letter : writeAll(pending)) {
            stopAt.merge(new TopicPartition(letter.position.topic(), letter.position.partition()),
                    letter.position.offset(), Math::min);
        }
        return without(records, removed, stopAt);
    }

    private static ProducerRecord<byte[], byte[]> deadLetterOf(ConsumerRecord<?, ?> record) {
        Headers marked = record.headers();
        Headers headers = DeadLetterMark.deadLetterHeaders(marked);
        headers.add(ContractHeaders.ERROR_PARTITION, HeaderText.utf8(Integer.toString(record.partition())));
        headers.add(ContractHeaders.ERROR_OFFSET, HeaderText.utf8(Long.toString(record.offset())));
        byte[] key = DeadLetterMark.hasRawKey(marked) ? DeadLetterMark.rawKey(marked) : keyBytes(record.key());
        return new ProducerRecord<>(DeadLetterMark.dlqTopic(marked), null,
                record.timestamp() < 0 ? null : record.timestamp(), key, DeadLetterMark.rawValue(marked), headers);
    }

    /** The bytes of a key that a byte-array deserializer read (the configuration allows no other without capture). */
    private static byte[] keyBytes(Object key) {
        if (key == null) {
            return null;
        }
        if (key instanceof byte[] bytes) {
            return bytes;
        }
        if (key instanceof ByteBuffer buffer) {
            return Utils.toArray(buffer);
        }
        if (key instanceof Bytes bytes) {
            return bytes.get();
        }
        throw new IllegalStateException("the record's key bytes were not captured: key.deserializer must be "
                + "ContractKeyDeserializer or a byte-array deserializer (checked at configure(), unless Kontract's"
                + " deserializers are wrapped in a way that hides it)");
    }

    /** Writes every pending dead letter, retrying each that fails; returns those left when interrupted. */
    private List<Pending> writeAll(List<Pending> pending) {
        long started = clock.millis();
        long backoff = FIRST_BACKOFF_MILLIS;
        boolean pastPollInterval = false;
        boolean wasInterrupted = false;
        while (!pending.isEmpty()) {
            boolean interrupted = attempt(pending);
            pending.removeIf(letter -> letter.failure == null);
            if (pending.isEmpty()) {
                break;
            }
            long now = clock.millis();
            report(pending, now);
            if (!pastPollInterval && now - started > maxPollIntervalMillis) {
                pastPollInterval = true;
                LOG.warn("Dead letters have been failing for longer than max.poll.interval.ms ({} ms): the consumer has"
                        + " left its group, and records after the last committed offsets will be read again, by this"
                        + " consumer or another; it keeps retrying and does not move past them", maxPollIntervalMillis);
            }
            boolean slept = !interrupted && sleep(backoff);
            if (!slept) {
                if (!autoCommit) {
                    withhold(pending);
                    Thread.currentThread().interrupt();
                    return pending;
                }
                wasInterrupted = true;
            }
            backoff = Math.min(2 * backoff, MAX_BACKOFF_MILLIS);
        }
        if (wasInterrupted) {
            Thread.currentThread().interrupt();
        }
        return List.of();
    }

    /**
     * Sends each pending dead letter and waits for its acknowledgement. A topic whose metadata did not
     * come, or that cannot exist or be written, gets no more sends in this attempt: each would wait as
     * long again. Returns whether the thread was interrupted.
     */
    private boolean attempt(List<Pending> pending) {
        Map<String, Throwable> unreachable = new HashMap<>();
        List<Future<?>> sends = new ArrayList<>(pending.size());
        for (Pending letter : pending) {
            Throwable topicFailure = unreachable.get(letter.dlqTopic);
            Future<?> send;
            if (letter.letter == null) {
                send = CompletableFuture.failedFuture(letter.failure);
            } else if (topicFailure != null) {
                send = CompletableFuture.failedFuture(topicFailure);
            } else {
                try {
                    send = producer.send(letter.letter);
                } catch (RuntimeException e) {
                    send = CompletableFuture.failedFuture(e);
                }
                Throwable failedAtOnce = failure(send);
                if (failedAtOnce != null && isTopicFailure(failedAtOnce)) {
                    unreachable.put(letter.dlqTopic, failedAtOnce);
                }
            }
            sends.add(send);
        }
        for (int i = 0; i < pending.size(); i++) {
            Pending letter = pending.get(i);
            try {
                sends.get(i).get();
                written(letter);
            } catch (ExecutionException e) {
                letter.failure = e.getCause();
            } catch (InterruptedException e) {
                letter.failure = e;
                for (int j = i + 1; j < pending.size(); j++) {
                    Future<?> later = sends.get(j);
                    Throwable failure = later.isDone() ? failure(later) : e;
                    if (failure == null) {
                        written(pending.get(j));
                    } else {
                        pending.get(j).failure = failure;
                    }
                }
                return true;
            }
        }
        return false;
    }

    private void written(Pending letter) {
        letter.failure = null;
        written.put(letter.position, Boolean.TRUE);
        try {
            count(letter.record);
        } catch (RuntimeException e) {
            LOG.warn("The dead letter of {} is written but not counted", letter.position, e);
        }
    }

    private static boolean isTopicFailure(Throwable failure) {
        return failure instanceof TimeoutException || failure instanceof InvalidTopicException
                || failure instanceof TopicAuthorizationException || failure instanceof UnknownTopicOrPartitionException;
    }

    /** Why a send that is already done failed, or {@code null}. */
    private static Throwable failure(Future<?> send) {
        if (!send.isDone()) {
            return null;
        }
        try {
            send.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    private void report(List<Pending> pending, long now) {
        for (Pending letter : pending) {
            if (letter.reportedAt == Long.MIN_VALUE) {
                LOG.error("Cannot write the dead letter of {} to {} ({}); the consumer retries it and does not move past"
                        + " it until the dead-letter topic takes it", letter.position, letter.dlqTopic,
                        letter.failure.toString());
                letter.reportedAt = now;
            } else if (now - letter.reportedAt >= REPORT_EVERY_MILLIS) {
                LOG.error("Still cannot write the dead letter of {} to {}: {}", letter.position, letter.dlqTopic,
                        letter.failure.toString());
                letter.reportedAt = now;
            }
        }
    }

    private static void withhold(List<Pending> pending) {
        for (Pending letter : pending) {
            LOG.error("Interrupted while the dead letter of {} could not be written: this poll returns without it and"
                    + " without the records after it in its partition; they are read again unless their offsets are"
                    + " committed (commit records.nextOffsets(), not the consumer's position)", letter.position);
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void count(ConsumerRecord<?, ?> record) {
        DeadLetterMark.CountedAs countedAs = DeadLetterMark.countedAs(record.headers());
        deadLettered.computeIfAbsent(new CounterKey(countedAs, record.topic()),
                key -> meters.records(countedAs.product(), countedAs.version(), key.topic(), Side.CONSUME)
                        .get(RecordOutcome.DEAD_LETTERED)).increment();
    }

    /**
     * The last resort of a poll whose dead letters could not be handled ({@link #divert} failed in a way
     * it does not foresee): each partition cut at its first marked record, with
     * {@link ConsumerRecords#nextOffsets()} there, so that no rejected record reaches the application.
     */
    public static <K, V> ConsumerRecords<K, V> withoutMarked(ConsumerRecords<K, V> records) {
        Map<TopicPartition, Long> stopAt = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<K, V> record : records.records(partition)) {
                if (DeadLetterMark.removeForged(record.headers())) {
                    stopAt.put(partition, record.offset());
                    break;
                }
            }
        }
        return without(records, Set.of(), stopAt);
    }

    /**
     * {@code records} without {@code removed}, nor any record at or after its partition's offset in
     * {@code stopAt} (where {@code nextOffsets()} then points). A partition left with no records is not in the result (Kafka's own batches never
     * hold an empty partition) but keeps its next offset in {@link ConsumerRecords#nextOffsets()}.
     */
    static <K, V> ConsumerRecords<K, V> without(ConsumerRecords<K, V> records, Set<ConsumerRecord<?, ?>> removed,
            Map<TopicPartition, Long> stopAt) {
        Map<TopicPartition, List<ConsumerRecord<K, V>>> kept = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            long stop = stopAt.getOrDefault(partition, Long.MAX_VALUE);
            List<ConsumerRecord<K, V>> list = new ArrayList<>();
            for (ConsumerRecord<K, V> record : records.records(partition)) {
                if (record.offset() >= stop) {
                    break;
                }
                if (!removed.contains(record)) {
                    list.add(record);
                }
            }
            if (!list.isEmpty()) {
                kept.put(partition, list);
            }
        }
        Map<TopicPartition, OffsetAndMetadata> nextOffsets = new HashMap<>(records.nextOffsets());
        stopAt.forEach((partition, offset) -> nextOffsets.put(partition, new OffsetAndMetadata(offset)));
        return new ConsumerRecords<>(kept, nextOffsets);
    }

    @Override
    public void close() {
        producer.close();
    }
}
