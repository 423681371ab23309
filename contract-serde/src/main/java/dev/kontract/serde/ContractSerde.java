package dev.kontract.serde;

import dev.kontract.serde.internal.deadletter.DeadLetterRoute;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link ContractSerializer} and {@link ContractDeserializer} as one {@link Serde}, for Kafka
 * Streams ({@code default.value.serde} or {@code Consumed.with} / {@code Produced.with}). Both
 * halves read the same {@code contract.*} keys: {@code contract.version} for what the topology
 * writes, {@code contract.reader.version} for what it reads.
 *
 * <p><b>Dead letters.</b> Streams reads and writes records itself, around its clients'
 * interceptors, so a topology dead-letters through Streams' exception handlers instead:
 * {@code deserialization.exception.handler=}{@link ContractDeserializationExceptionHandler} for
 * {@code DLQ} rules of the read path and {@code contract.read.failure=dlq}, and
 * {@code production.exception.handler=}{@link ContractProductionExceptionHandler} for {@code DLQ} rules
 * of the written version. The serde reads those keys from the config it is configured with: Streams
 * passes its own config to its default serdes; a serde built in code needs the Streams config in
 * {@link #configured}. Without the handler a side needs, {@code configure} fails, naming it.
 * {@code interceptor.classes} in that config is ignored.
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
     *     bound product with {@code DLQ} rules, without the exception handler that dead-letters them
     */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> withoutInterceptors = new HashMap<>(configs);
        withoutInterceptors.remove("interceptor.classes");
        serializer.configure(withoutInterceptors, isKey, DeadLetterRoute.streamsWriting(configs));
        deserializer.configure(withoutInterceptors, isKey, DeadLetterRoute.streamsReading(configs));
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
