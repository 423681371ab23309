package dev.kontract.core.format;

import dev.kontract.core.rules.FieldMapping;
import java.nio.ByteBuffer;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The codec boundary: every format's codec sits behind one of these, which turns a
 * {@link StackOverflowError} from any of its entry points into an {@link InvalidRecordException}.
 * The formats bound nesting themselves ({@link DecodeLimits#maxNestingDepth}); this is the backstop
 * for what they do not bound (a thread with a small stack, a JSON view a rule built, a recursive
 * Avro schema's writer-only field that resolution skips), so that no record ends as an
 * {@link Error} out of {@code poll()} or {@code send()}.
 */
final class StackGuardedCodec implements RecordCodec {

    private final RecordCodec codec;

    StackGuardedCodec(RecordCodec codec) {
        this.codec = codec;
    }

    static InvalidRecordException tooDeep() {
        return new InvalidRecordException("not readable: the record nests deeper than the thread's stack allows");
    }

    private static RecordCodec unwrap(RecordCodec codec) {
        return codec instanceof StackGuardedCodec guarded ? guarded.codec : codec;
    }

    private static RecordReader guarded(RecordReader reader) {
        return bytes -> {
            try {
                return reader.read(bytes);
            } catch (StackOverflowError e) {
                throw tooDeep();
            }
        };
    }

    @Override
    public ContractSchema schema() {
        return codec.schema();
    }

    @Override
    public byte[] encode(Object record) {
        try {
            return codec.encode(record);
        } catch (StackOverflowError e) {
            throw tooDeep();
        }
    }

    @Override
    public byte[] encode(Object record, JsonNode view) {
        try {
            return codec.encode(record, view);
        } catch (StackOverflowError e) {
            throw tooDeep();
        }
    }

    @Override
    public Object inPlace(Object record) {
        return codec.inPlace(record);
    }

    @Override
    public boolean readsInPlace(Class<?> readerClass) {
        return codec.readsInPlace(readerClass);
    }

    @Override
    public byte[] encodeJson(JsonNode record) {
        try {
            return codec.encodeJson(record);
        } catch (StackOverflowError e) {
            throw tooDeep();
        }
    }

    @Override
    public JsonNode toJson(Object record) {
        try {
            return codec.toJson(record);
        } catch (StackOverflowError e) {
            throw tooDeep();
        }
    }

    @Override
    public Object decode(ByteBuffer bytes) {
        try {
            return codec.decode(bytes);
        } catch (StackOverflowError e) {
            throw tooDeep();
        }
    }

    @Override
    public Object fromJson(JsonNode record, Class<?> readerClass) {
        try {
            return codec.fromJson(record, readerClass);
        } catch (StackOverflowError e) {
            throw tooDeep();
        }
    }

    @Override
    public RecordReader readerFor(RecordCodec writer, Class<?> readerClass) {
        return guarded(codec.readerFor(unwrap(writer), readerClass));
    }

    @Override
    public Optional<RecordReader> migratingReaderFor(RecordCodec writer, FieldMapping mapping, Class<?> readerClass) {
        return codec.migratingReaderFor(unwrap(writer), mapping, readerClass).map(StackGuardedCodec::guarded);
    }

    @Override
    public String toString() {
        return codec.toString();
    }
}
