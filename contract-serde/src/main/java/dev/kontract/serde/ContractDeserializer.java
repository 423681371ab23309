package dev.kontract.serde;

import dev.kontract.serde.internal.ClientSettings;
import dev.kontract.serde.internal.ContractReader;
import dev.kontract.serde.internal.ReadTrace;
import dev.kontract.serde.internal.deadletter.DeadLetterMark;
import dev.kontract.serde.internal.deadletter.DeadLetterRequest;
import dev.kontract.serde.internal.deadletter.DeadLetterRoute;
import dev.kontract.serde.internal.deadletter.KeyCapture;
import java.nio.ByteBuffer;
import java.time.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A value deserializer that reads records under a data contract, as the version the application is
 * written against ({@code contract.reader.version}). It reads the writer's version from the
 * {@code dp.version} header; within a major the schema format's own resolution reads across minor
 * versions, across majors the contract's {@code UPGRADE} / {@code DOWNGRADE} rules migrate the
 * record first. Then the reader version's {@code READ} rules run.
 *
 * <p>Undecodable bytes, a missing or unknown {@code dp.version}, or another product's record follow
 * {@code contract.read.failure}: {@code fail} (default) makes {@code poll()} throw Kafka's
 * {@code RecordDeserializationException} naming topic, partition and offset, with a
 * {@link dev.kontract.core.ContractViolationException} as its cause, and the record is not skipped;
 * {@code dlq} sends the raw record to the dead-letter topic and consumption goes on. Rules that fail
 * follow their own {@code onFailure}. Dead-lettering needs
 * {@code dev.kontract.interceptors.ContractConsumerInterceptor} in {@code interceptor.classes}
 * (a deserializer cannot drop a record or see its offset), and a key deserializer that keeps the
 * key's bytes ({@link ContractKeyDeserializer}, or a byte-array one); without them {@code configure}
 * fails.
 *
 * @param <T> what the application reads, see {@link ContractConfig#READER_CLASS_CONFIG}
 */
public final class ContractDeserializer<T> implements Deserializer<T> {

    private final Clock clock;
    private ContractReader reader;
    /** Whether another deserializer wraps this one (it is not the consumer's {@code value.deserializer}). */
    private boolean wrapped;

    /** For Kafka, which instantiates deserializers by class name and then calls {@link #configure}. */
    public ContractDeserializer() {
        this(Clock.systemUTC());
    }

    ContractDeserializer(Clock clock) {
        this.clock = clock;
    }

    /**
     * @throws ConfigException when used as a key deserializer, or a {@code contract.*} key or value is wrong
     * @throws dev.kontract.core.ContractException when the contracts do not load
     */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        configure(configs, isKey, DeadLetterRoute.INTERCEPTORS);
    }

    /** As {@link #configure(Map, boolean)}, for a client whose dead letters take {@code route}. */
    void configure(Map<String, ?> configs, boolean isKey, DeadLetterRoute route) {
        if (isKey) {
            throw new ConfigException("key.deserializer", getClass().getName(),
                    "Kontract governs record values; use it as value.deserializer");
        }
        ContractReader configured = ContractReader.of(configs, route, clock);
        close();
        this.reader = configured;
        this.wrapped = !getClass().getName().equals(ClientSettings.className(configs.get("value.deserializer")));
    }

    /** Releases the contract source ({@code contract.source=kafka:} stops its reader with its last client). */
    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
    }

    /**
     * Without the record's headers there is no {@code dp.version} to read, and a rejected record could
     * not be marked for its dead letter: a rejection throws here whatever the rules say.
     */
    @Override
    public T deserialize(String topic, byte[] data) {
        Headers headers = new RecordHeaders();
        T value = deserialize(topic, headers, data);
        if (value == null && data != null && DeadLetterMark.removeForged(headers)) {
            throw DeadLetterMark.violation(headers, "not dead-lettered: the record was read without its headers");
        }
        return value;
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, headers, data == null ? null : ByteBuffer.wrap(data));
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, Headers headers, ByteBuffer data) {
        if (reader == null) {
            throw new IllegalStateException("ContractDeserializer is not configured: let Kafka configure it from"
                    + " value.deserializer, or build it with ContractDeserializer.builder()");
        }
        if (wrapped) {
            ReadTrace.read(topic);
        }
        boolean toStreamsHandler = false;
        try {
            return data == null ? null : (T) reader.binding(topic).read(headers, data);
        } catch (DeadLetterRequest request) {
            toStreamsHandler = true;
            throw request;
        } finally {
            KeyCapture.forget();
            if (!toStreamsHandler) {
                DeadLetterMark.removeForged(headers);
            }
        }
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /**
     * Builds a configured deserializer from the same {@code contract.*} keys, validated the same way.
     *
     * @param <T> what the application reads
     */
    public static final class Builder<T> {

        private final Map<String, Object> config = new HashMap<>();

        private Builder() {}

        /** The client config the consumer is built with (so that {@code interceptor.classes} is known). */
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

        public Builder<T> readerVersion(String version) {
            return set(ContractConfig.READER_VERSION_CONFIG, version);
        }

        public Builder<T> readerClass(Class<? extends T> type) {
            return set(ContractConfig.READER_CLASS_CONFIG, type);
        }

        /** {@code fail} or {@code dlq}. */
        public Builder<T> readFailure(String readFailure) {
            return set(ContractConfig.READ_FAILURE_CONFIG, readFailure);
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

        /** @throws ConfigException as {@link ContractDeserializer#configure} would */
        public ContractDeserializer<T> build() {
            ContractDeserializer<T> deserializer = new ContractDeserializer<>();
            deserializer.configure(config, false);
            return deserializer;
        }
    }
}
