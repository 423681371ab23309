package dev.kontract.serde.internal;

import dev.kontract.core.ContractException;
import dev.kontract.core.metrics.ContractMeters;
import dev.kontract.serde.ContractConfig;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/** What every Kontract client reads from its config: the contracts, the binding and the meters. */
public final class ClientSettings {

    private final ContractConfig config;
    private final ContractSource source;
    /** The product named by {@code contract.product}, or {@code null}. */
    private final String boundProduct;
    private final ContractMeters meters;
    private final List<String> interceptorClasses;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ClientSettings(ContractConfig config, ContractSource source, String boundProduct, ContractMeters meters,
            List<String> interceptorClasses) {
        this.config = config;
        this.source = source;
        this.boundProduct = boundProduct;
        this.meters = meters;
        this.interceptorClasses = interceptorClasses;
    }

    /**
     * The settings of a client; {@link #close} them with the client.
     *
     * @throws ConfigException naming the key and value that is wrong, or the contracts topic that cannot be read
     * @throws dev.kontract.core.ContractException when the contracts do not load
     */
    public static ClientSettings of(Map<String, ?> clientConfig) {
        ContractConfig config = ContractConfig.of(clientConfig);
        config.dlqTopic().ifPresent(topic -> {
            try {
                Topic.validate(topic);
            } catch (InvalidTopicException e) {
                throw new ConfigException(ContractConfig.DLQ_TOPIC_CONFIG, topic, e.getMessage());
            }
        });
        ContractMeters meters = new ContractMeters(config.meterRegistry());
        ContractSource source = source(config, clientConfig, meters);
        try {
            String bound = config.product().orElse(null);
            LoadedContracts contracts = source.current();
            ProductRuntime product = bound == null ? null : contracts.product(bound).orElseThrow(() ->
                    new ConfigException(ContractConfig.PRODUCT_CONFIG, bound, "no such product in " + sourceName(config)
                            + " (it has " + (contracts.catalog().contracts().isEmpty() ? "none" : String.join(", ",
                                    contracts.catalog().contracts().stream().map(c -> c.product()).sorted().toList()))
                            + ")"));
            if (product != null && config.dlqTopic().isPresent()
                    && product.contract().topics().contains(config.dlqTopic().get())) {
                throw new ConfigException(ContractConfig.DLQ_TOPIC_CONFIG, config.dlqTopic().get(), "one of "
                        + product.name() + "'s topics: its dead letters would be read again");
            }
            return new ClientSettings(config, source, bound, meters, classNames(clientConfig.get("interceptor.classes")));
        } catch (RuntimeException e) {
            source.release();
            throw e;
        }
    }

    private static String sourceName(ContractConfig config) {
        return config.sourceTopic().map(topic -> ContractConfig.KAFKA_SOURCE_PREFIX + topic).orElse(config.source());
    }

    /** The contract source as messages name it: {@code kafka:} with its topic. */
    public String sourceName() {
        return sourceName(config);
    }

    /** The client settings a {@code kafka:} source reads the contracts topic with, when not overridden. */
    private static boolean inheritedBySource(String key) {
        return key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                || key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
                || key.equals(CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG)
                || key.startsWith("ssl.") || key.startsWith("sasl.");
    }

    private static ContractSource source(ContractConfig config, Map<String, ?> clientConfig, ContractMeters meters) {
        ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
        if (config.sourceTopic().isEmpty()) {
            return ContractSource.fixed(LoadedContracts.of(config.source(), classLoader));
        }
        String topic = config.sourceTopic().get();
        try {
            Topic.validate(topic);
        } catch (InvalidTopicException e) {
            throw new ConfigException(ContractConfig.SOURCE_CONFIG, config.source(), e.getMessage());
        }
        Map<String, Object> consumerConfig = new HashMap<>();
        clientConfig.forEach((key, value) -> {
            if (inheritedBySource(key) && value != null) {
                consumerConfig.put(key, value);
            }
        });
        consumerConfig.putAll(config.sourceOverrides());
        if (consumerConfig.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) == null) {
            throw new ConfigException(ContractConfig.SOURCE_CONFIG, config.source(), "a contracts topic is read from the"
                    + " cluster in bootstrap.servers (or " + ContractConfig.SOURCE_OVERRIDE_PREFIX
                    + "bootstrap.servers), and the client config has neither");
        }
        try {
            return KafkaContractSource.acquire(topic, consumerConfig,
                    classLoader != null ? classLoader : ClientSettings.class.getClassLoader(), config.sourceTimeout(),
                    meters.registry());
        } catch (ContractException e) {
            throw new ConfigException(ContractConfig.SOURCE_CONFIG, config.source(), e.getMessage());
        }
    }

    /**
     * These settings with the contracts in force now, kept for good: a producer writes the version it
     * resolved at {@code configure()} until it is configured again.
     */
    public ClientSettings pinned() {
        return new ClientSettings(config, ContractSource.pinned(source), boundProduct, meters, interceptorClasses);
    }

    /** Releases the contract source (the last client of a contracts topic stops its reader). Idempotent. */
    public void close() {
        if (closed.compareAndSet(false, true)) {
            source.release();
        }
    }

    private static List<String> classNames(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Class<?> type) {
            return List.of(type.getName());
        }
        if (value instanceof Collection<?> items) {
            return items.stream().flatMap(item -> classNames(item).stream()).toList();
        }
        return Arrays.stream(value.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The class name a client config value names ({@code Class} or {@code String}), or {@code null}. */
    public static String className(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof Class<?> type ? type.getName() : value.toString().trim();
    }

    /**
     * The version a client names with {@code key}: {@code "2"} is the latest 2.x, {@code "2.1"} exactly
     * 2.1, absent is the latest version.
     *
     * @throws ConfigException naming the key and value when the product has no such version
     */
    public VersionRuntime version(ProductRuntime product, String key, java.util.Optional<String> spec) {
        if (spec.isEmpty()) {
            return product.version(product.contract().latest().version());
        }
        try {
            return product.version(product.contract().resolve(spec.get()).version());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, spec.get(), e.getMessage());
        }
    }

    public ContractConfig config() {
        return config;
    }

    /** The contracts in force now. */
    public LoadedContracts contracts() {
        return source.current();
    }

    /** Whether the contracts in force may change while the client runs ({@code contract.source=kafka:}). */
    public boolean liveContracts() {
        return source.isLive();
    }

    /**
     * Applies what was published on the contracts topic up to now, within {@code contract.source.timeout}.
     *
     * @return false when the source is not a topic or could not catch up
     */
    public boolean catchUp() {
        return source.catchUp();
    }

    /** The product named by {@code contract.product}, as the contracts in force describe it, or {@code null}. */
    public ProductRuntime boundProduct() {
        return boundProduct == null ? null : contracts().product(boundProduct).orElseThrow();
    }

    public ContractMeters meters() {
        return meters;
    }

    public boolean hasInterceptor(String className) {
        return interceptorClasses.contains(className);
    }

    /**
     * The product governing {@code topic}: the bound one, else the one listing the topic. A contracts topic
     * is caught up with once before a topic counts as ungoverned.
     */
    public ProductRuntime productFor(String topic) {
        if (boundProduct != null) {
            return boundProduct();
        }
        return contracts().forTopic(topic)
                .or(() -> catchUp() ? contracts().forTopic(topic) : java.util.Optional.empty())
                .orElseThrow(() -> new ConfigException("No contract governs topic " + topic + ": no product in "
                        + sourceName(config) + " lists it in its topics, and " + ContractConfig.PRODUCT_CONFIG + " is not set"));
    }

    /**
     * The dead-letter topic of {@code topic}.
     *
     * @throws ConfigException when it is not a legal topic name (a long topic name and {@code .dlq}) or is
     *     the topic itself, where dead letters would be read again
     */
    public String dlqTopicFor(ProductRuntime product, String topic) {
        String dlqTopic = config.dlqTopic().orElseGet(() -> product.contract().dlqTopicFor(topic));
        try {
            Topic.validate(dlqTopic);
        } catch (InvalidTopicException e) {
            throw new ConfigException("The dead-letter topic of " + topic + " is not a legal topic name: " + e.getMessage());
        }
        if (dlqTopic.equals(topic)) {
            throw new ConfigException("The dead-letter topic of " + topic + " is the topic itself: its dead letters would"
                    + " be read again; set " + ContractConfig.DLQ_TOPIC_CONFIG + " or the contract's dlq.topic to another");
        }
        return dlqTopic;
    }
}
