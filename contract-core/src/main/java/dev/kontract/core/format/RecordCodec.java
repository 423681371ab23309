package dev.kontract.core.format;

import java.nio.ByteBuffer;
import tools.jackson.databind.JsonNode;

/**
 * Encodes, decodes and converts the records of one contract version's schema, between the
 * application's objects, the wire bytes (the format's plain encoding) and the JSON view that rules
 * and migrations see. Built once per version with {@link #of}; thread-safe.
 *
 * <p>The JSON view is the format's canonical JSON with these choices: Avro unions are unwrapped
 * (the branch's value, or {@code null}), Avro and Protobuf bytes are base64 strings, enums are
 * their symbol names, Protobuf fields use their {@code .proto} names and 64-bit integers are JSON
 * numbers, and Protobuf fields without presence appear with their default value so that rules can
 * read them.
 *
 * <p>No input ends as an {@link Error}: bytes beyond the codec's {@link DecodeLimits}, malformed in
 * any way, or nested deeper than the thread's stack allows are an {@link InvalidRecordException}, from
 * the decoders, the readers, {@link #toJson} and {@link #fromJson} alike.
 */
public interface RecordCodec {

    /** A codec for {@code schema}, with the {@linkplain DecodeLimits#defaults() current decode limits}. */
    static RecordCodec of(ContractSchema schema) {
        return of(schema, DecodeLimits.defaults());
    }

    /** A codec for {@code schema} that refuses records beyond {@code limits}. */
    static RecordCodec of(ContractSchema schema, DecodeLimits limits) {
        java.util.Objects.requireNonNull(limits, "limits");
        if (schema instanceof AvroContractSchema avro) {
            return new StackGuardedCodec(new AvroRecordCodec(avro, limits));
        }
        if (schema instanceof ProtobufContractSchema protobuf) {
            return new StackGuardedCodec(new ProtobufRecordCodec(protobuf, limits));
        }
        return new StackGuardedCodec(new JsonRecordCodec((JsonContractSchema) schema, limits));
    }

    ContractSchema schema();

    /**
     * Checks an application record against the schema and encodes it.
     *
     * @throws InvalidRecordException naming the field that does not match
     */
    byte[] encode(Object record);

    /**
     * Encodes an application record whose JSON view the caller has already built (to run rules over it),
     * in whichever way is cheaper for the format; the result is that of {@link #encode(Object)}.
     *
     * @throws InvalidRecordException naming the field that does not match
     */
    default byte[] encode(Object record, JsonNode view) {
        return encode(record);
    }

    /**
     * The application record as compiled rules may read it in place (with the values its JSON view
     * would show), or {@code null} when they must read its JSON view: an Avro record, a Protobuf
     * message, a Jackson tree.
     */
    default Object inPlace(Object record) {
        return null;
    }

    /**
     * Whether records this codec reads as {@code readerClass} ({@code null}: the generic form) can be
     * checked by rules in place, with the values their JSON view shows and the validation it gets.
     */
    default boolean readsInPlace(Class<?> readerClass) {
        return false;
    }

    /**
     * Encodes a record given as its JSON view (after a transform rule).
     *
     * @throws InvalidRecordException naming the field that does not match
     */
    byte[] encodeJson(JsonNode record);

    /**
     * The JSON view of an application record or of a record this codec decoded.
     *
     * @throws InvalidRecordException when the object is not a record of this schema
     */
    JsonNode toJson(Object record);

    /**
     * Decodes bytes written with this schema into the format's generic form (Avro
     * {@code GenericRecord}, Protobuf {@code DynamicMessage} or generated class, JSON tree).
     *
     * @throws InvalidRecordException when the bytes are not a record of this schema
     */
    Object decode(ByteBuffer bytes);

    /**
     * Builds a record of this schema from its JSON view, as {@code readerClass} (or the generic form
     * when {@code null}). Like schema resolution, it ignores properties the schema does not have (a
     * migration need only change the fields it is about) and fills fields the view lacks from their
     * defaults; JSON Schema's own {@code additionalProperties} still applies.
     *
     * @throws InvalidRecordException naming the field that does not fit this schema
     */
    Object fromJson(JsonNode record, Class<?> readerClass);

    /**
     * A reader of bytes written with {@code writer}'s schema (same format, same major) into this
     * schema, by the format's own resolution, as {@code readerClass} (or the generic form when
     * {@code null}). Build it once per writer.
     *
     * @throws IllegalArgumentException when {@code readerClass} cannot hold records of this schema
     */
    RecordReader readerFor(RecordCodec writer, Class<?> readerClass);

    /**
     * A reader of bytes written with {@code writer}'s schema (same format, another major) straight into
     * this schema's records, applying {@code mapping} (the migration's field mapping) on the way, with
     * the record the JSON-view path builds. Empty when the format cannot express the mapping in its
     * own resolution for these schemas; the migration then runs on the JSON view. Build it once per
     * writer.
     */
    default java.util.Optional<RecordReader> migratingReaderFor(RecordCodec writer,
            dev.kontract.core.rules.FieldMapping mapping, Class<?> readerClass) {
        return java.util.Optional.empty();
    }

    /** Reads bytes into the application's type; thread-safe. */
    @FunctionalInterface
    interface RecordReader {

        /** @throws InvalidRecordException when the bytes cannot be decoded */
        Object read(ByteBuffer bytes);
    }
}
