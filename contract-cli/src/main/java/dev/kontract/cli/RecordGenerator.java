package dev.kontract.cli;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import dev.kontract.core.format.AvroContractSchema;
import dev.kontract.core.format.ContractSchema;
import dev.kontract.core.format.InvalidRecordException;
import dev.kontract.core.format.JsonContractSchema;
import dev.kontract.core.format.ProtobufContractSchema;
import dev.kontract.core.format.RecordCodec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generates random records of one contract version, as their JSON view (see {@link RecordCodec}),
 * from a seeded {@link Random}: every field the schema has, optional ones present or absent, unions
 * and oneofs on every branch, collections of zero to three items, nesting bounded (deep enough, a
 * recursive type takes its empty branch). Each record is passed through the version's codec and back,
 * so it is exactly what a producer could write; a JSON Schema generator attempt that the schema refuses
 * is drawn again.
 */
final class RecordGenerator {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 6;
    private static final int ATTEMPTS = 50;
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-éß€";

    private final RecordCodec codec;
    private final String version;
    private final Random random;

    /** @param version the product and version the records are of, for messages ({@code crm.people 1.0}) */
    RecordGenerator(RecordCodec codec, String version, long seed) {
        this.codec = codec;
        this.version = version;
        this.random = new Random(seed);
    }

    /**
     * The next record's canonical JSON view.
     *
     * @throws IllegalStateException when no attempt gives a record the schema accepts (a JSON Schema
     *     with constraints this generator does not know)
     */
    JsonNode next() {
        ContractSchema schema = codec.schema();
        InvalidRecordException last = null;
        int attempts = schema instanceof JsonContractSchema ? ATTEMPTS : 1;
        for (int attempt = 0; attempt < attempts; attempt++) {
            JsonNode draft;
            if (schema instanceof AvroContractSchema avro) {
                draft = avro(avro.schema(), 0);
            } else if (schema instanceof ProtobufContractSchema protobuf) {
                draft = protobuf(protobuf.descriptor(), 0);
            } else {
                JsonNode document = ((JsonContractSchema) schema).document();
                draft = json(document, document, 0);
            }
            try {
                return codec.toJson(codec.fromJson(draft, null));
            } catch (InvalidRecordException e) {
                last = e;
            }
        }
        throw new IllegalStateException("cannot generate records of " + version + " (" + schema + ") that its schema"
                + " accepts: " + last.getMessage(), last);
    }

    // --- Avro ---

    private JsonNode avro(Schema schema, int depth) {
        LogicalType logical = schema.getLogicalType();
        switch (schema.getType()) {
            case RECORD: {
                ObjectNode record = NODES.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    record.set(field.name(), avro(field.schema(), depth + 1));
                }
                return record;
            }
            case UNION: {
                var branches = schema.getTypes();
                int nullBranch = -1;
                for (int i = 0; i < branches.size(); i++) {
                    if (branches.get(i).getType() == Schema.Type.NULL) {
                        nullBranch = i;
                    }
                }
                if (nullBranch >= 0 && (depth >= MAX_DEPTH || random.nextInt(4) == 0)) {
                    return NODES.nullNode();
                }
                Schema branch;
                do {
                    branch = branches.get(random.nextInt(branches.size()));
                } while (branch.getType() == Schema.Type.NULL && branches.size() > 1);
                return avro(branch, depth);
            }
            case ENUM:
                return NODES.stringNode(schema.getEnumSymbols().get(random.nextInt(schema.getEnumSymbols().size())));
            case ARRAY: {
                ArrayNode array = NODES.arrayNode();
                for (int i = collectionSize(depth); i > 0; i--) {
                    array.add(avro(schema.getElementType(), depth + 1));
                }
                return array;
            }
            case MAP: {
                ObjectNode map = NODES.objectNode();
                for (int i = collectionSize(depth); i > 0; i--) {
                    map.set(text(1, 8), avro(schema.getValueType(), depth + 1));
                }
                return map;
            }
            case FIXED:
                return NODES.stringNode(base64(schema.getFixedSize()));
            case BYTES:
                return NODES.stringNode(base64(random.nextInt(9)));
            case STRING:
                if (logical != null && "uuid".equals(logical.getName())) {
                    return NODES.stringNode(new UUID(random.nextLong(), random.nextLong()).toString());
                }
                return NODES.stringNode(text(0, 12));
            case INT:
                if (logical instanceof LogicalTypes.Date) {
                    return NODES.numberNode(random.nextInt(40_000));
                }
                return NODES.numberNode(smallOrAny(Integer.MIN_VALUE, Integer.MAX_VALUE));
            case LONG:
                if (logical != null) {
                    return NODES.numberNode(Math.abs(random.nextLong() % 4_000_000_000_000L));
                }
                return NODES.numberNode(random.nextBoolean() ? (long) random.nextInt(1000) : random.nextLong());
            case FLOAT:
                return NODES.numberNode((double) (float) (random.nextDouble() * 1000));
            case DOUBLE:
                return NODES.numberNode(Math.round(random.nextDouble() * 100_000) / 100.0);
            case BOOLEAN:
                return NODES.booleanNode(random.nextBoolean());
            case NULL:
            default:
                return NODES.nullNode();
        }
    }

    // --- Protobuf ---

    private JsonNode protobuf(Descriptor message, int depth) {
        ObjectNode record = NODES.objectNode();
        for (OneofDescriptor oneof : message.getRealOneofs()) {
            if (random.nextInt(4) > 0 && depth < MAX_DEPTH) {
                FieldDescriptor chosen = oneof.getField(random.nextInt(oneof.getFieldCount()));
                record.set(chosen.getName(), protobufValue(chosen, depth));
            }
        }
        for (FieldDescriptor field : message.getFields()) {
            if (field.getRealContainingOneof() != null) {
                continue;
            }
            if (field.isMapField()) {
                ObjectNode map = NODES.objectNode();
                FieldDescriptor key = field.getMessageType().findFieldByName("key");
                FieldDescriptor value = field.getMessageType().findFieldByName("value");
                for (int i = collectionSize(depth); i > 0; i--) {
                    map.set(protobufValue(key, depth + 1).asString(), protobufValue(value, depth + 1));
                }
                record.set(field.getName(), map);
            } else if (field.isRepeated()) {
                ArrayNode array = NODES.arrayNode();
                for (int i = collectionSize(depth); i > 0; i--) {
                    array.add(protobufValue(field, depth + 1));
                }
                record.set(field.getName(), array);
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (depth < MAX_DEPTH && random.nextInt(4) > 0) {
                    record.set(field.getName(), protobuf(field.getMessageType(), depth + 1));
                }
            } else if (!field.hasPresence() || random.nextInt(4) > 0) {
                record.set(field.getName(), protobufValue(field, depth));
            }
        }
        return record;
    }

    private JsonNode protobufValue(FieldDescriptor field, int depth) {
        return switch (field.getJavaType()) {
            case INT -> NODES.numberNode(field.getType() == FieldDescriptor.Type.UINT32
                    || field.getType() == FieldDescriptor.Type.FIXED32 ? random.nextInt(100_000)
                    : smallOrAny(Integer.MIN_VALUE, Integer.MAX_VALUE));
            case LONG -> NODES.numberNode(field.getType() == FieldDescriptor.Type.UINT64
                    || field.getType() == FieldDescriptor.Type.FIXED64 ? (long) random.nextInt(100_000)
                    : random.nextBoolean() ? (long) random.nextInt(1000) : random.nextLong());
            case FLOAT -> NODES.numberNode((double) (float) (random.nextDouble() * 1000));
            case DOUBLE -> NODES.numberNode(Math.round(random.nextDouble() * 100_000) / 100.0);
            case BOOLEAN -> NODES.booleanNode(random.nextBoolean());
            case STRING -> NODES.stringNode(text(0, 12));
            case BYTE_STRING -> NODES.stringNode(base64(random.nextInt(9)));
            case ENUM -> NODES.stringNode(field.getEnumType().getValues()
                    .get(random.nextInt(field.getEnumType().getValues().size())).getName());
            case MESSAGE -> protobuf(field.getMessageType(), depth + 1);
        };
    }

    // --- JSON Schema (draft-07: the keywords that shape a document) ---

    private JsonNode json(JsonNode schema, JsonNode root, int depth) {
        if (schema.isBoolean()) {
            return schema.booleanValue() ? NODES.stringNode(text(0, 8)) : NODES.nullNode();
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asString();
            if (ref.startsWith("#")) {
                JsonNode target = root.at(ref.substring(1).isEmpty() ? "" : ref.substring(1));
                if (!target.isMissingNode()) {
                    return json(target, root, depth + 1);
                }
            }
            return NODES.nullNode();
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.has("enum") && schema.get("enum").isArray() && !schema.get("enum").isEmpty()) {
            return schema.get("enum").get(random.nextInt(schema.get("enum").size()));
        }
        for (String alternatives : new String[] {"oneOf", "anyOf"}) {
            if (schema.path(alternatives).isArray() && !schema.get(alternatives).isEmpty()) {
                JsonNode options = schema.get(alternatives);
                return json(options.get(random.nextInt(options.size())), root, depth + 1);
            }
        }
        if (schema.path("allOf").isArray() && !schema.get("allOf").isEmpty()) {
            ObjectNode merged = NODES.objectNode();
            schema.properties().forEach(entry -> {
                if (!entry.getKey().equals("allOf")) {
                    merged.set(entry.getKey(), entry.getValue());
                }
            });
            for (JsonNode part : schema.get("allOf")) {
                part.properties().forEach(entry -> merged.set(entry.getKey(), entry.getValue()));
            }
            return json(merged, root, depth);
        }
        String type = type(schema);
        return switch (type) {
            case "object" -> jsonObject(schema, root, depth);
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                int min = schema.path("minItems").asInt(0);
                int max = schema.path("maxItems").asInt(Math.max(min, 3));
                int size = depth >= MAX_DEPTH ? min : min + random.nextInt(Math.max(1, Math.min(max, min + 3) - min + 1));
                JsonNode items = schema.path("items");
                for (int i = 0; i < size; i++) {
                    JsonNode item = items.isArray() ? (i < items.size() ? items.get(i) : NODES.objectNode()) : items;
                    array.add(item.isMissingNode() ? NODES.stringNode(text(1, 8)) : json(item, root, depth + 1));
                }
                yield array;
            }
            case "integer" -> NODES.numberNode(number(schema, true).longValue());
            case "number" -> NODES.numberNode(number(schema, false));
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            case "null" -> NODES.nullNode();
            default -> NODES.stringNode(jsonString(schema));
        };
    }

    private JsonNode jsonObject(JsonNode schema, JsonNode root, int depth) {
        ObjectNode object = NODES.objectNode();
        JsonNode required = schema.path("required");
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").properties().iterator(); it.hasNext();) {
            Map.Entry<String, JsonNode> property = it.next();
            boolean mandatory = false;
            for (JsonNode name : required) {
                mandatory |= name.asString().equals(property.getKey());
            }
            if (mandatory || depth < MAX_DEPTH && random.nextInt(4) > 0) {
                object.set(property.getKey(), json(property.getValue(), root, depth + 1));
            }
        }
        return object;
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isString()) {
            return type.asString();
        }
        if (type != null && type.isArray() && !type.isEmpty()) {
            for (JsonNode option : type) {
                if (!"null".equals(option.asString())) {
                    return option.asString();
                }
            }
            return "null";
        }
        if (schema.has("properties") || schema.has("required")) {
            return "object";
        }
        if (schema.has("items")) {
            return "array";
        }
        return "string";
    }

    private Double number(JsonNode schema, boolean integer) {
        double min = schema.has("minimum") ? schema.get("minimum").asDouble()
                : schema.has("exclusiveMinimum") ? schema.get("exclusiveMinimum").asDouble() + 1 : -1000;
        double max = schema.has("maximum") ? schema.get("maximum").asDouble()
                : schema.has("exclusiveMaximum") ? schema.get("exclusiveMaximum").asDouble() - 1 : min + 2000;
        double value = min + random.nextDouble() * Math.max(0, max - min);
        if (integer) {
            value = Math.max(Math.ceil(min), Math.min(Math.floor(max), Math.round(value)));
        } else {
            value = Math.round(value * 100) / 100.0;
        }
        if (schema.has("multipleOf")) {
            double step = schema.get("multipleOf").asDouble();
            value = Math.ceil(min / step) * step;
        }
        return value;
    }

    private String jsonString(JsonNode schema) {
        String format = schema.path("format").asString("");
        String value = switch (format) {
            case "date-time" -> Instant.ofEpochSecond(random.nextInt(2_000_000_000)).toString();
            case "date" -> LocalDate.ofEpochDay(random.nextInt(40_000)).toString();
            case "time" -> Instant.ofEpochSecond(random.nextInt(86_400)).atOffset(ZoneOffset.UTC).toLocalTime() + "Z";
            case "email" -> text(1, 8).replaceAll("[^A-Za-z0-9]", "x") + "@example.com";
            case "uuid" -> new UUID(random.nextLong(), random.nextLong()).toString();
            case "uri" -> "https://example.com/" + text(1, 8).replaceAll("[^A-Za-z0-9]", "x");
            case "ipv4" -> random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                    + random.nextInt(256);
            default -> text(schema.path("minLength").asInt(0), Math.max(schema.path("minLength").asInt(0),
                    schema.path("maxLength").asInt(12)));
        };
        return value;
    }

    // --- shared ---

    private int collectionSize(int depth) {
        return depth >= MAX_DEPTH ? 0 : random.nextInt(4);
    }

    private int smallOrAny(int min, int max) {
        return random.nextBoolean() ? random.nextInt(1000) - 500 : min + (int) (random.nextDouble() * ((double) max - min));
    }

    private String text(int minLength, int maxLength) {
        int length = minLength + random.nextInt(Math.max(1, maxLength - minLength + 1));
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
        }
        return text.toString();
    }

    private String base64(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
