package dev.kontract.serde;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link ContractSerializer} and {@link ContractDeserializer} as one {@link Serde}, for Kafka
 * Streams ({@code default.value.serde} or {@code Consumed.with} / {@code Produced.with}). Both
 * halves read the same {@code contract.*} keys: {@code contract.version} for what the topology
 * writes, {@code contract.reader.version} for what it reads.
 *
 * <p>Streams serializes records itself, before its producer and its interceptors see them, so
 * {@code DLQ} rules and {@code contract.read.failure=dlq} are not available here: configuring them
 * fails, even when {@code interceptor.classes} names Kontract's interceptors (Streams runs them before
 * it deserializes). Use {@code ERROR} and Streams' own exception handlers.
 *
 * @param <T> the record type
 */
public final class ContractSerde<T> implements Serde<T> {

    private final ContractSerializer<T> serializer;
    private final ContractDeserializer<T> deserializer;

    /** For Kafka Streams, which instantiates serdes by class name and then calls {@link #configure}. */
    public ContractSerde() {
        this(new ContractSerializer<>(), new ContractDeserializer<>());
    }

    private ContractSerde(ContractSerializer<T> serializer, ContractDeserializer<T> deserializer) {
        this.serializer = serializer;
        this.deserializer = deserializer;
    }

    /** A serde of two configured halves, for topologies built in code. */
    public static <T> ContractSerde<T> of(ContractSerializer<T> serializer, ContractDeserializer<T> deserializer) {
        return new ContractSerde<>(serializer, deserializer);
    }

    /** A serde configured from {@code contract.*} keys, for topologies built in code. */
    public static <T> ContractSerde<T> configured(Map<String, ?> configs) {
        ContractSerde<T> serde = new ContractSerde<>();
        serde.configure(configs, false);
        return serde;
    }

    /**
     * @throws org.apache.kafka.common.config.ConfigException for {@code contract.read.failure=dlq} or a
     *     bound product with {@code DLQ} rules, which Streams cannot honour
     */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (ContractConfig.of(configs).deadLetterReadFailures()) {
            throw new ConfigException(ContractConfig.READ_FAILURE_CONFIG, ContractConfig.READ_FAILURE_DLQ,
                    "not available with ContractSerde: Kafka Streams deserializes records after its consumer's"
                            + " interceptors ran; use fail and Streams' deserialization.exception.handler");
        }
        Map<String, Object> withoutInterceptors = new HashMap<>(configs);
        withoutInterceptors.remove("interceptor.classes");
        serializer.configure(withoutInterceptors, isKey);
        deserializer.configure(withoutInterceptors, isKey);
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
