package dev.kontract.interceptors;

import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.kontract.core.metrics.ContractMeters;
import dev.kontract.core.metrics.MeterNames;
import dev.kontract.core.metrics.RecordOutcome;
import dev.kontract.core.metrics.Side;
import dev.kontract.serde.ContractDeserializer;
import dev.kontract.serde.ContractHeaders;
import dev.kontract.serde.internal.ClientSettings;
import dev.kontract.serde.internal.MeterCaches;
import dev.kontract.serde.internal.ReadTrace;
import dev.kontract.serde.internal.deadletter.ConsumerDeadLetters;
import dev.kontract.serde.internal.ProductRuntime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer half of Kontract's interceptors ({@code interceptor.classes}): it completes
 * dead-lettering on the consumer and reports what the consumer sees of the product.
 *
 * <p><b>Dead letters.</b> {@link ContractDeserializer} marks the records it rejects (it cannot drop
 * them, nor see their partition and offset); this interceptor writes them to their dead-letter topics
 * and returns the poll without them once those have them all. A dead letter that cannot be written
 * holds the poll until it can. The protocol is described whole in
 * {@link dev.kontract.serde.internal.deadletter}.
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
 * before it enforces; not for topics that a {@link ContractDeserializer} wrapped in that deserializer
 * reads (Spring's {@code ErrorHandlingDeserializer}, say), which counts each record itself.
 */
public final class ContractConsumerInterceptor<K, V> implements ConsumerInterceptor<K, V> {

    private static final Logger LOG = LoggerFactory.getLogger(ContractConsumerInterceptor.class);
    private static final long PRUNE_EVERY_MILLIS = 1_000;

    /** Topics whose meters are kept; an evicted topic's meters leave the registry unless another client holds them. */
    static final int MAX_TOPICS = 10_000;

    private final Clock clock;
    private final int maxTopics;
    private ClientSettings settings;
    private ContractMeters meters;
    private ConsumerDeadLetters deadLetters;
    private ConsumerFetchMetrics fetchMetrics;
    private String group;
    private boolean observeOnly;
    private LoadingCache<String, Optional<TopicView>> topics;
    private final Map<TopicPartition, Tracked> partitions = new ConcurrentHashMap<>();
    private long lastPrune;

    /** For Kafka, which instantiates interceptors by class name and then calls {@link #configure}. */
    public ContractConsumerInterceptor() {
        this(Clock.systemUTC());
    }

    ContractConsumerInterceptor(Clock clock) {
        this(clock, MAX_TOPICS);
    }

    ContractConsumerInterceptor(Clock clock, int maxTopics) {
        this.clock = clock;
        this.maxTopics = maxTopics;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        this.settings = ClientSettings.of(configs);
        this.meters = settings.meters();
        try {
            this.deadLetters = new ConsumerDeadLetters(configs, meters, clock);
        } catch (RuntimeException e) {
            settings.close();
            throw e;
        }
        Object clientId = configs.get(CommonClientConfigs.CLIENT_ID_CONFIG);
        this.fetchMetrics = new ConsumerFetchMetrics(clientId == null ? "" : clientId.toString());
        Object groupId = configs.get(ConsumerConfig.GROUP_ID_CONFIG);
        this.group = groupId == null ? "" : groupId.toString();
        this.observeOnly = !ContractDeserializer.class.getName()
                .equals(ClientSettings.className(configs.get(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG)));
        this.topics = MeterCaches.<String, Optional<TopicView>>releasingMeters(maxTopics,
                view -> view.map(topicView -> topicView.meters).orElse(null), view -> { }).build(this::view);
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
        ConsumerRecords<K, V> delivered;
        try {
            delivered = deadLetters.divert(records);
        } catch (RuntimeException e) {
            // Kafka hands the unfiltered batch to the application when an interceptor throws: rejected records
            // with null values. Stop each partition at its first rejected record instead (nextOffsets() points there).
            LOG.error("Dead letters of this poll failed; each partition stops at its first rejected record", e);
            delivered = ConsumerDeadLetters.withoutMarked(records);
        }
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
        if (observeOnly) {
            ReadTrace.drain(topic -> topics.get(topic).ifPresent(TopicView::readByContractDeserializer));
        }
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

        private final ContractMeters meters = ContractConsumerInterceptor.this.meters.scoped();
        private final ProductRuntime runtime;
        private final String product;
        private final String topic;
        private final Timer freshness;
        private final long freshnessSlaMillis;
        private final Counter freshnessBreaches;
        /** By version: only versions the contract has, and {@code unknown} for any other header value. */
        private final Map<String, Counter> observed = new ConcurrentHashMap<>();
        /** The version header seen last and its counter: a topic mostly carries one version at a time. */
        private Observed lastObserved;
        /** Whether a wrapped {@link ContractDeserializer} reads the topic, and so counts its records itself. */
        private volatile boolean counted;

        TopicView(ProductRuntime product, String topic) {
            this.runtime = product;
            this.product = product.name();
            this.topic = topic;
            this.freshness = meters.freshness(this.product, topic);
            this.freshnessSlaMillis = product.contract().sla().freshness().map(Duration::toMillis).orElse(-1L);
            this.freshnessBreaches = freshnessSlaMillis < 0 ? null : meters.slaBreaches(this.product, "freshness");
        }

        String product() {
            return product;
        }

        void readByContractDeserializer() {
            counted = true;
        }

        void delivered(ConsumerRecord<?, ?> record, long now) {
            if (record.timestamp() >= 0) {
                long age = Math.max(0, now - record.timestamp());
                freshness.record(age, TimeUnit.MILLISECONDS);
                if (freshnessBreaches != null && age > freshnessSlaMillis) {
                    freshnessBreaches.increment();
                }
            }
            if (observeOnly && !counted) {
                Header header = record.headers().lastHeader(ContractHeaders.VERSION);
                byte[] version = header == null ? null : header.value();
                Observed last = lastObserved;
                if (last == null || !Arrays.equals(last.version(), version)) {
                    String text = version == null ? null : new String(version, StandardCharsets.UTF_8);
                    if (runtime.version(text).isEmpty()) {
                        text = MeterNames.UNKNOWN_VERSION;
                    }
                    last = new Observed(version, observed.computeIfAbsent(text,
                            v -> meters.records(product, v, topic, Side.CONSUME).get(RecordOutcome.VALID)));
                    lastObserved = last;
                }
                last.valid().increment();
            }
        }
    }

    @Override
    public void close() {
        for (TopicPartition partition : List.copyOf(partitions.keySet())) {
            unregister(partition);
        }
        if (deadLetters != null) {
            deadLetters.close();
        }
        if (settings != null) {
            settings.close();
        }
    }
}
