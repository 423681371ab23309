package dev.kontract.serde;

import dev.kontract.serde.internal.ContractWriter;
import dev.kontract.serde.internal.WriteHandoff;
import dev.kontract.serde.internal.deadletter.DeadLetterRoute;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A value serializer that enforces a data contract: it checks each record against the schema of the
 * version it writes, runs the version's {@code WRITE} rules, tags the record with the {@code dp.*}
 * product headers and writes the format's plain encoding (Avro binary, Protobuf binary, UTF-8 JSON).
 *
 * <p>A record that breaks the contract never reaches the topic. Under {@code ERROR} (the default)
 * {@code send()} throws a {@link dev.kontract.core.ContractViolationException} naming product,
 * version, topic, rule and reason. Under {@code NONE} the record is written and counted
 * {@code invalid}. Under {@code DLQ} the record goes to the dead-letter topic and {@code send()}
 * succeeds: that takes {@code dev.kontract.interceptors.ContractProducerInterceptor} in
 * {@code interceptor.classes}, because only an interceptor can change a record's topic; without it
 * the client fails at {@code configure} (or, when the product is bound by topic, at the first send).
 *
 * <p>Configure it like any Kafka serializer ({@code value.serializer}, {@code contract.*}
 * properties, see {@link ContractConfig}) or build a complete instance with {@link #builder()}:
 * Kafka does not call {@code configure} on instances passed to a client constructor. Tombstones
 * ({@code null} values) pass through, tagged.
 *
 * @param <T> the record type: Avro {@code GenericRecord}/{@code SpecificRecord}, a Protobuf
 *     {@code Message}, or for JSON a Jackson tree, a {@code Map} or a POJO
 */
public final class ContractSerializer<T> implements Serializer<T> {

    private ContractWriter writer;

    /** For Kafka, which instantiates serializers by class name and then calls {@link #configure}. */
    public ContractSerializer() {}

    /**
     * @throws ConfigException when used as a key serializer, or a {@code contract.*} key or value is wrong
     * @throws dev.kontract.core.ContractException when the contracts do not load
     */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        configure(configs, isKey, DeadLetterRoute.INTERCEPTORS);
    }

    /** As {@link #configure(Map, boolean)}, for a client whose dead letters take {@code route}. */
    void configure(Map<String, ?> configs, boolean isKey, DeadLetterRoute route) {
        if (isKey) {
            throw new ConfigException("key.serializer", getClass().getName(),
                    "Kontract governs record values; use it as value.serializer");
        }
        ContractWriter configured = ContractWriter.of(configs, route);
        close();
        this.writer = configured;
    }

    /** Releases the contract source ({@code contract.source=kafka:} stops its reader with its last client). */
    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return serialize(topic, new RecordHeaders(), data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        ContractWriter configured = requireConfigured();
        if (headers.lastHeader(ContractHeaders.ERROR_STAGE) != null && configured.isDeadLetter(topic, headers)) {
            return configured.serializeDeadLetter(topic, headers, data);
        }
        ContractWriter.Binding binding = configured.binding(topic);
        binding.tag(headers);
        if (data == null) {
            return null;
        }
        return binding.write(data, WriteHandoff.take(data, topic));
    }

    private ContractWriter requireConfigured() {
        if (writer == null) {
            throw new IllegalStateException("ContractSerializer is not configured: let Kafka configure it from"
                    + " value.serializer, or build it with ContractSerializer.builder()");
        }
        return writer;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /**
     * Builds a configured serializer from the same {@code contract.*} keys, validated the same way.
     *
     * @param <T> the record type
     */
    public static final class Builder<T> {

        private final Map<String, Object> config = new HashMap<>();

        private Builder() {}

        /** The client config the producer is built with (so that {@code interceptor.classes} is known). */
        public Builder<T> clientConfig(Map<String, ?> clientConfig) {
            config.putAll(clientConfig);
            return this;
        }

        public Builder<T> source(String source) {
            return set(ContractConfig.SOURCE_CONFIG, source);
        }

        public Builder<T> product(String product) {
            return set(ContractConfig.PRODUCT_CONFIG, product);
        }

        public Builder<T> version(String version) {
            return set(ContractConfig.VERSION_CONFIG, version);
        }

        public Builder<T> dlqTopic(String dlqTopic) {
            return set(ContractConfig.DLQ_TOPIC_CONFIG, dlqTopic);
        }

        public Builder<T> metricsRegistry(String name) {
            return set(ContractConfig.METRICS_REGISTRY_CONFIG, name);
        }

        /** Kontract's meters go to this registry (rather than one registered by name). */
        public Builder<T> metricsRegistry(MeterRegistry registry) {
            return set(ContractConfig.METRICS_REGISTRY_CONFIG, registry);
        }

        private Builder<T> set(String key, Object value) {
            config.put(key, Objects.requireNonNull(value, key));
            return this;
        }

        /** @throws ConfigException as {@link ContractSerializer#configure} would */
        public ContractSerializer<T> build() {
            ContractSerializer<T> serializer = new ContractSerializer<>();
            serializer.configure(config, false);
            return serializer;
        }
    }
}
