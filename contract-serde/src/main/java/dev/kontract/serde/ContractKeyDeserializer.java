package dev.kontract.serde;

import dev.kontract.serde.internal.deadletter.KeyCapture;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * A key deserializer that keeps the raw key bytes of each record for its dead letter, and otherwise
 * is the application's own key deserializer, named by {@code contract.key.deserializer}:
 *
 * <pre>
 * key.deserializer=dev.kontract.serde.ContractKeyDeserializer
 * contract.key.deserializer=org.apache.kafka.common.serialization.StringDeserializer
 * </pre>
 *
 * A consumer that dead-letters ({@code DLQ} rules, {@code contract.read.failure=dlq}) needs it unless
 * its key deserializer returns the bytes themselves ({@code ByteArrayDeserializer},
 * {@code ByteBufferDeserializer}, {@code BytesDeserializer}): a dead letter carries the key bytes as
 * they were read, and no deserializer can be relied on to give them back (a key that is not valid
 * UTF-8 does not survive {@code StringDeserializer}). Keeping them costs no copy unless the record is
 * dead-lettered.
 *
 * @param <K> what the application's key deserializer returns
 */
public final class ContractKeyDeserializer<K> implements Deserializer<K> {

    private Deserializer<K> delegate;

    /** For Kafka, which instantiates deserializers by class name and then calls {@link #configure}. */
    public ContractKeyDeserializer() {}

    /** Around {@code delegate}, for clients built with deserializer instances; {@link #configure} configures it. */
    public ContractKeyDeserializer(Deserializer<K> delegate) {
        this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * @throws ConfigException when used as a value deserializer, or, without a delegate given to the
     *     constructor, {@code contract.key.deserializer} is missing or not a deserializer
     */
    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (!isKey) {
            throw new ConfigException("value.deserializer", getClass().getName(),
                    "ContractKeyDeserializer reads record keys; use it as key.deserializer");
        }
        if (delegate != null) {
            delegate.configure(configs, true);
            return;
        }
        Class<?> type = ContractConfig.of(configs).keyDeserializer().orElseThrow(() -> new ConfigException(
                ContractConfig.KEY_DESERIALIZER_CONFIG, null, "names the key deserializer that "
                        + getClass().getSimpleName() + " hands keys to, e.g. "
                        + "org.apache.kafka.common.serialization.StringDeserializer"));
        if (!Deserializer.class.isAssignableFrom(type) || type == ContractKeyDeserializer.class) {
            throw new ConfigException(ContractConfig.KEY_DESERIALIZER_CONFIG, type.getName(),
                    "not the application's key deserializer (a " + Deserializer.class.getName() + " other than this one)");
        }
        delegate = Utils.newInstance((Class<Deserializer<K>>) type);
        delegate.configure(configs, true);
    }

    @Override
    public K deserialize(String topic, byte[] data) {
        return deserialize(topic, new RecordHeaders(), data);
    }

    @Override
    public K deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, headers, data == null ? null : ByteBuffer.wrap(data));
    }

    @Override
    public K deserialize(String topic, Headers headers, ByteBuffer data) {
        if (delegate == null) {
            throw new IllegalStateException("ContractKeyDeserializer is not configured");
        }
        if (data != null) {
            KeyCapture.capture(headers, data);
        }
        return delegate.deserialize(topic, headers, data);
    }

    @Override
    public void close() {
        if (delegate != null) {
            delegate.close();
        }
    }
}
