package dev.kontract.interceptors;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.kontract.core.metrics.ContractMeters;
import dev.kontract.core.metrics.MeterNames;
import dev.kontract.core.metrics.RecordOutcome;
import dev.kontract.core.metrics.Side;
import dev.kontract.serde.ContractDeserializer;
import dev.kontract.serde.ContractHeaders;
import dev.kontract.serde.internal.ClientSettings;
import dev.kontract.serde.internal.DeadLetterMark;
import dev.kontract.serde.internal.ProductRuntime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer half of Kontract's interceptors ({@code interceptor.classes}): it completes
 * dead-lettering on the consumer and reports what the consumer sees of the product.
 *
 * <p><b>Dead letters.</b> {@link ContractDeserializer} marks the records it rejects (it cannot drop
 * them, nor see their partition and offset). This interceptor sends each to the dead-letter topic with
 * the original key, the raw value, the original headers and the {@code dp.error.*} headers including
 * partition and offset, waits until the dead-letter topic has them, and only then removes them from
 * what {@code poll()} returns. If the dead-letter topic cannot be written, nothing is dropped: the
 * rejected records stay in the batch with a {@code null} value, their {@code dp.error.*} headers and
 * {@value #DLQ_FAILURE_HEADER} saying why, and the failure is logged.
 *
 * <p><b>Observability</b>, for topics a contract governs: {@code contract.consumer.freshness} (now
 * minus the record's timestamp) and {@code contract.sla.breaches{sla=freshness}} against the
 * contract's {@code sla.freshness}; per partition and group, {@code contract.consumer.lag} (records
 * from the committed offset, else the position, to the high watermark) and
 * {@code contract.consumer.lag.seconds} (see {@link PartitionLag}). Lag comes from the consumer's own
 * fetch metrics (see {@link ConsumerFetchMetrics}): no broker round trip on the poll path. Gauges of a
 * partition are removed once the consumer no longer reports it (it was revoked) and when the consumer
 * closes. With a value deserializer other than Kontract's, it also counts
 * {@code contract.records{outcome=valid}} by the {@code dp.version} header, so a team can observe
 * before it enforces.
 */
public final class ContractConsumerInterceptor<K, V> implements ConsumerInterceptor<K, V> {

    /** Set on a rejected record that could not be dead-lettered: why. */
    public static final String DLQ_FAILURE_HEADER = "dp.error.dlq";

    private static final Logger LOG = LoggerFactory.getLogger(ContractConsumerInterceptor.class);
    private static final long PRUNE_EVERY_MILLIS = 1_000;

    private final Clock clock;
    private ClientSettings settings;
    private ContractMeters meters;
    private DeadLetterProducer deadLetters;
    private ConsumerFetchMetrics fetchMetrics;
    private String group;
    private boolean observeOnly;
    private LoadingCache<String, Optional<TopicView>> topics;
    private final Map<TopicPartition, Tracked> partitions = new ConcurrentHashMap<>();
    private final Map<CounterKey, Map<RecordOutcome, Counter>> deadLetterCounters = new ConcurrentHashMap<>();
    private long lastPrune;

    /** For Kafka, which instantiates interceptors by class name and then calls {@link #configure}. */
    public ContractConsumerInterceptor() {
        this(Clock.systemUTC());
    }

    ContractConsumerInterceptor(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        this.settings = ClientSettings.of(configs);
        this.meters = settings.meters();
        this.deadLetters = new DeadLetterProducer(configs);
        Object clientId = configs.get(CommonClientConfigs.CLIENT_ID_CONFIG);
        this.fetchMetrics = new ConsumerFetchMetrics(clientId == null ? "" : clientId.toString());
        Object groupId = configs.get(ConsumerConfig.GROUP_ID_CONFIG);
        this.group = groupId == null ? "" : groupId.toString();
        this.observeOnly = !ContractDeserializer.class.getName()
                .equals(ClientSettings.className(configs.get(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG)));
        this.topics = Caffeine.newBuilder().maximumSize(10_000).build(this::view);
    }

    private Optional<TopicView> view(String topic) {
        try {
            return Optional.of(new TopicView(settings.productFor(topic), topic));
        } catch (KafkaException ungoverned) {
            return Optional.empty();
        }
    }

    @Override
    public ConsumerRecords<K, V> onConsume(ConsumerRecords<K, V> records) {
        if (settings == null) {
            return records;
        }
        ConsumerRecords<K, V> delivered = deadLetter(records);
        try {
            observe(records, delivered);
        } catch (RuntimeException e) {
            // Kafka hands the unfiltered batch to the application when an interceptor throws: that would
            // deliver records already in their dead-letter topics. Metrics are not worth that.
            LOG.warn("Contract metrics of this poll are incomplete", e);
        }
        return delivered;
    }

    private void observe(ConsumerRecords<K, V> records, ConsumerRecords<K, V> delivered) {
        long now = clock.millis();
        for (TopicPartition partition : records.partitions()) {
            Optional<TopicView> view = topics.get(partition.topic());
            if (view.isPresent()) {
                track(partition, view.get(), records);
            }
        }
        for (TopicPartition partition : delivered.partitions()) {
            Optional<TopicView> view = topics.get(partition.topic());
            if (view.isPresent()) {
                for (ConsumerRecord<K, V> record : delivered.records(partition)) {
                    view.get().delivered(record, now);
                }
            }
        }
        pruneRevoked(now);
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (settings == null) {
            return;
        }
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : offsets.entrySet()) {
            Tracked tracked = partitions.get(entry.getKey());
            if (tracked != null && entry.getValue() != null) {
                tracked.lag().committed(entry.getValue().offset());
            }
        }
        pruneRevoked(clock.millis());
    }

    // ---- lag ----

    private void track(TopicPartition partition, TopicView view, ConsumerRecords<K, V> records) {
        List<ConsumerRecord<K, V>> batch = records.records(partition);
        if (batch.isEmpty()) {
            return;
        }
        Tracked tracked = partitions.computeIfAbsent(partition, p -> register(p, view));
        ConsumerRecord<K, V> first = batch.get(0);
        ConsumerRecord<K, V> last = batch.get(batch.size() - 1);
        tracked.lag().consumed(first.offset(), first.timestamp(), last.offset(), last.timestamp());
        OptionalLong lag = fetchMetrics.recordsLag(partition);
        if (lag.isPresent()) {
            OffsetAndMetadata next = records.nextOffsets().get(partition);
            long position = next != null ? next.offset() : last.offset() + 1;
            tracked.lag().highWatermark(position + lag.getAsLong());
        }
    }

    private Tracked register(TopicPartition partition, TopicView view) {
        PartitionLag lag = new PartitionLag(clock);
        LagGauges.Key key = new LagGauges.Key(meters.registry(), view.product(), partition.topic(),
                partition.partition(), group);
        LagGauges.own(key, lag, meters);
        return new Tracked(lag, key);
    }

    private void pruneRevoked(long now) {
        if (now - lastPrune < PRUNE_EVERY_MILLIS) {
            return;
        }
        lastPrune = now;
        for (TopicPartition partition : List.copyOf(partitions.keySet())) {
            if (!fetchMetrics.reports(partition)) {
                unregister(partition);
            }
        }
    }

    private void unregister(TopicPartition partition) {
        Tracked tracked = partitions.remove(partition);
        if (tracked != null) {
            LagGauges.release(tracked.key(), tracked.lag(), meters);
        }
    }

    /** A {@code dp.version} header value and the {@code valid} counter of the version it names. */
    private record Observed(byte[] version, Counter valid) {}

    /** The lag state of a partition and the key of its gauges. */
    private record Tracked(PartitionLag lag, LagGauges.Key key) {}

    /** What this consumer reports for one governed topic. */
    private final class TopicView {

        private final String product;
        private final String topic;
        private final Timer freshness;
        private final long freshnessSlaMillis;
        private final Counter freshnessBreaches;
        private final Map<String, Counter> observed = new ConcurrentHashMap<>();
        /** The version header seen last and its counter: a topic mostly carries one version at a time. */
        private Observed lastObserved;

        TopicView(ProductRuntime product, String topic) {
            this.product = product.name();
            this.topic = topic;
            this.freshness = meters.freshness(this.product, topic);
            this.freshnessSlaMillis = product.contract().sla().freshness().map(Duration::toMillis).orElse(-1L);
            this.freshnessBreaches = freshnessSlaMillis < 0 ? null : meters.slaBreaches(this.product, "freshness");
        }

        String product() {
            return product;
        }

        void delivered(ConsumerRecord<?, ?> record, long now) {
            if (record.timestamp() >= 0) {
                long age = Math.max(0, now - record.timestamp());
                freshness.record(age, TimeUnit.MILLISECONDS);
                if (freshnessBreaches != null && age > freshnessSlaMillis) {
                    freshnessBreaches.increment();
                }
            }
            if (observeOnly) {
                Header header = record.headers().lastHeader(ContractHeaders.VERSION);
                byte[] version = header == null ? null : header.value();
                Observed last = lastObserved;
                if (last == null || !Arrays.equals(last.version(), version)) {
                    String text = version == null ? MeterNames.UNKNOWN_VERSION : new String(version, StandardCharsets.UTF_8);
                    last = new Observed(version, observed.computeIfAbsent(text,
                            v -> meters.records(product, v, topic, Side.CONSUME).get(RecordOutcome.VALID)));
                    lastObserved = last;
                }
                last.valid().increment();
            }
        }
    }

    // ---- dead letters ----

    private ConsumerRecords<K, V> deadLetter(ConsumerRecords<K, V> records) {
        List<ConsumerRecord<K, V>> rejected = null;
        for (ConsumerRecord<K, V> record : records) {
            if (DeadLetterMark.removeForged(record.headers())) {
                if (rejected == null) {
                    rejected = new ArrayList<>();
                }
                rejected.add(record);
            }
        }
        return rejected == null ? records : without(records, send(rejected));
    }

    /**
     * Sends the rejected records to their dead-letter topics; returns those the topics acknowledged.
     * A topic whose send fails at once (it does not exist, or its metadata did not come within
     * {@code max.block.ms}) gets no further sends in this poll, and no send starts after the poll's
     * {@link DeadLetterProducer#BATCH_TIMEOUT}, so the poll thread is never held past about a minute.
     */
    private List<ConsumerRecord<K, V>> send(List<ConsumerRecord<K, V>> rejected) {
        long deadline = System.nanoTime() + DeadLetterProducer.BATCH_TIMEOUT.toNanos();
        List<Future<?>> sends = new ArrayList<>(rejected.size());
        Map<String, Throwable> brokenTopics = new HashMap<>();
        for (ConsumerRecord<K, V> record : rejected) {
            String topic = DeadLetterMark.dlqTopic(record.headers());
            Throwable broken = brokenTopics.get(topic);
            if (broken == null && System.nanoTime() - deadline >= 0) {
                broken = batchTimeout();
            }
            if (broken != null) {
                sends.add(CompletableFuture.failedFuture(broken));
                continue;
            }
            ProducerRecord<byte[], byte[]> deadLetter;
            try {
                deadLetter = toDeadLetter(record);
            } catch (RuntimeException e) {
                sends.add(CompletableFuture.failedFuture(e));
                continue;
            }
            Future<?> send;
            try {
                send = deadLetters.send(deadLetter);
            } catch (RuntimeException e) {
                send = CompletableFuture.failedFuture(e);
            }
            Throwable failedAtOnce = failure(send);
            if (failedAtOnce != null) {
                brokenTopics.put(topic, failedAtOnce);
            }
            sends.add(send);
        }
        List<ConsumerRecord<K, V>> delivered = new ArrayList<>(rejected.size());
        for (int i = 0; i < rejected.size(); i++) {
            ConsumerRecord<K, V> record = rejected.get(i);
            try {
                sends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                count(record, RecordOutcome.DEAD_LETTERED);
                delivered.add(record);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                keep(record, e);
            } catch (ExecutionException e) {
                keep(record, e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                keep(record, batchTimeout());
            }
        }
        return delivered;
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

    private static Exception batchTimeout() {
        return new java.util.concurrent.TimeoutException("no acknowledgement within "
                + DeadLetterProducer.BATCH_TIMEOUT.toSeconds() + " s for this poll's dead letters");
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

    private void count(ConsumerRecord<K, V> record, RecordOutcome outcome) {
        DeadLetterMark.CountedAs countedAs = DeadLetterMark.countedAs(record.headers());
        deadLetterCounters.computeIfAbsent(new CounterKey(countedAs, record.topic()),
                key -> meters.records(countedAs.product(), countedAs.version(), key.topic(), Side.CONSUME))
                .get(outcome).increment();
    }

    /** The {@code contract.records} counters a dead letter of one product, version and topic goes to. */
    private record CounterKey(DeadLetterMark.CountedAs countedAs, String topic) {}

    /** Delivers a record the dead-letter topic did not take, with a null value and why, counted {@code failed}. */
    private void keep(ConsumerRecord<K, V> record, Throwable failure) {
        count(record, RecordOutcome.FAILED);
        String reason = "cannot write to dead-letter topic " + DeadLetterMark.dlqTopic(record.headers()) + ": " + failure;
        LOG.error("Rejected record of topic {} partition {} offset {} is delivered with a null value: {}",
                record.topic(), record.partition(), record.offset(), reason);
        record.headers().add(DLQ_FAILURE_HEADER, utf8(reason));
    }

    static <K, V> ConsumerRecords<K, V> without(ConsumerRecords<K, V> records,
            List<ConsumerRecord<K, V>> removed) {
        if (removed.isEmpty()) {
            return records;
        }
        Set<ConsumerRecord<K, V>> drop = Collections.newSetFromMap(new IdentityHashMap<>());
        drop.addAll(removed);
        Map<TopicPartition, List<ConsumerRecord<K, V>>> kept = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<K, V>> list = new ArrayList<>();
            for (ConsumerRecord<K, V> record : records.records(partition)) {
                if (!drop.contains(record)) {
                    list.add(record);
                }
            }
            if (!list.isEmpty()) {
                kept.put(partition, list);
            }
        }
        return new ConsumerRecords<>(kept, records.nextOffsets());
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        for (TopicPartition partition : List.copyOf(partitions.keySet())) {
            unregister(partition);
        }
        if (deadLetters != null) {
            deadLetters.close();
        }
    }
}
