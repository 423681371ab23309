package dev.kontract.serde;

import dev.kontract.core.internal.topic.ContractTopic;
import dev.kontract.core.load.ContractLoader;
import dev.kontract.core.metrics.MeterRegistries;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The {@code contract.*} client properties, declared once. Serializers, deserializers and
 * interceptors read them from the ordinary Kafka client config; an unknown {@code contract.} key is
 * an error, not a silent no-op. {@link #configDef()} renders the reference table.
 */
public final class ContractConfig extends AbstractConfig {

    public static final String PREFIX = "contract.";

    public static final String SOURCE_CONFIG = "contract.source";
    public static final String SOURCE_DOC = "Where contracts are loaded from: classpath:dir/, file:/dir/, a single"
            + " file, or kafka: (the contracts topic " + ContractTopic.DEFAULT_TOPIC + ") or kafka:TOPIC on the client's"
            + " own cluster, published with kontract publish. All clients.";

    /** What {@link #SOURCE_CONFIG} starts with for a contracts topic. */
    public static final String KAFKA_SOURCE_PREFIX = "kafka:";

    public static final String SOURCE_TIMEOUT_CONFIG = "contract.source.timeout";
    public static final String SOURCE_TIMEOUT_DOC = "With contract.source=kafka:, how long configure() may take to"
            + " read the contracts topic to its end, and how long a consumer that meets an unknown version waits"
            + " to catch up with it, in seconds. All clients.";

    /**
     * Prefix of the consumer settings with which a {@code kafka:} source reads the contracts topic, over
     * those it takes from the client ({@code bootstrap.servers}, {@code security.protocol},
     * {@code client.dns.lookup}, {@code ssl.*}, {@code sasl.*}): e.g.
     * {@code contract.source.sasl.jaas.config} for a principal of its own.
     */
    public static final String SOURCE_OVERRIDE_PREFIX = "contract.source.";

    public static final String PRODUCT_CONFIG = "contract.product";
    public static final String PRODUCT_DOC = "The product the client is bound to. Default: the product whose topics"
            + " holds the record's topic. Both sides.";

    public static final String VERSION_CONFIG = "contract.version";
    public static final String VERSION_DOC = "The version the producer writes, exactly (e.g. 2.1) or as a major"
            + " (2 = latest 2.x). Default: the latest version. Producer.";

    public static final String READER_VERSION_CONFIG = "contract.reader.version";
    public static final String READER_VERSION_DOC = "The version the consumer's code is written against: 2 = latest"
            + " 2.x, or exactly 2.1. Records of other majors are migrated to it. Default: the latest version. Consumer.";

    public static final String READER_CLASS_CONFIG = "contract.reader.class";
    public static final String READER_CLASS_DOC = "What the deserializer returns: an Avro SpecificRecord class, a"
            + " generated Protobuf class, or for JSON java.util.Map or any class Jackson can bind. Default: the generic"
            + " form (GenericRecord; the contract's Protobuf class, else DynamicMessage; a Jackson JsonNode). Consumer.";

    public static final String READ_FAILURE_CONFIG = "contract.read.failure";
    public static final String READ_FAILURE_DOC = "What happens to undecodable bytes, an unknown version or missing"
            + " dp.* headers: fail (the poll fails with a RecordDeserializationException naming topic, partition and"
            + " offset) or dlq (the raw record goes to the dead-letter topic; needs ContractConsumerInterceptor, or in"
            + " Kafka Streams ContractDeserializationExceptionHandler)."
            + " Consumer.";
    public static final String READ_FAILURE_FAIL = "fail";
    public static final String READ_FAILURE_DLQ = "dlq";

    public static final String DLQ_TOPIC_CONFIG = "contract.dlq.topic";
    public static final String DLQ_TOPIC_DOC = "Dead-letter topic override. Default: the contract's dlq.topic, else"
            + " <topic>.dlq. Both sides.";

    public static final String KEY_DESERIALIZER_CONFIG = "contract.key.deserializer";
    public static final String KEY_DESERIALIZER_DOC = "The application's key deserializer, when key.deserializer is"
            + " dev.kontract.serde.ContractKeyDeserializer: Kontract keeps the raw key bytes so that dead letters carry"
            + " the key exactly as read, and hands the key to this deserializer. Consumer.";

    public static final String METRICS_REGISTRY_CONFIG = "contract.metrics.registry";
    public static final String METRICS_REGISTRY_DOC = "The Micrometer registry of Kontract's meters: the name of a"
            + " registry registered with MeterRegistries.register, or, in a config map built in code (a Spring"
            + " consumer or producer factory, Streams properties), the MeterRegistry itself. Default: Micrometer's"
            + " global registry. All clients.";

    private static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(SOURCE_CONFIG, Type.STRING, ContractLoader.DEFAULT_SOURCE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, SOURCE_DOC)
            .define(SOURCE_TIMEOUT_CONFIG, Type.INT, 30, ConfigDef.Range.atLeast(1), Importance.LOW,
                    SOURCE_TIMEOUT_DOC)
            .define(PRODUCT_CONFIG, Type.STRING, null, Importance.HIGH, PRODUCT_DOC)
            .define(VERSION_CONFIG, Type.STRING, null, Importance.MEDIUM, VERSION_DOC)
            .define(READER_VERSION_CONFIG, Type.STRING, null, Importance.HIGH, READER_VERSION_DOC)
            .define(READER_CLASS_CONFIG, Type.CLASS, null, Importance.MEDIUM, READER_CLASS_DOC)
            .define(READ_FAILURE_CONFIG, Type.STRING, READ_FAILURE_FAIL,
                    ConfigDef.ValidString.in(READ_FAILURE_FAIL, READ_FAILURE_DLQ), Importance.MEDIUM, READ_FAILURE_DOC)
            .define(DLQ_TOPIC_CONFIG, Type.STRING, null, Importance.MEDIUM, DLQ_TOPIC_DOC)
            .define(KEY_DESERIALIZER_CONFIG, Type.CLASS, null, Importance.MEDIUM, KEY_DESERIALIZER_DOC)
            .define(METRICS_REGISTRY_CONFIG, Type.STRING, null, Importance.LOW, METRICS_REGISTRY_DOC);

    /** The {@code contract.*} settings, their types, defaults and docs (a copy: changing it changes nothing). */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    private final Map<String, Object> sourceOverrides;
    /** A registry given as the value of {@value #METRICS_REGISTRY_CONFIG} rather than by name, or {@code null}. */
    private final MeterRegistry registryInstance;

    private ContractConfig(Map<String, ?> contractKeys, Map<String, Object> sourceOverrides,
            MeterRegistry registryInstance) {
        super(CONFIG_DEF, contractKeys, false);
        this.sourceOverrides = Map.copyOf(sourceOverrides);
        this.registryInstance = registryInstance;
    }

    /**
     * Reads the {@code contract.*} keys of a client config (other keys are ignored).
     *
     * @throws ConfigException naming the key and value when a key is unknown or a value invalid
     */
    public static ContractConfig of(Map<String, ?> clientConfig) {
        Map<String, Object> contractKeys = new HashMap<>();
        Map<String, Object> sourceOverrides = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        MeterRegistry registryInstance = null;
        for (Map.Entry<String, ?> entry : clientConfig.entrySet()) {
            if (entry.getKey().startsWith(PREFIX)) {
                if (entry.getKey().equals(METRICS_REGISTRY_CONFIG) && entry.getValue() instanceof MeterRegistry given) {
                    registryInstance = given;
                } else if (CONFIG_DEF.names().contains(entry.getKey())) {
                    contractKeys.put(entry.getKey(), entry.getValue());
                } else if (entry.getKey().startsWith(SOURCE_OVERRIDE_PREFIX)) {
                    String consumerKey = entry.getKey().substring(SOURCE_OVERRIDE_PREFIX.length());
                    if (!ConsumerConfig.configNames().contains(consumerKey)) {
                        throw new ConfigException(entry.getKey(), entry.getValue(), "not a consumer setting: "
                                + SOURCE_OVERRIDE_PREFIX + "* keys are the settings of the consumer that reads the"
                                + " contracts topic (the source's own setting is " + SOURCE_TIMEOUT_CONFIG + ")");
                    }
                    sourceOverrides.put(consumerKey, entry.getValue());
                } else {
                    unknown.add(entry.getKey());
                }
            }
        }
        if (!unknown.isEmpty()) {
            String key = unknown.stream().sorted().findFirst().orElseThrow();
            throw new ConfigException(key, clientConfig.get(key), "not a Kontract setting"
                    + (unknown.size() > 1 ? " (nor are " + String.join(", ", unknown.stream().sorted().skip(1).toList()) + ")"
                    : "") + "; the contract.* settings are " + String.join(", ", CONFIG_DEF.names().stream().sorted().toList()));
        }
        return new ContractConfig(contractKeys, sourceOverrides, registryInstance);
    }

    public String source() {
        return getString(SOURCE_CONFIG);
    }

    /** The contracts topic of a {@code kafka:} source, or empty for files. */
    public Optional<String> sourceTopic() {
        String source = source().trim();
        if (!source.startsWith(KAFKA_SOURCE_PREFIX)) {
            return Optional.empty();
        }
        String topic = source.substring(KAFKA_SOURCE_PREFIX.length()).trim();
        return Optional.of(topic.isEmpty() ? ContractTopic.DEFAULT_TOPIC : topic);
    }

    public Duration sourceTimeout() {
        return Duration.ofSeconds(getInt(SOURCE_TIMEOUT_CONFIG));
    }

    /** The {@value #SOURCE_OVERRIDE_PREFIX}* consumer settings, without the prefix. */
    public Map<String, Object> sourceOverrides() {
        return sourceOverrides;
    }

    public Optional<String> product() {
        return Optional.ofNullable(blankToNull(getString(PRODUCT_CONFIG)));
    }

    public Optional<String> version() {
        return Optional.ofNullable(blankToNull(getString(VERSION_CONFIG)));
    }

    public Optional<String> readerVersion() {
        return Optional.ofNullable(blankToNull(getString(READER_VERSION_CONFIG)));
    }

    public Optional<Class<?>> readerClass() {
        return Optional.ofNullable(getClass(READER_CLASS_CONFIG));
    }

    public boolean deadLetterReadFailures() {
        return READ_FAILURE_DLQ.equals(getString(READ_FAILURE_CONFIG));
    }

    public Optional<String> dlqTopic() {
        return Optional.ofNullable(blankToNull(getString(DLQ_TOPIC_CONFIG)));
    }

    public Optional<Class<?>> keyDeserializer() {
        return Optional.ofNullable(getClass(KEY_DESERIALIZER_CONFIG));
    }

    /** The registry named by {@value #METRICS_REGISTRY_CONFIG}, or empty when it is unset or given as a registry. */
    public Optional<String> metricsRegistry() {
        return Optional.ofNullable(blankToNull(getString(METRICS_REGISTRY_CONFIG)));
    }

    /**
     * The registry Kontract's meters go to: the one given, the one registered under the name given, or
     * Micrometer's global registry.
     *
     * @throws ConfigException when no registry is registered under the name given
     */
    public MeterRegistry meterRegistry() {
        if (registryInstance != null) {
            return registryInstance;
        }
        String name = metricsRegistry().orElse(null);
        return MeterRegistries.find(name).orElseThrow(() -> new ConfigException(METRICS_REGISTRY_CONFIG, name,
                "no Micrometer registry of that name is registered with MeterRegistries.register (registered: "
                        + String.join(", ", MeterRegistries.names()) + "); in a config map built in code the value"
                        + " may be the MeterRegistry itself"));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
