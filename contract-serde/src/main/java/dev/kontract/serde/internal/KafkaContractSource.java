package dev.kontract.serde.internal;

import dev.kontract.core.ContractCatalog;
import dev.kontract.core.ContractException;
import dev.kontract.core.internal.topic.ContractTopicReader;
import dev.kontract.core.load.ContractLoader;
import dev.kontract.core.metrics.MeterNames;
import dev.kontract.core.rules.RuleEngine;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.types.Password;

/**
 * Contracts read from a contracts topic ({@code contract.source=kafka:[TOPIC]}), shared: every client of a
 * JVM that names the same cluster, topic, security settings and class loader shares one
 * {@link ContractTopicReader}, opened by the first and closed when the last releases it. The protocol
 * itself is described in {@link dev.kontract.core.internal.topic}.
 *
 * <p>Publications the reader rejects are counted in {@value MeterNames#SOURCE_REJECTED} (tags
 * {@code product}, {@code topic}) in the registry of every client sharing the reader.
 */
final class KafkaContractSource implements ContractSource {

    /** By everything the reader's consumer is configured with. Guarded by itself. */
    private static final Map<Key, Shared> OPEN = new HashMap<>();

    private record Key(String topic, Map<String, String> consumerConfig, ClassLoader classLoader) {}

    private final Shared shared;
    private final MeterRegistry registry;
    private volatile boolean released;

    private KafkaContractSource(Shared shared, MeterRegistry registry) {
        this.shared = shared;
        this.registry = registry;
    }

    /**
     * The contracts on {@code topic}, read to its end by the first client to ask.
     *
     * @throws dev.kontract.core.ContractException when the topic is missing or cannot be read in time
     */
    static KafkaContractSource acquire(String topic, Map<String, Object> consumerConfig, ClassLoader classLoader,
            Duration timeout, MeterRegistry registry) {
        Map<String, String> identity = new TreeMap<>();
        consumerConfig.forEach((key, value) -> identity.put(key, value instanceof Password password ? password.value()
                : String.valueOf(value)));
        Key key = new Key(topic, identity, classLoader);
        Shared shared;
        synchronized (OPEN) {
            shared = OPEN.computeIfAbsent(key, Shared::new);
            shared.clients++;
        }
        KafkaContractSource source = new KafkaContractSource(shared, registry);
        try {
            shared.attach(registry);
            shared.open(consumerConfig, timeout);
            return source;
        } catch (RuntimeException e) {
            source.release();
            throw e;
        }
    }

    @Override
    public LoadedContracts current() {
        return shared.current();
    }

    @Override
    public boolean isLive() {
        return true;
    }

    @Override
    public boolean catchUp() {
        return shared.reader.catchUp();
    }

    @Override
    public void release() {
        if (released) {
            return;
        }
        released = true;
        shared.detach(registry);
        boolean last;
        synchronized (OPEN) {
            last = --shared.clients == 0;
            if (last) {
                OPEN.remove(shared.key);
            }
        }
        if (last) {
            shared.close();
        }
    }

    /** One reader and what its clients share. */
    private static final class Shared {

        private final Key key;
        int clients;
        private volatile ContractTopicReader reader;
        private volatile LoadedContracts loaded;
        private final Map<String, AtomicLong> rejections = new ConcurrentHashMap<>();
        /** The registries of the clients sharing the reader, with how many clients use each and its meters. */
        private final Map<MeterRegistry, Attached> registries = new HashMap<>();

        private static final class Attached {
            int clients;
            final List<Meter> meters = new ArrayList<>();
        }

        Shared(Key key) {
            this.key = key;
        }

        /**
         * Opens the reader, or when it is open already, catches up with the topic: either way the client
         * sees everything published before its {@code configure()}. The catch-up does not hold this lock,
         * which the reader's thread takes to count rejections.
         */
        void open(Map<String, Object> consumerConfig, Duration timeout) {
            synchronized (this) {
                if (reader == null) {
                    ContractTopicReader opened = ContractTopicReader.open(consumerConfig, key.topic(),
                            new ContractLoader(RuleEngine.defaults(), key.classLoader()), timeout, this::rejected);
                    loaded = LoadedContracts.of(opened.catalog(), null);
                    reader = opened;
                    return;
                }
            }
            if (!reader.catchUp()) {
                throw new ContractException("kafka:" + key.topic() + ": cannot read contracts topic " + key.topic()
                        + " on " + consumerConfig.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) + " to its end within "
                        + timeout.toSeconds() + " s (contract.source.timeout)");
            }
        }

        LoadedContracts current() {
            ContractCatalog catalog = reader.catalog();
            LoadedContracts contracts = loaded;
            if (contracts.catalog() == catalog) {
                return contracts;
            }
            synchronized (this) {
                if (loaded.catalog() != catalog) {
                    loaded = LoadedContracts.of(catalog, loaded);
                }
                return loaded;
            }
        }

        private void rejected(ContractTopicReader.Rejection rejection) {
            AtomicLong count = rejections.get(rejection.product());
            if (count == null) {
                synchronized (this) {
                    count = rejections.computeIfAbsent(rejection.product(), product -> new AtomicLong());
                    registries.forEach((registry, attached) -> register(registry, attached, rejection.product()));
                }
            }
            count.incrementAndGet();
        }

        synchronized void attach(MeterRegistry registry) {
            Attached attached = registries.computeIfAbsent(registry, unused -> new Attached());
            if (attached.clients++ == 0) {
                rejections.keySet().forEach(product -> register(registry, attached, product));
            }
        }

        synchronized void detach(MeterRegistry registry) {
            Attached attached = registries.get(registry);
            if (--attached.clients == 0) {
                registries.remove(registry);
                attached.meters.forEach(registry::remove);
            }
        }

        private void register(MeterRegistry registry, Attached attached, String product) {
            attached.meters.add(FunctionCounter.builder(MeterNames.SOURCE_REJECTED, rejections.get(product),
                            AtomicLong::get)
                    .description("Publications on the contracts topic that clients ignored")
                    .tags(MeterNames.TAG_PRODUCT, product, MeterNames.TAG_TOPIC, key.topic())
                    .register(registry));
        }

        void close() {
            if (reader != null) {
                reader.close();
            }
        }
    }
}
