package dev.kontract.core.format;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import com.google.protobuf.WireFormat;
import dev.kontract.core.rules.FieldMapping;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Protobuf messages: generated classes or {@code DynamicMessage}, Protobuf binary on the wire.
 * Reading by field number is the format's own resolution across minor versions. Parsing refuses
 * messages and groups nested deeper than {@link DecodeLimits#maxNestingDepth} (the parser's recursion
 * limit, unknown fields and skipped fields included) and length-delimited fields longer than the
 * bytes left.
 */
final class ProtobufRecordCodec implements RecordCodec {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ProtobufContractSchema contractSchema;
    private final Descriptor descriptor;
    private final Message defaultInstance;
    /** Prototypes of reader classes, checked against this schema once each. */
    private final ClassValue<Message> prototypes = new ClassValue<>() {
        @Override
        protected Message computeValue(Class<?> type) {
            return checkReaderClass(type);
        }
    };
    private final Cache<Descriptor, Boolean> sameShape = Caffeine.newBuilder().weakKeys().maximumSize(64).build();
    private final int maxDepth;

    ProtobufRecordCodec(ProtobufContractSchema contractSchema, DecodeLimits limits) {
        this.contractSchema = contractSchema;
        this.maxDepth = limits.maxNestingDepth();
        this.descriptor = contractSchema.descriptor();
        this.defaultInstance = contractSchema.messageClass().map(ProtobufRecordCodec::defaultInstance)
                .orElseGet(() -> DynamicMessage.getDefaultInstance(descriptor));
    }

    @Override
    public ContractSchema schema() {
        return contractSchema;
    }

    @Override
    public byte[] encode(Object record) {
        Message message = requireMessage(record);
        if (!message.isInitialized()) {
            throw new InvalidRecordException("required fields are missing: "
                    + String.join(", ", message.findInitializationErrors()));
        }
        return message.toByteArray();
    }

    @Override
    public byte[] encodeJson(JsonNode record) {
        return ((Message) fromJson(record, null)).toByteArray();
    }

    private Message requireMessage(Object record) {
        if (!(record instanceof Message message)) {
            throw new InvalidRecordException("expected a Protobuf message " + descriptor.getFullName() + ", got "
                    + (record == null ? "null" : record.getClass().getName()));
        }
        Descriptor type = message.getDescriptorForType();
        if (type != descriptor && sameShape.getIfPresent(type) == null) {
            if (!type.toProto().equals(descriptor.toProto())) {
                throw new InvalidRecordException("the record is a " + type.getFullName() + ", which is not this version's"
                        + " message " + descriptor.getFullName() + " (the fields differ)");
            }
            sameShape.put(type, Boolean.TRUE);
        }
        return message;
    }

    @Override
    public boolean readsInPlace(Class<?> readerClass) {
        return true;
    }

    @Override
    public Object inPlace(Object record) {
        if (!(record instanceof Message message)) {
            return null;
        }
        Descriptor type = message.getDescriptorForType();
        return type == descriptor || type.getFullName().equals(descriptor.getFullName()) ? record : null;
    }

    @Override
    public JsonNode toJson(Object record) {
        return toJson(requireMessage(record));
    }

    @Override
    public Object decode(ByteBuffer bytes) {
        return parse(defaultInstance, bytes);
    }

    /** As {@code parseFrom(bytes)}, with the codec's nesting limit as the parser's recursion limit. */
    private Message parse(Message prototype, ByteBuffer bytes) {
        CodedInputStream in = bytes.hasArray()
                ? CodedInputStream.newInstance(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining())
                : CodedInputStream.newInstance(bytes.duplicate());
        in.setRecursionLimit(maxDepth);
        try {
            Message message = prototype.getParserForType().parseFrom(in);
            in.checkLastTagWas(0);
            return message;
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidRecordException("not Protobuf binary of " + prototype.getDescriptorForType().getFullName()
                    + ": " + describe(e), e);
        }
    }

    /** Protobuf's message, which names no values; for the nesting limit, ours. */
    private String describe(InvalidProtocolBufferException e) {
        String message = e.getMessage();
        return message != null && message.startsWith("Protocol message had too many levels of nesting")
                ? "messages nest more than " + maxDepth + " levels deep (DecodeLimits.maxNestingDepth)"
                : message;
    }

    /**
     * The migration runs on the wire: the writer's bytes are copied field by field, each renamed field
     * under the reader's field number and dropped fields skipped, constants appended, and the result
     * parsed by the reader's own parser. Only where that means exactly the mapping: copied fields of the
     * same type and presence, no field copied twice, no field whose source may be absent while another
     * could stand in for it.
     */
    @Override
    public Optional<RecordReader> migratingReaderFor(RecordCodec writer,
            FieldMapping mapping, Class<?> readerClass) {
        Descriptor writerType = ((ProtobufRecordCodec) writer).descriptor;
        int max = 0;
        for (FieldDescriptor field : writerType.getFields()) {
            max = Math.max(max, field.getNumber());
        }
        int[] target = new int[max + 1];
        ByteArrayOutputStream constants = new ByteArrayOutputStream();
        CodedOutputStream constantOut = CodedOutputStream.newInstance(constants);
        boolean identity = true;
        try {
            for (FieldDescriptor field : descriptor.getFields()) {
                var source = mapping.sourceOf(field.getName(), name -> writerType.findFieldByName(name) != null);
                if (source.isEmpty()) {
                    continue;
                }
                if (source.get() instanceof FieldMapping.Copy copy) {
                    FieldDescriptor from = writerType.findFieldByName(copy.field());
                    if (!sameWireShape(from, field) || target[from.getNumber()] != 0
                            || from.hasPresence() && mapping.candidates(field.getName()).size() > 1) {
                        return Optional.empty();
                    }
                    target[from.getNumber()] = field.getNumber();
                    identity &= from.getNumber() == field.getNumber();
                } else {
                    JsonNode constant = ((FieldMapping.Constant) source.get()).value();
                    if (field.isRepeated() || field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                        return Optional.empty();
                    }
                    DynamicMessage.Builder builder = DynamicMessage.newBuilder(descriptor);
                    builder.setField(field, scalar(builder, field, constant, field.getName()));
                    builder.build().writeTo(constantOut);
                    identity = false;
                }
            }
            for (FieldDescriptor field : writerType.getFields()) {
                identity &= target[field.getNumber()] == field.getNumber();
            }
            constantOut.flush();
        } catch (RuntimeException | IOException e) {
            return Optional.empty();
        }
        Message prototype = prototypeFor(readerClass);
        if (identity) {
            return Optional.of(bytes -> parse(prototype, bytes));
        }
        byte[] appended = constants.toByteArray();
        return Optional.of(bytes -> parse(prototype, transcode(bytes, target, appended)));
    }

    private static boolean sameWireShape(FieldDescriptor from, FieldDescriptor to) {
        if (from.getType() != to.getType() || from.isRepeated() != to.isRepeated() || from.isMapField() != to.isMapField()
                || from.hasPresence() != to.hasPresence() || from.getType() == FieldDescriptor.Type.GROUP
                || to.getRealContainingOneof() != null || from.getRealContainingOneof() != null) {
            return false;
        }
        return switch (from.getJavaType()) {
            case MESSAGE -> sameShape(from.getMessageType(), to.getMessageType(), new java.util.HashSet<>());
            case ENUM -> sameShape(from.getEnumType(), to.getEnumType());
            default -> true;
        };
    }

    /** Messages whose fields match by number, name, type, label and presence, all the way down. */
    private static boolean sameShape(Descriptor a, Descriptor b, Set<String> seen) {
        if (!seen.add(a.getFullName() + "->" + b.getFullName())) {
            return true;
        }
        if (a.getFields().size() != b.getFields().size()) {
            return false;
        }
        for (FieldDescriptor field : a.getFields()) {
            FieldDescriptor other = b.findFieldByNumber(field.getNumber());
            if (other == null || !other.getName().equals(field.getName()) || other.getType() != field.getType()
                    || other.isRepeated() != field.isRepeated() || other.hasPresence() != field.hasPresence()
                    || other.isPacked() != field.isPacked()) {
                return false;
            }
            boolean nested = switch (field.getJavaType()) {
                case MESSAGE -> sameShape(field.getMessageType(), other.getMessageType(), seen);
                case ENUM -> sameShape(field.getEnumType(), other.getEnumType());
                default -> true;
            };
            if (!nested) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameShape(com.google.protobuf.Descriptors.EnumDescriptor a,
            com.google.protobuf.Descriptors.EnumDescriptor b) {
        if (a.getValues().size() != b.getValues().size()) {
            return false;
        }
        for (int i = 0; i < a.getValues().size(); i++) {
            if (a.getValues().get(i).getNumber() != b.getValues().get(i).getNumber()
                    || !a.getValues().get(i).getName().equals(b.getValues().get(i).getName())) {
                return false;
            }
        }
        return true;
    }

    /** The writer's bytes with each field renumbered to its reader field (or skipped), then the constants. */
    private ByteBuffer transcode(ByteBuffer bytes, int[] target, byte[] constants) {
        ByteBuffer heap = Buffers.onHeap(bytes);
        byte[] array = heap.array();
        int offset = heap.arrayOffset() + heap.position();
        int length = heap.remaining();
        // a renumbered tag grows by at most 4 bytes, on a field of at least 2: three times the input suffices
        byte[] out = new byte[3 * length + constants.length + 16];
        CodedInputStream in = CodedInputStream.newInstance(array, offset, length);
        in.setRecursionLimit(maxDepth); // skipping a group recurses
        CodedOutputStream output = CodedOutputStream.newInstance(out);
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                int number = WireFormat.getTagFieldNumber(tag);
                int wireType = WireFormat.getTagWireType(tag);
                int to = number < target.length ? target[number] : 0;
                if (to == 0) {
                    in.skipField(tag);
                    continue;
                }
                output.writeTag(to, wireType);
                switch (wireType) {
                    case WireFormat.WIRETYPE_VARINT -> output.writeUInt64NoTag(in.readRawVarint64());
                    case WireFormat.WIRETYPE_FIXED64 -> output.writeFixed64NoTag(in.readRawLittleEndian64());
                    case WireFormat.WIRETYPE_FIXED32 -> output.writeFixed32NoTag(in.readRawLittleEndian32());
                    case WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                        int size = in.readRawVarint32();
                        int at = offset + in.getTotalBytesRead();
                        if (size < 0 || at + size > offset + length) {
                            throw new InvalidProtocolBufferException("a field runs past the end of the record");
                        }
                        output.writeUInt32NoTag(size);
                        output.writeRawBytes(array, at, size);
                        in.skipRawBytes(size);
                    }
                    default -> throw new InvalidProtocolBufferException("a field has an unsupported wire type");
                }
            }
            output.writeRawBytes(constants);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidRecordException("not Protobuf binary: " + describe(e), e);
        } catch (IOException e) {
            throw new InvalidRecordException("not Protobuf binary: " + e.getMessage(), e);
        }
        return ByteBuffer.wrap(out, 0, output.getTotalBytesWritten());
    }

    @Override
    public RecordReader readerFor(RecordCodec writer, Class<?> readerClass) {
        Message prototype = prototypeFor(readerClass);
        return bytes -> parse(prototype, bytes);
    }

    private Message prototypeFor(Class<?> readerClass) {
        return readerClass == null ? defaultInstance : prototypes.get(readerClass);
    }

    private Message checkReaderClass(Class<?> readerClass) {
        if (readerClass.isInstance(defaultInstance)) {
            return defaultInstance;
        }
        if (readerClass == DynamicMessage.class || readerClass == Message.class || readerClass == MessageLite.class) {
            return DynamicMessage.getDefaultInstance(descriptor);
        }
        if (!Message.class.isAssignableFrom(readerClass)) {
            throw new IllegalArgumentException(readerClass.getName() + " is not a generated Protobuf message class");
        }
        Message prototype = defaultInstance(readerClass.asSubclass(Message.class));
        if (!prototype.getDescriptorForType().toProto().equals(descriptor.toProto())) {
            throw new IllegalArgumentException(readerClass.getName() + " is not the message "
                    + descriptor.getFullName() + " of this version (the fields differ)");
        }
        return prototype;
    }

    private static Message defaultInstance(Class<? extends Message> type) {
        try {
            Method method = type.getMethod("getDefaultInstance");
            return (Message) method.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot get the default instance of " + type.getName() + ": " + e, e);
        }
    }

    @Override
    public Object fromJson(JsonNode record, Class<?> readerClass) {
        Message prototype = prototypeFor(readerClass);
        Message.Builder builder = prototype.newBuilderForType();
        fill(builder, record, "");
        Message message = builder.build();
        if (!message.isInitialized()) {
            throw new InvalidRecordException("required fields are missing: "
                    + String.join(", ", message.findInitializationErrors()));
        }
        return message;
    }

    // ---- JSON view ----

    private static ObjectNode toJson(Message message) {
        ObjectNode node = NODES.objectNode();
        Descriptor type = message.getDescriptorForType();
        for (FieldDescriptor field : type.getFields()) {
            if (field.isRepeated()) {
                if (field.isMapField()) {
                    ObjectNode map = NODES.objectNode();
                    FieldDescriptor keyField = field.getMessageType().findFieldByNumber(1);
                    FieldDescriptor valueField = field.getMessageType().findFieldByNumber(2);
                    for (Object entry : (List<?>) message.getField(field)) {
                        Message pair = (Message) entry;
                        map.set(String.valueOf(pair.getField(keyField)), value(valueField, pair.getField(valueField)));
                    }
                    node.set(field.getName(), map);
                } else {
                    ArrayNode array = NODES.arrayNode();
                    for (Object item : (List<?>) message.getField(field)) {
                        array.add(value(field, item));
                    }
                    node.set(field.getName(), array);
                }
            } else if (field.hasPresence()) {
                if (message.hasField(field)) {
                    node.set(field.getName(), value(field, message.getField(field)));
                }
            } else {
                node.set(field.getName(), value(field, message.getField(field)));
            }
        }
        return node;
    }

    private static JsonNode value(FieldDescriptor field, Object value) {
        return switch (field.getJavaType()) {
            case INT -> NODES.numberNode((Integer) value);
            case LONG -> JsonNumbers.integral((Long) value);
            case FLOAT -> JsonNumbers.floating((Float) value);
            case DOUBLE -> NODES.numberNode((Double) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case STRING -> NODES.stringNode((String) value);
            case BYTE_STRING -> NODES.stringNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case ENUM -> NODES.stringNode(((EnumValueDescriptor) value).getName());
            case MESSAGE -> toJson((Message) value);
        };
    }

    private static void fill(Message.Builder builder, JsonNode node, String path) {
        Descriptor type = builder.getDescriptorForType();
        if (!node.isObject()) {
            throw mismatch(path, "a message " + type.getFullName(), node);
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String fieldPath = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
            FieldDescriptor field = type.findFieldByName(entry.getKey());
            JsonNode value = entry.getValue();
            if (field == null || value.isNull()) {
                continue;
            }
            if (field.isMapField()) {
                if (!value.isObject()) {
                    throw mismatch(fieldPath, "a map", value);
                }
                FieldDescriptor keyField = field.getMessageType().findFieldByNumber(1);
                FieldDescriptor valueField = field.getMessageType().findFieldByNumber(2);
                for (Map.Entry<String, JsonNode> pair : value.properties()) {
                    Message.Builder entryBuilder = builder.newBuilderForField(field);
                    entryBuilder.setField(keyField, mapKey(keyField, pair.getKey(), fieldPath));
                    entryBuilder.setField(valueField, scalar(entryBuilder, valueField, pair.getValue(),
                            fieldPath + "." + pair.getKey()));
                    builder.addRepeatedField(field, entryBuilder.build());
                }
            } else if (field.isRepeated()) {
                if (!value.isArray()) {
                    throw mismatch(fieldPath, "an array", value);
                }
                for (int i = 0; i < value.size(); i++) {
                    builder.addRepeatedField(field, scalar(builder, field, value.get(i), fieldPath + "[" + i + "]"));
                }
            } else {
                builder.setField(field, scalar(builder, field, value, fieldPath));
            }
        }
    }

    private static Object scalar(Message.Builder parent, FieldDescriptor field, JsonNode value, String path) {
        switch (field.getJavaType()) {
            case INT:
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw mismatch(path, "a 32-bit integer", value);
                }
                return value.intValue();
            case LONG:
                if (value.isString()) {
                    try {
                        return Long.parseLong(value.stringValue());
                    } catch (NumberFormatException e) {
                        throw mismatch(path, "a 64-bit integer", value);
                    }
                }
                if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                    throw mismatch(path, "a 64-bit integer", value);
                }
                return value.longValue();
            case FLOAT:
                if (!value.isNumber()) {
                    throw mismatch(path, "a number", value);
                }
                return value.floatValue();
            case DOUBLE:
                if (!value.isNumber()) {
                    throw mismatch(path, "a number", value);
                }
                return value.doubleValue();
            case BOOLEAN:
                if (!value.isBoolean()) {
                    throw mismatch(path, "a boolean", value);
                }
                return value.booleanValue();
            case STRING:
                if (!value.isString()) {
                    throw mismatch(path, "a string", value);
                }
                return value.stringValue();
            case BYTE_STRING:
                if (!value.isString()) {
                    throw mismatch(path, "base64 bytes", value);
                }
                try {
                    return ByteString.copyFrom(Base64.getDecoder().decode(value.stringValue()));
                } catch (IllegalArgumentException e) {
                    throw new InvalidRecordException("field '" + path + "' is not valid base64");
                }
            case ENUM: {
                EnumValueDescriptor symbol = value.isString()
                        ? field.getEnumType().findValueByName(value.stringValue())
                        : value.isIntegralNumber() ? field.getEnumType().findValueByNumber(value.intValue()) : null;
                if (symbol == null) {
                    throw mismatch(path, "a value of enum " + field.getEnumType().getFullName(), value);
                }
                return symbol;
            }
            case MESSAGE: {
                Message.Builder child = parent.newBuilderForField(field);
                fill(child, value, path);
                return child.build();
            }
            default:
                throw new InvalidRecordException("unsupported Protobuf type at '" + path + "'");
        }
    }

    private static Object mapKey(FieldDescriptor keyField, String key, String path) {
        try {
            return switch (keyField.getJavaType()) {
                case INT -> Integer.parseInt(key);
                case LONG -> Long.parseLong(key);
                case BOOLEAN -> Boolean.parseBoolean(key);
                default -> key;
            };
        } catch (NumberFormatException e) {
            throw new InvalidRecordException("map key in field '" + path + "' must be a number");
        }
    }

    private static InvalidRecordException mismatch(String path, String expected, JsonNode node) {
        String where = path.isEmpty() ? "the record" : "field '" + path + "'";
        return new InvalidRecordException(where + " must be " + expected + ", not "
                + node.getNodeType().name().toLowerCase(Locale.ROOT));
    }
}
