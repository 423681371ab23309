package dev.kontract.serde.internal;

import dev.kontract.core.metrics.ContractMeters;
import dev.kontract.core.metrics.MeterRegistries;
import dev.kontract.serde.ContractConfig;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/** What every Kontract client reads from its config: the contracts, the binding and the meters. */
public final class ClientSettings {

    private final ContractConfig config;
    private final LoadedContracts contracts;
    private final ProductRuntime boundProduct;
    private final ContractMeters meters;
    private final List<String> interceptorClasses;

    private ClientSettings(ContractConfig config, LoadedContracts contracts, ProductRuntime boundProduct,
            ContractMeters meters, List<String> interceptorClasses) {
        this.config = config;
        this.contracts = contracts;
        this.boundProduct = boundProduct;
        this.meters = meters;
        this.interceptorClasses = interceptorClasses;
    }

    /**
     * @throws ConfigException naming the key and value that is wrong
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
        LoadedContracts contracts = LoadedContracts.of(config.source(), Thread.currentThread().getContextClassLoader());
        ProductRuntime product = config.product().map(name -> contracts.product(name).orElseThrow(() ->
                new ConfigException(ContractConfig.PRODUCT_CONFIG, name, "no such product in " + config.source()
                        + " (it has " + String.join(", ", contracts.catalog().contracts().stream()
                                .map(c -> c.product()).sorted().toList()) + ")"))).orElse(null);
        if (product != null && config.dlqTopic().isPresent() && product.contract().topics().contains(config.dlqTopic().get())) {
            throw new ConfigException(ContractConfig.DLQ_TOPIC_CONFIG, config.dlqTopic().get(), "one of "
                    + product.name() + "'s topics: its dead letters would be read again");
        }
        String registryName = config.metricsRegistry().orElse(null);
        ContractMeters meters = new ContractMeters(MeterRegistries.find(registryName).orElseThrow(() ->
                new ConfigException(ContractConfig.METRICS_REGISTRY_CONFIG, registryName,
                        "no Micrometer registry of that name is registered with MeterRegistries.register (registered: "
                                + String.join(", ", MeterRegistries.names()) + ")")));
        return new ClientSettings(config, contracts, product, meters, classNames(clientConfig.get("interceptor.classes")));
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

    public LoadedContracts contracts() {
        return contracts;
    }

    /** The product named by {@code contract.product}, or {@code null} to bind by topic. */
    public ProductRuntime boundProduct() {
        return boundProduct;
    }

    public ContractMeters meters() {
        return meters;
    }

    public boolean hasInterceptor(String className) {
        return interceptorClasses.contains(className);
    }

    /** The product governing {@code topic}: the bound one, else the one listing the topic. */
    public ProductRuntime productFor(String topic) {
        if (boundProduct != null) {
            return boundProduct;
        }
        return contracts.forTopic(topic).orElseThrow(() -> new ConfigException("No contract governs topic " + topic
                + ": no product in " + config.source() + " lists it in its topics, and " + ContractConfig.PRODUCT_CONFIG
                + " is not set"));
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
