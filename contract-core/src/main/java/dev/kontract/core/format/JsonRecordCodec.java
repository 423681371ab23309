package dev.kontract.core.format;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.json.JSONArray;
import org.json.JSONObject;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON records: a Jackson tree ({@code tools.jackson} or {@code com.fasterxml.jackson}), a
 * {@code Map} or any object Jackson can bind (POJOs, records), UTF-8 JSON on the wire, validated
 * with everit-json-schema. Reading ignores properties the reader's class does not know, so that a
 * reader keeps working when a minor version adds an optional field.
 */
final class JsonRecordCodec implements RecordCodec {

    /** everit keywords whose messages name only types and properties, never values. */
    private static final Set<String> VALUE_FREE_KEYWORDS = Set.of(
            "type", "required", "additionalProperties", "minItems", "maxItems", "minProperties", "maxProperties",
            "uniqueItems", "dependencies");

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final JsonContractSchema contractSchema;
    private final Schema validator;

    JsonRecordCodec(JsonContractSchema contractSchema) {
        this.contractSchema = contractSchema;
        this.validator = contractSchema.schema();
    }

    @Override
    public ContractSchema schema() {
        return contractSchema;
    }

    @Override
    public byte[] encode(Object record) {
        return encodeJson(toJson(record));
    }

    /** The view is the record's tree already: validate and write it, without converting the record again. */
    @Override
    public byte[] encode(Object record, JsonNode view) {
        return encodeJson(view);
    }

    @Override
    public byte[] encodeJson(JsonNode record) {
        validate(record);
        return MAPPER.writeValueAsBytes(record);
    }

    @Override
    public Object inPlace(Object record) {
        return record instanceof JsonNode ? record : null;
    }

    @Override
    public JsonNode toJson(Object record) {
        if (record instanceof JsonNode node) {
            return node;
        }
        if (record == null) {
            throw new InvalidRecordException("expected a JSON record, got null");
        }
        if (record.getClass().getName().startsWith("com.fasterxml.jackson.databind.")) {
            return MAPPER.readTree(record.toString());
        }
        try {
            return MAPPER.valueToTree(record);
        } catch (JacksonException e) {
            throw new InvalidRecordException("cannot turn " + record.getClass().getName() + " into JSON " + where(e), e);
        }
    }

    @Override
    public Object decode(ByteBuffer bytes) {
        try {
            ByteBuffer heap = Buffers.onHeap(bytes);
            JsonNode node = MAPPER.readTree(heap.array(), heap.arrayOffset() + heap.position(), heap.remaining());
            if (node == null || node.isMissingNode()) {
                throw new InvalidRecordException("not JSON: no content");
            }
            return node;
        } catch (JacksonException e) {
            throw new InvalidRecordException("not JSON " + where(e), e);
        }
    }

    @Override
    public Object fromJson(JsonNode record, Class<?> readerClass) {
        validate(record);
        return convert(record, readerClass);
    }

    @Override
    public RecordReader readerFor(RecordCodec writer, Class<?> readerClass) {
        requireBindable(readerClass);
        return bytes -> convert((JsonNode) decode(bytes), readerClass);
    }

    private static void requireBindable(Class<?> readerClass) {
        if (readerClass != null && !JsonNode.class.isAssignableFrom(readerClass)) {
            MAPPER.constructType(readerClass);
        }
    }

    private static Object convert(JsonNode node, Class<?> readerClass) {
        if (readerClass == null || readerClass.isInstance(node)) {
            return node;
        }
        try {
            return MAPPER.treeToValue(node, readerClass);
        } catch (JacksonException e) {
            throw new InvalidRecordException("cannot bind the record to " + readerClass.getName() + " " + where(e), e);
        }
    }

    /**
     * Where Jackson failed (the property path, else the line and column) and the kind of failure,
     * without Jackson's message, which quotes the payload.
     */
    private static String where(JacksonException e) {
        String path = e.getPath() == null || e.getPath().isEmpty() ? ""
                : e.getPath().stream().map(ref -> ref.getPropertyName() != null ? ref.getPropertyName()
                        : "[" + ref.getIndex() + "]").collect(java.util.stream.Collectors.joining("."));
        String place = !path.isEmpty() ? "at '" + path + "'"
                : e.getLocation() != null ? "at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() : "";
        return (place.isEmpty() ? "" : place + " ") + "(" + e.getClass().getSimpleName() + ")";
    }

    private void validate(JsonNode record) {
        try {
            validator.validate(toEverit(record));
        } catch (ValidationException e) {
            List<String> violations = new ArrayList<>();
            collect(e, violations);
            throw new InvalidRecordException("does not match JSON Schema " + contractSchema.name() + ": "
                    + String.join("; ", violations));
        }
    }

    private static void collect(ValidationException e, List<String> violations) {
        if (e.getCausingExceptions().isEmpty()) {
            String keyword = e.getKeyword() == null ? "schema" : e.getKeyword();
            violations.add(e.getPointerToViolation() + ": " + (VALUE_FREE_KEYWORDS.contains(keyword)
                    ? e.getErrorMessage() : "violates '" + keyword + "'"));
            return;
        }
        for (ValidationException cause : e.getCausingExceptions()) {
            collect(cause, violations);
        }
    }

    /** The org.json form everit validates, built straight from the tree. */
    private static Object toEverit(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT: {
                JSONObject object = new JSONObject();
                for (Map.Entry<String, JsonNode> entry : node.properties()) {
                    object.put(entry.getKey(), toEverit(entry.getValue()));
                }
                return object;
            }
            case ARRAY: {
                JSONArray array = new JSONArray();
                for (JsonNode item : node) {
                    array.put(toEverit(item));
                }
                return array;
            }
            case STRING:
                return node.stringValue();
            case NUMBER:
                if (node.isIntegralNumber()) {
                    return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
                }
                return node.isBigDecimal() ? node.decimalValue() : (Object) node.doubleValue();
            case BOOLEAN:
                return node.booleanValue();
            case BINARY:
                return java.util.Base64.getEncoder().encodeToString(node.binaryValue());
            default:
                return JSONObject.NULL;
        }
    }
}
