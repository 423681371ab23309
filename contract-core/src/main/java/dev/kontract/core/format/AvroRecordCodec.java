package dev.kontract.core.format;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kontract.core.rules.FieldMapping;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.ResolvingDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.Utf8;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Avro records: {@code GenericRecord} or generated {@code SpecificRecord} classes, Avro binary on
 * the wire. Writers and readers are built once; encoders and decoders are reused per thread.
 *
 * <p>Reading within {@link DecodeLimits}: Avro itself refuses a string, bytes or fixed value longer
 * than the bytes left. Where the writer's schema has arrays or maps, the decoder is wrapped in a
 * {@link CountingDecoder}, which adds up the block counts as the reader reads them (a check per
 * block, not per item) and refuses the record past {@link DecodeLimits#maxCollectionItems}, before
 * anything is allocated for the block. Where the writer's schema is recursive, the datum reader counts
 * record levels and refuses the record past {@link DecodeLimits#maxNestingDepth}; it is Avro's
 * resolving reader, since Avro's default fast reader has no place to count them. Other schemas read
 * as Avro reads them, with nothing added.
 */
final class AvroRecordCodec implements RecordCodec {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ThreadLocal<BinaryEncoder> ENCODER = new ThreadLocal<>();
    private static final ThreadLocal<ReadState> READ_STATE = ThreadLocal.withInitial(ReadState::new);

    private final AvroContractSchema contractSchema;
    private final Schema schema;
    private final DecodeLimits limits;
    private final long fingerprint;
    private final DatumWriter<Object> genericWriter;
    private final RecordReader genericReader;
    private final boolean inPlaceSafe;
    private final boolean hasLogicalTypes;
    /** Schema objects of application records already found equal to this one (by identity, bounded). */
    private final Cache<Schema, Boolean> verified = Caffeine.newBuilder().weakKeys().maximumSize(64).build();
    /** Reader classes checked against this schema, once each. */
    private final ClassValue<SpecificData> specificReaders = new ClassValue<>() {
        @Override
        protected SpecificData computeValue(Class<?> type) {
            return checkSpecificClass(type);
        }
    };
    /** The application's schema object seen last: one per application, in practice. */
    private volatile Schema lastVerified;
    private final ClassValue<DatumWriter<Object>> specificWriters = new ClassValue<>() {
        @Override
        protected DatumWriter<Object> computeValue(Class<?> type) {
            return new SpecificDatumWriter<>(schema, SpecificData.getForClass(type));
        }
    };

    AvroRecordCodec(AvroContractSchema contractSchema, DecodeLimits limits) {
        this.contractSchema = contractSchema;
        this.schema = contractSchema.schema();
        this.limits = limits;
        this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        this.genericWriter = new GenericDatumWriter<>(schema, GenericData.get());
        this.genericReader = reader(schema, schema, null);
        this.inPlaceSafe = !hasDecimal(schema, Collections.newSetFromMap(new IdentityHashMap<>()));
        this.hasLogicalTypes = schema.toString().contains("\"logicalType\"");
    }

    @Override
    public ContractSchema schema() {
        return contractSchema;
    }

    @Override
    public byte[] encode(Object record) {
        return write(requireRecord(record));
    }

    /** Records of schemas with decimals are read through the view: their bytes show as numbers there. */
    @Override
    public Object inPlace(Object record) {
        if (!inPlaceSafe || !(record instanceof IndexedRecord)) {
            return null;
        }
        // generated classes convert logical types (timestamp-millis to Instant ...); the view shows numbers
        return record instanceof SpecificRecord && hasLogicalTypes ? null : record;
    }

    @Override
    public boolean readsInPlace(Class<?> readerClass) {
        return inPlaceSafe && (readerClass == null || readerClass.isAssignableFrom(GenericData.Record.class)
                || !hasLogicalTypes);
    }

    private static boolean hasDecimal(Schema schema, Set<Schema> seen) {
        if (!seen.add(schema)) {
            return false;
        }
        if (schema.getLogicalType() instanceof LogicalTypes.Decimal) {
            return true;
        }
        switch (schema.getType()) {
            case RECORD:
                for (Schema.Field field : schema.getFields()) {
                    if (hasDecimal(field.schema(), seen)) {
                        return true;
                    }
                }
                return false;
            case UNION:
                return schema.getTypes().stream().anyMatch(branch -> hasDecimal(branch, seen));
            case ARRAY:
                return hasDecimal(schema.getElementType(), seen);
            case MAP:
                return hasDecimal(schema.getValueType(), seen);
            default:
                return false;
        }
    }

    @Override
    public byte[] encodeJson(JsonNode record) {
        return write((IndexedRecord) fromJson(record, null));
    }

    private byte[] write(IndexedRecord record) {
        DatumWriter<Object> writer = record instanceof SpecificRecord ? specificWriters.get(record.getClass()) : genericWriter;
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, ENCODER.get());
        ENCODER.set(encoder);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (NullPointerException | ClassCastException | AvroRuntimeException e) {
            throw new InvalidRecordException("does not match Avro schema " + schema.getFullName() + ": "
                    + withoutValues(e.getMessage()), e);
        } catch (IOException e) {
            throw new InvalidRecordException("cannot encode: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** Avro names types and fields in its messages, except "Unknown datum type T: value"; cut the value. */
    private static String withoutValues(String message) {
        if (message == null) {
            return "a field has the wrong type or is null";
        }
        int colon = message.startsWith("Unknown datum type") ? message.indexOf(": ") : -1;
        return colon > 0 ? message.substring(0, colon) : message;
    }

    private IndexedRecord requireRecord(Object record) {
        if (!(record instanceof IndexedRecord indexed)) {
            throw new InvalidRecordException("expected an Avro record (GenericRecord or SpecificRecord) of "
                    + schema.getFullName() + ", got " + (record == null ? "null" : record.getClass().getName()));
        }
        Schema recordSchema = indexed.getSchema();
        if (recordSchema != schema && recordSchema != lastVerified) {
            if (verified.getIfPresent(recordSchema) == null) {
                if (SchemaNormalization.parsingFingerprint64(recordSchema) != fingerprint) {
                    throw new InvalidRecordException("the record's schema " + recordSchema.getFullName()
                            + " is not this version's schema " + schema.getFullName() + " (the fields differ)");
                }
                verified.put(recordSchema, Boolean.TRUE);
            }
            lastVerified = recordSchema;
        }
        return indexed;
    }

    @Override
    public JsonNode toJson(Object record) {
        return toJson(schema, requireRecord(record));
    }

    @Override
    public Object decode(ByteBuffer bytes) {
        return genericReader.read(bytes);
    }

    /**
     * A reader of {@code writer}'s bytes into {@code reader}'s records, generic when {@code data} is
     * {@code null}, bounded by the limits where the writer's schema lets a record exceed them.
     */
    private RecordReader reader(Schema writer, Schema reader, SpecificData data) {
        boolean recursive = isRecursive(writer, new HashSet<>(), new HashSet<>());
        int maxRecordDepth = limits.maxNestingDepth() + 1; // the record itself is the first level
        DatumReader<Object> datumReader;
        if (data == null) {
            datumReader = recursive ? new DepthBoundedGenericReader(writer, reader, maxRecordDepth)
                    : new GenericDatumReader<>(writer, reader, GenericData.get());
        } else {
            datumReader = recursive ? new DepthBoundedSpecificReader(writer, reader, data, maxRecordDepth)
                    : new SpecificDatumReader<>(writer, reader, data);
        }
        long maxItems = hasCollections(writer, new HashSet<>()) ? limits.maxCollectionItems() : -1;
        return bytes -> read(datumReader, maxItems, bytes);
    }

    /** @param maxItems the most collection items the record may declare; -1 when it can have none */
    private static Object read(DatumReader<Object> reader, long maxItems, ByteBuffer bytes) {
        ByteBuffer heap = Buffers.onHeap(bytes);
        ReadState state = READ_STATE.get();
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(heap.array(), heap.arrayOffset() + heap.position(),
                heap.remaining(), state.binary);
        state.binary = decoder;
        state.depth = 0;
        try {
            Object value = reader.read(null, maxItems < 0 ? decoder : state.counting.reset(decoder, maxItems));
            if (!decoder.isEnd()) {
                throw new InvalidRecordException("not Avro binary of this schema: " + decoder.inputStream().available()
                        + " bytes left over after the record");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidRecordException invalid) {
                throw invalid;
            }
            throw new InvalidRecordException("not Avro binary of this schema: " + e, e);
        }
    }

    /** What reading needs per thread: the reused decoder, its counting view, the depth of records being read. */
    private static final class ReadState {
        BinaryDecoder binary;
        final CountingDecoder counting = new CountingDecoder();
        int depth;
    }

    /** Enters one more record level, refusing it past {@code maxRecordDepth}; the caller leaves it ({@code depth--}). */
    private static ReadState enterRecord(int maxRecordDepth) {
        ReadState state = READ_STATE.get();
        if (++state.depth > maxRecordDepth) {
            throw nestedTooDeep(maxRecordDepth);
        }
        return state;
    }

    private static InvalidRecordException nestedTooDeep(int maxRecordDepth) {
        return new InvalidRecordException("not Avro binary of this schema: records nest more than " + (maxRecordDepth - 1)
                + " levels deep (DecodeLimits.maxNestingDepth)");
    }

    /** A generic reader of a recursive schema, which counts the levels of records it reads. */
    private static final class DepthBoundedGenericReader extends GenericDatumReader<Object> {
        /** {@code GenericData.get()} but for the fast reader, which would not call {@link #readRecord}. */
        private static final GenericData DATA = new GenericData().setFastReaderEnabled(false);

        private final int maxRecordDepth;

        DepthBoundedGenericReader(Schema writer, Schema reader, int maxRecordDepth) {
            super(writer, reader, DATA);
            this.maxRecordDepth = maxRecordDepth;
        }

        @Override
        protected Object readRecord(Object old, Schema expected, ResolvingDecoder in) throws IOException {
            ReadState state = enterRecord(maxRecordDepth);
            try {
                return super.readRecord(old, expected, in);
            } finally {
                state.depth--;
            }
        }
    }

    /** A specific reader of a recursive schema, which counts the levels of records it reads. */
    private static final class DepthBoundedSpecificReader extends SpecificDatumReader<Object> {
        private final int maxRecordDepth;

        DepthBoundedSpecificReader(Schema writer, Schema reader, SpecificData data, int maxRecordDepth) {
            super(writer, reader, withoutFastReader(data));
            this.maxRecordDepth = maxRecordDepth;
        }

        /** A copy of the class's model (its class loader and conversions) for the resolving reader. */
        private static SpecificData withoutFastReader(SpecificData data) {
            SpecificData copy = new SpecificData(data.getClassLoader());
            data.getConversions().forEach(copy::addLogicalTypeConversion);
            copy.setFastReaderEnabled(false);
            return copy;
        }

        @Override
        protected Object readRecord(Object old, Schema expected, ResolvingDecoder in) throws IOException {
            ReadState state = enterRecord(maxRecordDepth);
            try {
                return super.readRecord(old, expected, in);
            } finally {
                state.depth--;
            }
        }
    }

    /**
     * A binary decoder that adds up the item counts of the blocks of arrays and maps as they are read
     * (and skipped), and refuses the record once they pass the limit. Everything else goes straight
     * to the binary decoder, {@link Decoder#remainingBytes} included, so Avro's own checks of lengths
     * against the bytes left still apply.
     */
    private static final class CountingDecoder extends Decoder {
        private BinaryDecoder in;
        private long items;
        private long maxItems;

        CountingDecoder reset(BinaryDecoder in, long maxItems) {
            this.in = in;
            this.items = 0;
            this.maxItems = maxItems;
            return this;
        }

        private long count(long blockItems) {
            if (blockItems < 0) { // a count of Long.MIN_VALUE, which Avro negates into itself
                throw new InvalidRecordException("not Avro binary of this schema: a block of an array or map declares"
                        + " a negative number of items");
            }
            // items never exceed maxItems, so the difference cannot overflow
            if (blockItems > maxItems - items) {
                throw new InvalidRecordException("not Avro binary of this schema: the record declares more than " + maxItems
                        + " array items and map entries (DecodeLimits.maxCollectionItems)");
            }
            items += blockItems;
            return blockItems;
        }

        @Override
        public long readArrayStart() throws IOException {
            return count(in.readArrayStart());
        }

        @Override
        public long arrayNext() throws IOException {
            return count(in.arrayNext());
        }

        @Override
        public long skipArray() throws IOException {
            return count(in.skipArray());
        }

        @Override
        public long readMapStart() throws IOException {
            return count(in.readMapStart());
        }

        @Override
        public long mapNext() throws IOException {
            return count(in.mapNext());
        }

        @Override
        public long skipMap() throws IOException {
            return count(in.skipMap());
        }

        @Override
        public int remainingBytes() {
            return in.remainingBytes();
        }

        @Override
        public void readNull() throws IOException {
            in.readNull();
        }

        @Override
        public boolean readBoolean() throws IOException {
            return in.readBoolean();
        }

        @Override
        public int readInt() throws IOException {
            return in.readInt();
        }

        @Override
        public long readLong() throws IOException {
            return in.readLong();
        }

        @Override
        public float readFloat() throws IOException {
            return in.readFloat();
        }

        @Override
        public double readDouble() throws IOException {
            return in.readDouble();
        }

        @Override
        public Utf8 readString(Utf8 old) throws IOException {
            return in.readString(old);
        }

        @Override
        public String readString() throws IOException {
            return in.readString();
        }

        @Override
        public void skipString() throws IOException {
            in.skipString();
        }

        @Override
        public ByteBuffer readBytes(ByteBuffer old) throws IOException {
            return in.readBytes(old);
        }

        @Override
        public void skipBytes() throws IOException {
            in.skipBytes();
        }

        @Override
        public void readFixed(byte[] bytes, int start, int length) throws IOException {
            in.readFixed(bytes, start, length);
        }

        @Override
        public void skipFixed(int length) throws IOException {
            in.skipFixed(length);
        }

        @Override
        public int readEnum() throws IOException {
            return in.readEnum();
        }

        @Override
        public int readIndex() throws IOException {
            return in.readIndex();
        }
    }

    /** Whether a record of {@code schema} can hold arrays or maps. */
    private static boolean hasCollections(Schema schema, Set<String> seen) {
        switch (schema.getType()) {
            case ARRAY:
            case MAP:
                return true;
            case RECORD:
                if (!seen.add(schema.getFullName())) {
                    return false;
                }
                for (Schema.Field field : schema.getFields()) {
                    if (hasCollections(field.schema(), seen)) {
                        return true;
                    }
                }
                return false;
            case UNION:
                for (Schema branch : schema.getTypes()) {
                    if (hasCollections(branch, seen)) {
                        return true;
                    }
                }
                return false;
            default:
                return false;
        }
    }

    /** Whether a record type of {@code schema} can hold a record of its own type, at any depth. */
    private static boolean isRecursive(Schema schema, Set<String> path, Set<String> done) {
        switch (schema.getType()) {
            case RECORD: {
                String name = schema.getFullName();
                if (path.contains(name)) {
                    return true;
                }
                if (!done.add(name)) {
                    return false;
                }
                path.add(name);
                for (Schema.Field field : schema.getFields()) {
                    if (isRecursive(field.schema(), path, done)) {
                        return true;
                    }
                }
                path.remove(name);
                return false;
            }
            case UNION:
                for (Schema branch : schema.getTypes()) {
                    if (isRecursive(branch, path, done)) {
                        return true;
                    }
                }
                return false;
            case ARRAY:
                return isRecursive(schema.getElementType(), path, done);
            case MAP:
                return isRecursive(schema.getValueType(), path, done);
            default:
                return false;
        }
    }

    /**
     * Avro's own schema resolution does the migration: the reader's schema, copied with the mapping's
     * renames as field aliases, its constants as field defaults and the writer's type names as aliases,
     * resolves the writer's bytes into the reader's record in one pass. Only when that resolution means
     * exactly the mapping: a reader field that must not take the writer's field of its own name, or a
     * constant of a type a default cannot hold, keeps the migration on the JSON view.
     */
    @Override
    public Optional<RecordReader> migratingReaderFor(RecordCodec writer,
            FieldMapping mapping, Class<?> readerClass) {
        Schema writerSchema = ((AvroRecordCodec) writer).schema;
        if (writerSchema.getType() != Schema.Type.RECORD || schema.getType() != Schema.Type.RECORD) {
            return Optional.empty();
        }
        Set<String> writerFields = new HashSet<>();
        writerSchema.getFields().forEach(field -> writerFields.add(field.name()));
        if (schema.toString().contains("\"aliases\"")) {
            return Optional.empty();
        }
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode derived = (ObjectNode) json.readTree(schema.toString());
        Set<String> sources = new HashSet<>();
        for (JsonNode fieldNode : derived.get("fields")) {
            ObjectNode field = (ObjectNode) fieldNode;
            String name = field.get("name").stringValue();
            var source = mapping.sourceOf(name, writerFields::contains);
            if (source.isEmpty()) {
                if (writerFields.contains(name) || !field.has("default")) {
                    return Optional.empty();
                }
            } else if (source.get() instanceof FieldMapping.Copy copy) {
                // each writer field feeds one reader field, of the same shape: resolution then means the copy
                if (!sources.add(copy.field()) || !sameShape(writerSchema.getField(copy.field()).schema(),
                        schema.getField(name).schema(), new HashSet<>())) {
                    return Optional.empty();
                }
                if (!copy.field().equals(name)) {
                    if (writerFields.contains(name)) {
                        return Optional.empty();
                    }
                    field.putArray("aliases").add(copy.field());
                }
            } else {
                JsonNode constant = ((FieldMapping.Constant) source.get()).value();
                if (writerFields.contains(name) || !fitsDefault(schema.getField(name).schema(), constant)) {
                    return Optional.empty();
                }
                field.set("default", constant);
            }
        }
        // a writer field renamed into one reader field must not also carry into another of its own name
        for (Schema.Field field : schema.getFields()) {
            if (writerFields.contains(field.name()) && !sources.contains(field.name())) {
                return Optional.empty();
            }
        }
        Map<String, Set<String>> writerNames = new HashMap<>();
        namedTypes(writerSchema, writerNames, Collections.newSetFromMap(new IdentityHashMap<>()));
        if (writerNames.values().stream().anyMatch(names -> names.size() > 1)) {
            return Optional.empty();
        }
        aliasNamedTypes(derived, writerNames, schema.getNamespace());
        Schema resolved;
        try {
            resolved = new Schema.Parser().parse(derived.toString());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (SchemaCompatibility.checkReaderWriterCompatibility(resolved, writerSchema).getType()
                != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return Optional.empty();
        }
        if (readerClass == null || readerClass.isAssignableFrom(GenericData.Record.class)) {
            return Optional.of(reader(writerSchema, resolved, null));
        }
        return Optional.of(reader(writerSchema, resolved, specificData(readerClass)));
    }

    /**
     * Whether values of {@code writer} resolve into {@code reader} exactly as the JSON view rebuilds
     * them: the same structure, field names, symbols, sizes, logical types and union branches (names of
     * named types may differ). Avro's promotions (int to long, bytes to string, an enum default, a
     * decimal's scale) are left to the JSON-view path, which treats them its own way.
     */
    private static boolean sameShape(Schema writer, Schema reader, Set<String> seen) {
        if (writer.getType() != reader.getType()
                || !java.util.Objects.equals(writer.getLogicalType(), reader.getLogicalType())) {
            return false;
        }
        switch (writer.getType()) {
            case RECORD: {
                if (!seen.add(writer.getFullName() + "->" + reader.getFullName())) {
                    return true;
                }
                List<Schema.Field> a = writer.getFields();
                List<Schema.Field> b = reader.getFields();
                if (a.size() != b.size()) {
                    return false;
                }
                for (int i = 0; i < a.size(); i++) {
                    if (!a.get(i).name().equals(b.get(i).name()) || !b.get(i).aliases().isEmpty()
                            || !sameShape(a.get(i).schema(), b.get(i).schema(), seen)) {
                        return false;
                    }
                }
                return true;
            }
            case ENUM:
                return writer.getEnumSymbols().equals(reader.getEnumSymbols());
            case FIXED:
                return writer.getFixedSize() == reader.getFixedSize();
            case ARRAY:
                return sameShape(writer.getElementType(), reader.getElementType(), seen);
            case MAP:
                return sameShape(writer.getValueType(), reader.getValueType(), seen);
            case UNION: {
                List<Schema> a = writer.getTypes();
                List<Schema> b = reader.getTypes();
                if (a.size() != b.size()) {
                    return false;
                }
                for (int i = 0; i < a.size(); i++) {
                    if (!sameShape(a.get(i), b.get(i), seen)) {
                        return false;
                    }
                }
                return true;
            }
            default:
                return true;
        }
    }

    private static boolean fitsDefault(Schema field, JsonNode constant) {
        return switch (field.getType()) {
            case STRING -> constant.isString();
            case BOOLEAN -> constant.isBoolean();
            case INT -> constant.isIntegralNumber() && constant.canConvertToInt();
            case LONG -> constant.isIntegralNumber() && constant.canConvertToLong();
            case FLOAT, DOUBLE -> constant.isNumber();
            case NULL -> constant.isNull();
            case ENUM -> constant.isString() && field.hasEnumSymbol(constant.stringValue());
            default -> false;
        };
    }

    private static void namedTypes(Schema schema, Map<String, Set<String>> names,
            Set<Schema> seen) {
        if (!seen.add(schema)) {
            return;
        }
        switch (schema.getType()) {
            case RECORD -> {
                names.computeIfAbsent(schema.getName(), n -> new HashSet<>()).add(schema.getFullName());
                schema.getFields().forEach(field -> namedTypes(field.schema(), names, seen));
            }
            case ENUM, FIXED -> names.computeIfAbsent(schema.getName(), n -> new HashSet<>())
                    .add(schema.getFullName());
            case UNION -> schema.getTypes().forEach(branch -> namedTypes(branch, names, seen));
            case ARRAY -> namedTypes(schema.getElementType(), names, seen);
            case MAP -> namedTypes(schema.getValueType(), names, seen);
            default -> { }
        }
    }

    /** Adds the writer's full name as an alias to every named type of the reader with the same short name. */
    private static void aliasNamedTypes(JsonNode node, Map<String, Set<String>> writerNames,
            String namespace) {
        if (node instanceof ArrayNode array) {
            array.forEach(item -> aliasNamedTypes(item, writerNames, namespace));
            return;
        }
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        String space = object.has("namespace") ? object.get("namespace").stringValue() : namespace;
        JsonNode type = object.get("type");
        if (type != null && type.isString() && object.has("name")
                && Set.of("record", "enum", "fixed").contains(type.stringValue())) {
            String name = object.get("name").stringValue();
            String shortName = name.substring(name.lastIndexOf('.') + 1);
            if (name.contains(".")) {
                space = name.substring(0, name.lastIndexOf('.'));
            }
            String fullName = space == null || space.isEmpty() ? shortName : space + "." + shortName;
            for (String writerName : writerNames.getOrDefault(shortName, Set.of())) {
                if (!writerName.equals(fullName)) {
                    ArrayNode aliases = object.has("aliases") ? (ArrayNode) object.get("aliases") : object.putArray("aliases");
                    aliases.add(writerName);
                }
            }
        }
        for (JsonNode child : object.values()) {
            aliasNamedTypes(child, writerNames, space);
        }
    }

    @Override
    public RecordReader readerFor(RecordCodec writer, Class<?> readerClass) {
        Schema writerSchema = ((AvroRecordCodec) writer).schema;
        if (readerClass == null || readerClass.isAssignableFrom(GenericData.Record.class)) {
            return reader(writerSchema, schema, null);
        }
        return reader(writerSchema, schema, specificData(readerClass));
    }

    private SpecificData specificData(Class<?> readerClass) {
        return specificReaders.get(readerClass);
    }

    private SpecificData checkSpecificClass(Class<?> readerClass) {
        if (!SpecificRecord.class.isAssignableFrom(readerClass)) {
            throw new IllegalArgumentException(readerClass.getName()
                    + " is not an Avro SpecificRecord class; leave it unset to read GenericRecord");
        }
        SpecificData data = SpecificData.getForClass(readerClass);
        Schema classSchema = data.getSchema(readerClass);
        if (SchemaNormalization.parsingFingerprint64(classSchema) != fingerprint) {
            throw new IllegalArgumentException(readerClass.getName() + " was generated from a different schema than "
                    + schema.getFullName() + " of this version (the fields differ)");
        }
        return data;
    }

    @Override
    public Object fromJson(JsonNode record, Class<?> readerClass) {
        Object generic = fromJson(schema, record, "");
        if (readerClass == null || readerClass.isInstance(generic)) {
            return generic;
        }
        return specificData(readerClass).deepCopy(schema, generic);
    }

    // ---- JSON view ----

    private static JsonNode toJson(Schema schema, Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        LogicalType logical = schema.getLogicalType();
        switch (schema.getType()) {
            case RECORD: {
                IndexedRecord record = (IndexedRecord) value;
                ObjectNode node = NODES.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    try {
                        node.set(field.name(), toJson(field.schema(), record.get(field.pos())));
                    } catch (InvalidRecordException e) {
                        throw new InvalidRecordException(e.getMessage().replaceFirst("^field '", "field '" + field.name()
                                + "."), e);
                    } catch (ClassCastException | AvroRuntimeException | IndexOutOfBoundsException e) {
                        throw new InvalidRecordException("field '" + field.name() + "' does not hold a "
                                + field.schema().getType().getName() + " (" + e.getClass().getSimpleName() + ")", e);
                    }
                }
                return node;
            }
            case UNION:
                return toJson(schema.getTypes().get(GenericData.get().resolveUnion(schema, value)), value);
            case ARRAY: {
                ArrayNode array = NODES.arrayNode();
                for (Object item : (Collection<?>) value) {
                    array.add(toJson(schema.getElementType(), item));
                }
                return array;
            }
            case MAP: {
                ObjectNode map = NODES.objectNode();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    map.set(entry.getKey().toString(), toJson(schema.getValueType(), entry.getValue()));
                }
                return map;
            }
            case STRING:
            case ENUM:
                return NODES.stringNode(value.toString());
            case BYTES: {
                ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                if (logical instanceof LogicalTypes.Decimal decimal) {
                    return NODES.numberNode(new BigDecimal(new BigInteger(bytes), decimal.getScale()));
                }
                return NODES.stringNode(Base64.getEncoder().encodeToString(bytes));
            }
            case FIXED:
                return NODES.stringNode(Base64.getEncoder().encodeToString(((GenericFixed) value).bytes()));
            case INT:
                return NODES.numberNode(((Number) value).intValue());
            case LONG:
                return JsonNumbers.integral(((Number) value).longValue());
            case FLOAT:
                return JsonNumbers.floating(((Number) value).floatValue());
            case DOUBLE:
                return NODES.numberNode(((Number) value).doubleValue());
            case BOOLEAN:
                return NODES.booleanNode((Boolean) value);
            case NULL:
                return NODES.nullNode();
            default:
                throw new InvalidRecordException("unsupported Avro type " + schema.getType());
        }
    }

    private static Object fromJson(Schema schema, JsonNode node, String path) {
        switch (schema.getType()) {
            case RECORD: {
                if (!node.isObject()) {
                    throw mismatch(path, "a record", node);
                }
                GenericData.Record record = new GenericData.Record(schema);
                for (Schema.Field field : schema.getFields()) {
                    JsonNode value = node.get(field.name());
                    String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
                    if (value == null || value.isMissingNode()) {
                        if (!field.hasDefaultValue()) {
                            throw new InvalidRecordException("field '" + fieldPath + "' is missing and has no default");
                        }
                        record.put(field.pos(), GenericData.get().getDefaultValue(field));
                    } else {
                        record.put(field.pos(), fromJson(field.schema(), value, fieldPath));
                    }
                }
                return record;
            }
            case UNION: {
                for (Schema branch : schema.getTypes()) {
                    if (fits(branch, node)) {
                        return fromJson(branch, node, path);
                    }
                }
                throw mismatch(path, "one of " + schema.getTypes().stream().map(Schema::getName).toList(), node);
            }
            case ARRAY: {
                if (!node.isArray()) {
                    throw mismatch(path, "an array", node);
                }
                List<Object> items = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    items.add(fromJson(schema.getElementType(), node.get(i), path + "[" + i + "]"));
                }
                return new GenericData.Array<>(schema, items);
            }
            case MAP: {
                if (!node.isObject()) {
                    throw mismatch(path, "a map", node);
                }
                Map<String, Object> map = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> entry : node.properties()) {
                    map.put(entry.getKey(), fromJson(schema.getValueType(), entry.getValue(), path + "." + entry.getKey()));
                }
                return map;
            }
            case STRING:
                if (!node.isString()) {
                    throw mismatch(path, "a string", node);
                }
                return node.stringValue();
            case ENUM: {
                if (!node.isString() || !schema.hasEnumSymbol(node.stringValue())) {
                    throw mismatch(path, "a symbol of enum " + schema.getFullName(), node);
                }
                GenericEnumSymbol<?> symbol = new GenericData.EnumSymbol(schema, node.stringValue());
                return symbol;
            }
            case BYTES: {
                if (schema.getLogicalType() instanceof LogicalTypes.Decimal decimal && node.isNumber()) {
                    BigDecimal value;
                    try {
                        value = node.decimalValue().setScale(decimal.getScale(), java.math.RoundingMode.UNNECESSARY);
                    } catch (ArithmeticException e) {
                        throw new InvalidRecordException("field '" + path + "' has more decimal places than its scale "
                                + decimal.getScale());
                    }
                    return ByteBuffer.wrap(value.unscaledValue().toByteArray());
                }
                return ByteBuffer.wrap(base64(node, path));
            }
            case FIXED: {
                byte[] bytes = base64(node, path);
                if (bytes.length != schema.getFixedSize()) {
                    throw new InvalidRecordException("field '" + path + "' must hold " + schema.getFixedSize() + " bytes");
                }
                return new GenericData.Fixed(schema, bytes);
            }
            case INT:
                if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                    throw mismatch(path, "an int", node);
                }
                return node.intValue();
            case LONG:
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    throw mismatch(path, "a long", node);
                }
                return node.longValue();
            case FLOAT:
                if (!node.isNumber()) {
                    throw mismatch(path, "a float", node);
                }
                return node.floatValue();
            case DOUBLE:
                if (!node.isNumber()) {
                    throw mismatch(path, "a double", node);
                }
                return node.doubleValue();
            case BOOLEAN:
                if (!node.isBoolean()) {
                    throw mismatch(path, "a boolean", node);
                }
                return node.booleanValue();
            case NULL:
                if (!node.isNull()) {
                    throw mismatch(path, "null", node);
                }
                return null;
            default:
                throw new InvalidRecordException("unsupported Avro type " + schema.getType());
        }
    }

    private static boolean fits(Schema branch, JsonNode node) {
        return switch (branch.getType()) {
            case NULL -> node.isNull();
            case BOOLEAN -> node.isBoolean();
            case INT -> node.isIntegralNumber() && node.canConvertToInt();
            case LONG -> node.isIntegralNumber() && node.canConvertToLong();
            case FLOAT, DOUBLE -> node.isNumber();
            case STRING -> node.isString();
            case ENUM -> node.isString() && branch.hasEnumSymbol(node.stringValue());
            case BYTES -> node.isString() || (node.isNumber() && branch.getLogicalType() instanceof LogicalTypes.Decimal);
            case FIXED -> node.isString();
            case RECORD, MAP -> node.isObject();
            case ARRAY -> node.isArray();
            default -> false;
        };
    }

    private static byte[] base64(JsonNode node, String path) {
        if (!node.isString()) {
            throw mismatch(path, "base64 bytes", node);
        }
        try {
            return Base64.getDecoder().decode(node.stringValue());
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException("field '" + path + "' is not valid base64");
        }
    }

    private static InvalidRecordException mismatch(String path, String expected, JsonNode node) {
        String where = path.isEmpty() ? "the record" : "field '" + path + "'";
        return new InvalidRecordException(where + " must be " + expected + ", not "
                + (node == null ? "missing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
    }
}
