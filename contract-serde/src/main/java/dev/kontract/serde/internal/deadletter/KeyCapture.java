package dev.kontract.serde.internal.deadletter;

import java.nio.ByteBuffer;
import org.apache.kafka.common.header.Headers;

/**
 * Leaves the raw key bytes of the record being deserialized to the value deserializer. Kafka reads a
 * record's key, then its value, on one thread and with one {@link Headers} object; so the key
 * deserializer keeps a view of the key bytes per thread, and the value deserializer takes it only for
 * the very same headers. Nothing is copied unless the record is dead-lettered.
 */
public final class KeyCapture {

    private static final ThreadLocal<KeyCapture> CURRENT = ThreadLocal.withInitial(KeyCapture::new);

    private Headers headers;
    private ByteBuffer key;
    private int position;
    private int limit;

    private KeyCapture() {}

    /** Called by the key deserializer before it reads {@code key}. */
    public static void capture(Headers headers, ByteBuffer key) {
        KeyCapture current = CURRENT.get();
        current.headers = headers;
        current.key = key;
        current.position = key.position();
        current.limit = key.limit();
    }

    /** Forgets what was captured, so that no fetched buffer is held past its record. */
    public static void forget() {
        KeyCapture current = CURRENT.get();
        current.headers = null;
        current.key = null;
    }

    /** The key bytes captured for {@code headers}, or {@code null}; forgets them either way. */
    static ByteBuffer take(Headers headers) {
        KeyCapture current = CURRENT.get();
        ByteBuffer key = current.headers == headers ? current.key : null;
        ByteBuffer bytes = key == null ? null : key.duplicate().limit(current.limit).position(current.position);
        forget();
        return bytes;
    }
}
