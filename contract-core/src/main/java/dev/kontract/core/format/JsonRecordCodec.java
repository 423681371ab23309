package dev.kontract.core.format;

import dev.kontract.core.format.jsonschema.CompiledJsonSchema;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON records: a Jackson tree ({@code tools.jackson} or {@code com.fasterxml.jackson}), a
 * {@code Map} or any object Jackson can bind (POJOs, records), UTF-8 JSON on the wire, validated
 * by the schema's {@link CompiledJsonSchema} and, when that finds the record invalid or the schema
 * is not compiled, by everit-json-schema, whose verdict and message stand. Reading ignores
 * properties the reader's class does not know, so that a reader keeps working when a minor version
 * adds an optional field.
 *
 * <p>Jackson refuses, as it parses, objects and arrays nested deeper than
 * {@link DecodeLimits#maxNestingDepth} (below the record) and the over-long numbers, strings and names
 * of its {@link StreamReadConstraints}; a tree given to be validated is held to the same depth before
 * everit, which recurses, sees it.
 */
final class JsonRecordCodec implements RecordCodec {

    /** everit keywords whose messages name only types and properties, never values. */
    private static final Set<String> VALUE_FREE_KEYWORDS = Set.of(
            "type", "required", "additionalProperties", "minItems", "maxItems", "minProperties", "maxProperties",
            "uniqueItems", "dependencies");

    /** The mapper of the default depth, shared by the codecs that have it. */
    private static final JsonMapper DEFAULT_MAPPER = mapper(DecodeLimits.DEFAULTS.maxNestingDepth());

    private final JsonContractSchema contractSchema;
    /** {@code null} when the schema is not compiled. */
    private final CompiledJsonSchema compiled;
    private final Schema validator;
    private final boolean boundsPatterns;
    private final int maxDepth;
    private final JsonMapper mapper;

    JsonRecordCodec(JsonContractSchema contractSchema, DecodeLimits limits) {
        this.contractSchema = contractSchema;
        this.compiled = contractSchema.compiled().orElse(null);
        this.validator = contractSchema.schema();
        this.boundsPatterns = !contractSchema.boundedPatterns().isEmpty();
        this.maxDepth = limits.maxNestingDepth();
        this.mapper = maxDepth == DecodeLimits.DEFAULTS.maxNestingDepth() ? DEFAULT_MAPPER : mapper(maxDepth);
    }

    /** Jackson counts the record's own object as the first level. */
    private static JsonMapper mapper(int maxDepth) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.defaults().rebuild().maxNestingDepth(maxDepth + 1).build())
                .streamWriteConstraints(StreamWriteConstraints.defaults().rebuild().maxNestingDepth(maxDepth + 1).build())
                .build();
        return JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
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
        return mapper.writeValueAsBytes(record);
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
        try {
            if (record.getClass().getName().startsWith("com.fasterxml.jackson.databind.")) {
                return mapper.readTree(record.toString());
            }
            return mapper.valueToTree(record);
        } catch (JacksonException e) {
            throw new InvalidRecordException("cannot turn " + record.getClass().getName() + " into JSON " + where(e), e);
        }
    }

    /** Parses the bytes and validates them against this schema: JSON, unlike binary formats, decodes anything. */
    @Override
    public Object decode(ByteBuffer bytes) {
        try {
            ByteBuffer heap = Buffers.onHeap(bytes);
            JsonNode node = mapper.readTree(heap.array(), heap.arrayOffset() + heap.position(), heap.remaining());
            if (node == null || node.isMissingNode()) {
                throw new InvalidRecordException("not JSON: no content");
            }
            validate(node);
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

    /**
     * Reads JSON written as {@code writer}'s version, validated against that version's schema first: the
     * record is what its {@code dp.version} header says, so a producer outside Kontract cannot pass
     * arbitrary JSON off as a valid record by naming a version.
     */
    @Override
    public RecordReader readerFor(RecordCodec writer, Class<?> readerClass) {
        requireBindable(readerClass);
        JsonRecordCodec written = (JsonRecordCodec) writer;
        return bytes -> convert((JsonNode) written.decode(bytes), readerClass);
    }

    private void requireBindable(Class<?> readerClass) {
        if (readerClass != null && !JsonNode.class.isAssignableFrom(readerClass)) {
            mapper.constructType(readerClass);
        }
    }

    private Object convert(JsonNode node, Class<?> readerClass) {
        if (readerClass == null || readerClass.isInstance(node)) {
            return node;
        }
        try {
            return mapper.treeToValue(node, readerClass);
        } catch (JacksonException e) {
            throw new InvalidRecordException("cannot bind the record to " + readerClass.getName() + " " + where(e), e);
        }
    }

    /**
     * Where Jackson failed (the property path, else the line and column) and the kind of failure,
     * without Jackson's message, which quotes the payload; for a limit, which one (those messages
     * quote only numbers).
     */
    private String where(JacksonException e) {
        String path = e.getPath() == null || e.getPath().isEmpty() ? ""
                : e.getPath().stream().map(ref -> ref.getPropertyName() != null ? ref.getPropertyName()
                        : "[" + ref.getIndex() + "]").collect(java.util.stream.Collectors.joining("."));
        String place = !path.isEmpty() ? "at '" + path + "'"
                : e.getLocation() != null ? "at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() : "";
        if (e instanceof StreamConstraintsException && e.getOriginalMessage() != null) {
            String limit = e.getOriginalMessage().contains("nesting depth")
                    ? "nests more than " + maxDepth + " levels deep (DecodeLimits.maxNestingDepth)"
                    : e.getOriginalMessage();
            return (place.isEmpty() ? "" : place + " ") + "(StreamConstraintsException): " + limit;
        }
        return (place.isEmpty() ? "" : place + " ") + "(" + e.getClass().getSimpleName() + ")";
    }

    private void validate(JsonNode record) {
        if (compiled == null || !compiled.isValid(record, maxDepth)) {
            validateWithEverit(record);
        }
    }

    /**
     * Validates with everit alone: what {@link #validate} falls back to, and the reference the
     * compiled validator is tested against.
     *
     * @throws InvalidRecordException naming every violation everit finds
     */
    void validateWithEverit(JsonNode record) {
        Object subject;
        try {
            subject = toEverit(record, 0);
        } catch (BadView e) {
            throw new InvalidRecordException("does not match JSON Schema " + contractSchema.name() + ": "
                    + (e.pointer.length() == 0 ? "#" : "#" + e.pointer) + ": " + e.getMessage());
        }
        if (boundsPatterns) {
            JsonSchemaPatterns.startValidation();
        }
        try {
            validator.validate(subject);
        } catch (ValidationException e) {
            List<String> violations = new ArrayList<>();
            collect(e, violations);
            throw new InvalidRecordException("does not match JSON Schema " + contractSchema.name() + ": "
                    + String.join("; ", violations));
        } catch (JsonSchemaPatterns.PatternTimeout e) {
            throw new InvalidRecordException("does not match JSON Schema " + contractSchema.name() + ": "
                    + e.getMessage());
        } catch (JSONException e) {
            throw new InvalidRecordException("does not match JSON Schema " + contractSchema.name()
                    + ": the validator could not read the record (JSONException)", e);
        } catch (RuntimeException e) {
            // a format validator of everit's may fail on a value (uri-template on "{}")
            throw new InvalidRecordException("does not match JSON Schema " + contractSchema.name()
                    + ": the validator failed on the record (" + e.getClass().getSimpleName() + ")", e);
        } finally {
            if (boundsPatterns) {
                JsonSchemaPatterns.endValidation();
            }
        }
    }

    /** A tree everit cannot be given; a located one's pointer grows as the exception leaves each level. */
    private static final class BadView extends RuntimeException {
        final StringBuilder pointer = new StringBuilder();
        final boolean located;

        BadView(String reason, boolean located) {
            super(reason, null, false, false);
            this.located = located;
        }

        BadView under(String step) {
            if (located) {
                pointer.insert(0, step.replace("~", "~0").replace("/", "~1")).insert(0, '/');
            }
            return this;
        }
    }

    private BadView tooDeep() {
        return new BadView("nests more than " + maxDepth + " levels deep (DecodeLimits.maxNestingDepth)", false);
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

    /** A number as {@link EveritNumbers} has it; an infinite double (Jackson reads 1e999 so) is refused. */
    private static Object everitNumber(JsonNode node) {
        if (!node.isIntegralNumber() && !node.isBigDecimal() && !Double.isFinite(node.doubleValue())) {
            throw new BadView("is a number beyond the range of a double", true);
        }
        return EveritNumbers.canonical(node.numberValue());
    }

    /**
     * The org.json form everit validates, built straight from the tree, which may nest containers
     * {@code maxDepth} levels below the record (everit recurses with each).
     */
    private Object toEverit(JsonNode node, int depth) {
        switch (node.getNodeType()) {
            case OBJECT: {
                if (depth > maxDepth) {
                    throw tooDeep();
                }
                JSONObject object = new JSONObject();
                for (Map.Entry<String, JsonNode> entry : node.properties()) {
                    try {
                        object.put(entry.getKey(), toEverit(entry.getValue(), depth + 1));
                    } catch (BadView e) {
                        throw e.under(entry.getKey());
                    }
                }
                return object;
            }
            case ARRAY: {
                if (depth > maxDepth) {
                    throw tooDeep();
                }
                JSONArray array = new JSONArray();
                int index = 0;
                for (JsonNode item : node) {
                    try {
                        array.put(toEverit(item, depth + 1));
                    } catch (BadView e) {
                        throw e.under(Integer.toString(index));
                    }
                    index++;
                }
                return array;
            }
            case STRING:
                return node.stringValue();
            case NUMBER:
                return everitNumber(node);
            case BOOLEAN:
                return node.booleanValue();
            case BINARY:
                return java.util.Base64.getEncoder().encodeToString(node.binaryValue());
            default:
                return JSONObject.NULL;
        }
    }
}
