package dev.kontract.core.internal.topic;

import dev.kontract.core.ContractCatalog;
import dev.kontract.core.ContractException;
import dev.kontract.core.ContractVersion;
import dev.kontract.core.DataContract;
import dev.kontract.core.load.ContractBundle;
import dev.kontract.core.load.ContractLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a contracts topic and keeps the {@link ContractCatalog} it describes: read to its end when
 * opened, then on a daemon thread of its own. What counts as a valid publication, and what happens to
 * one that is not, is described in the {@linkplain dev.kontract.core.internal.topic package}.
 *
 * <p>Thread-safe: {@link #catalog()} is a volatile read; {@link #catchUp()} may be called from any thread.
 */
public final class ContractTopicReader implements AutoCloseable {

    /** A publication the reader did not apply. */
    public record Rejection(String product, String where, String reason) {}

    private static final Logger LOG = LoggerFactory.getLogger(ContractTopicReader.class);
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
    /** The {@code product} of a rejected record that names none. */
    private static final String UNKNOWN_PRODUCT = "unknown";

    private final String origin;
    private final ContractLoader loader;
    private final Duration timeout;
    private final Consumer<Rejection> onRejection;
    private final KafkaConsumer<byte[], byte[]> consumer;
    /** Owned by the opening thread until {@link #follow} starts, then by the reader's thread. */
    private final Map<String, Applied> inForce = new LinkedHashMap<>();
    private final Queue<CompletableFuture<Void>> catchUps = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile ContractCatalog catalog;
    private volatile boolean running = true;

    private record Applied(ContractBundle bundle, DataContract contract) {}

    private ContractTopicReader(String topic, ContractLoader loader, Duration timeout, Consumer<Rejection> onRejection,
            KafkaConsumer<byte[], byte[]> consumer) {
        this.origin = "kafka:" + topic;
        this.loader = loader;
        this.timeout = timeout;
        this.onRejection = onRejection;
        this.consumer = consumer;
        this.catalog = ContractCatalog.of(origin, List.of());
        this.thread = new Thread(this::follow, "kontract-contracts-" + topic);
        this.thread.setDaemon(true);
    }

    /**
     * Reads {@code topic} to its end, applies what it holds, and starts following it.
     *
     * @param consumerConfig the cluster and its security settings; deserializers, offsets and topic
     *     creation are the reader's own
     * @param onRejection told of every publication not applied, on the opening thread or the reader's
     * @throws ContractException naming the topic and the cluster when the topic is missing or cannot be
     *     read to its end within {@code timeout}
     */
    public static ContractTopicReader open(Map<String, Object> consumerConfig, String topic, ContractLoader loader,
            Duration timeout, Consumer<Rejection> onRejection) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, "kontract-contracts-" + topic);
        config.putIfAbsent(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        Object cluster = config.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        String cannot = "kafka:" + topic + ": cannot read contracts topic " + topic + " on " + cluster;
        KafkaConsumer<byte[], byte[]> consumer;
        try {
            consumer = new KafkaConsumer<>(config);
        } catch (KafkaException e) {
            throw new ContractException(cannot + ": " + rootMessage(e), e);
        }
        try {
            if (ContractTopic.assignFromBeginning(consumer, topic, timeout).isEmpty()) {
                throw new ContractException(cannot + ": the topic does not exist (kontract publish creates it)");
            }
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            ContractTopic.readToEnd(consumer, timeout, records::add);
            ContractTopicReader reader = new ContractTopicReader(topic, loader, timeout, onRejection, consumer);
            reader.applyHistory(records);
            reader.thread.start();
            return reader;
        } catch (ContractException e) {
            consumer.close(Duration.ZERO);
            throw e;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            consumer.close(Duration.ZERO);
            throw new ContractException(cannot + " within " + timeout.toSeconds() + " s (contract.source.timeout): "
                    + rootMessage(e), e);
        } catch (KafkaException e) {
            consumer.close(Duration.ZERO);
            throw new ContractException(cannot + ": " + rootMessage(e), e);
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + cause.getMessage() + ")";
    }

    /** The contracts in force: every publication applied so far. */
    public ContractCatalog catalog() {
        return catalog;
    }

    /**
     * Reads the topic up to its end offsets of this moment, so that everything published before this call
     * is applied (or rejected). Concurrent calls share one read.
     *
     * @return false when that did not finish within the timeout, or the reader is closed
     */
    public boolean catchUp() {
        if (!running) {
            return false;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        catchUps.add(done);
        consumer.wakeup();
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
            LOG.warn("{}: could not catch up with the contracts topic within {} s: {}", origin, timeout.toSeconds(),
                    e instanceof ExecutionException ? e.getCause().toString() : "timed out");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops following the topic; the catalog stays readable. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Applies the topic's history read at opening, in order, as a reader that followed it all along would
     * have: so every client, whenever it started, has the same contracts in force. A tombstone removes its
     * product, as compaction will; a running reader rejects one instead ({@link #applyOrReject}).
     */
    private void applyHistory(List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String product = ContractTopic.product(record);
            if (product != null && record.value() == null) {
                if (inForce.remove(product) != null) {
                    catalog = ContractCatalog.of(origin, inForce.values().stream().map(Applied::contract).toList());
                }
            } else {
                applyOrReject(record);
            }
        }
    }

    private void follow() {
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        while (running) {
            try {
                for (CompletableFuture<Void> request; (request = catchUps.poll()) != null; ) {
                    waiting.add(request);
                }
                if (waiting.isEmpty()) {
                    consumer.poll(IDLE_POLL).forEach(this::applyOrReject);
                } else {
                    ContractTopic.readToEnd(consumer, timeout, this::applyOrReject);
                    waiting.forEach(request -> request.complete(null));
                    waiting.clear();
                }
            } catch (WakeupException e) {
                // a catch-up was asked for, or the reader is closing
            } catch (InterruptException e) {
                break;
            } catch (RuntimeException e) {
                LOG.warn("{}: reading the contracts topic failed; the contracts in force stay, retrying in {} s: {}",
                        origin, RETRY_BACKOFF.toSeconds(), e.toString());
                waiting.forEach(request -> request.completeExceptionally(e));
                waiting.clear();
                try {
                    Thread.sleep(RETRY_BACKOFF.toMillis());
                } catch (InterruptedException interrupted) {
                    break;
                }
            }
        }
        consumer.close(Duration.ZERO);
        IllegalStateException closed = new IllegalStateException(origin + ": the contracts reader is closed");
        waiting.forEach(request -> request.completeExceptionally(closed));
        for (CompletableFuture<Void> request; (request = catchUps.poll()) != null; ) {
            request.completeExceptionally(closed);
        }
    }

    private void applyOrReject(ConsumerRecord<byte[], byte[]> record) {
        String product = ContractTopic.product(record);
        if (product == null) {
            reject(record, "it has no key (a contract record is keyed by its product)");
        } else if (record.value() == null) {
            if (inForce.containsKey(product)) {
                reject(record, "a tombstone would remove product " + product + ", which is in force (removing a"
                        + " product is a breaking change; clients started from now on will not see it)");
            }
        } else {
            String reason = apply(record);
            if (reason != null) {
                reject(record, reason);
            }
        }
    }

    /** Applies a publication; returns why it cannot be, or {@code null}. */
    private String apply(ConsumerRecord<byte[], byte[]> record) {
        String product = ContractTopic.product(record);
        String where = ContractTopic.where(record);
        ContractBundle bundle;
        try {
            bundle = ContractBundle.fromBytes(record.value());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (!bundle.product().equals(product)) {
            return "it is keyed " + product + " but holds the contract of " + bundle.product();
        }
        Applied current = inForce.get(product);
        if (current != null && current.bundle().equals(bundle)) {
            return null;
        }
        DataContract next;
        try {
            next = bundle.load(loader, "kafka:" + where);
        } catch (ContractException | java.io.UncheckedIOException e) {
            return e.getMessage();
        }
        if (current != null) {
            for (ContractVersion version : current.contract().versions()) {
                Optional<ContractVersion> same = next.version(version.version());
                if (same.isEmpty()) {
                    return "it drops version " + version.version() + " of " + product + ", which is in force";
                }
                if (!same.get().equals(version)) {
                    return "it changes version " + version.version() + " of " + product + " in place, which is in force";
                }
            }
        }
        List<DataContract> contracts = new ArrayList<>();
        inForce.forEach((name, applied) -> {
            if (!name.equals(product)) {
                contracts.add(applied.contract());
            }
        });
        contracts.add(next);
        ContractCatalog nextCatalog;
        try {
            nextCatalog = ContractCatalog.of(origin, contracts);
        } catch (ContractException e) {
            return e.getMessage();
        }
        inForce.put(product, new Applied(bundle, next));
        catalog = nextCatalog;
        LOG.info("{}: contract of {} (versions {}) in force from {}", origin, product, next.versionList(), where);
        return null;
    }

    private void reject(ConsumerRecord<byte[], byte[]> record, String reason) {
        String product = ContractTopic.product(record);
        Rejection rejection = new Rejection(product == null ? UNKNOWN_PRODUCT : product, ContractTopic.where(record),
                reason);
        LOG.error("{}: publication {} of {} ignored, the contracts in force stay: {}", origin, rejection.where(),
                rejection.product(), reason);
        onRejection.accept(rejection);
    }
}
