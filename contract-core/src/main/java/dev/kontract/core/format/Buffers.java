package dev.kontract.core.format;

import java.nio.ByteBuffer;

final class Buffers {

    private Buffers() {}

    /** The buffer itself when it has a backing array, else a heap copy of its remaining bytes. */
    static ByteBuffer onHeap(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            return buffer;
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return ByteBuffer.wrap(copy);
    }
}
