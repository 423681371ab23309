package dev.kontract.core.format;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Documents for one JSON Schema, for the differential test: a document built to meet the schema
 * (following {@code $ref}s, picking {@code enum} values and {@code examples}, numbers within the
 * bounds, strings of the format), then, most of the time, mutated where it hurts: a value of the
 * wrong type, a required property removed, a property added, a number on or beside a bound or
 * written as another node type (1 as 1.0, a BigInteger, a BigDecimal), a string of the wrong length,
 * with surrogate pairs or a lone surrogate, a format value almost right, an item repeated, a value
 * nested around the depth limit.
 */
final class JsonSchemaDocuments {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** How deep a document built to meet a recursive schema goes before it stops recursing. */
    private static final int RECURSION_DEPTH = 5;

    private static final String[] STRINGS = {"", "a", "ab", "abc", "abcd", "ABCDE", "ABCDEF", "ÉTÉ", "x_a", "UPPER",
        "😀", "😀😀😀", "a😀", "😀😀😀😀", "\uD800", "a\uDC00b", "1234", "0000", "12345", "none", "standard", "PLACED",
        "DE", "  ", "line\n", "ab\n", "A\u030A"};
    private static final String[] FORMAT_LIKE = {
        "2024-02-29T12:30:00Z", "2023-02-29T12:30:00Z", "2021-02-30T00:00:00Z", "2024-01-01T23:59:60Z",
        "2024-01-01t10:00:00z", "2024-01-01T24:00:00Z", "2024-01-01T10:00:00+18:00", "2024-01-01T10:00:00+18:01",
        "2024-01-01T10:00:00-00:00", "2024-01-01T10:00:00.123456789+05:30", "2024-01-01T10:00:00.1234567890Z",
        "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "+2024-01-01T00:00:00Z", "2024-01-01 10:00:00Z",
        "2024-01-01T10:00:00", "2024-01-01T10:00Z", "2024-1-01T10:00:00Z", "2024-01-01", "2024-13-01", "2024-02-29",
        "2023-02-29", "0000-02-29", "20240-01-01", "2024-01-32", "10:00:00Z", "23:59:59.5+01:00", "23:59:60Z",
        "24:00:00Z", "10:00:00", "10:00:00+19:00", "1:00:00Z", "127.0.0.1", "255.255.255.255", "256.1.1.1", "01.1.1.1",
        "1.1.1", "1.1.1.1.", "0.0.0.0", "1.2.3.04", "::1", "2001:db8::8a2e:370:7334", ":::1", "1::2::3", "ops@example.com",
        "a@b", "not an email", "a@example.invalidtld", "https://example.com/t/1", "//example.com/x", "relative/path",
        "urn:isbn:0451450523", "http://exa mple.com", "0f8fad5b-d9cb-469f-a165-70867728950e", "not-a-uuid"};
    private static final String[] NAMES = {"x_a", "x_b", "meta_x", "UPPER", "toolongname", "to", "wrap", "message",
        "ref", "extra", "a", "", "😀", "coupon", "value", "children"};

    private final JsonNode root;
    private final Random random;
    private final int maxDepth;
    private final List<String> declaredNames;

    JsonSchemaDocuments(JsonNode schema, Random random, int maxDepth) {
        this.root = schema;
        this.random = random;
        this.maxDepth = maxDepth;
        Set<String> names = new LinkedHashSet<>(List.of(NAMES));
        collectPropertyNames(schema, names);
        this.declaredNames = List.copyOf(names);
    }

    /** A document: built to meet the schema, then mutated from none to three times. */
    JsonNode next() {
        ArrayNode holder = NODES.arrayNode().add(conforming(root, 0));
        int mutations = random.nextInt(10) < 3 ? 0 : 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            mutate(holder);
        }
        return holder.get(0);
    }

    // ---- documents that meet the schema (mostly: allOf and patterns are met only roughly) ----

    private JsonNode conforming(JsonNode schema, int depth) {
        if (schema == null || schema.isBoolean()) {
            return anyValue(depth, 2);
        }
        if (schema.has("$ref")) {
            return depth > RECURSION_DEPTH * 3 ? NODES.nullNode() : conforming(resolve(schema.get("$ref").stringValue()), depth);
        }
        if (schema.has("const")) {
            return variant(schema.get("const"));
        }
        if (schema.has("enum")) {
            JsonNode values = schema.get("enum");
            return variant(values.get(random.nextInt(values.size())));
        }
        if (schema.has("examples") && random.nextInt(10) > 0) {
            JsonNode examples = schema.get("examples");
            return examples.get(random.nextInt(examples.size())).deepCopy();
        }
        for (String choice : List.of("oneOf", "anyOf")) {
            if (schema.has(choice)) {
                JsonNode options = schema.get(choice);
                return conforming(options.get(random.nextInt(options.size())), depth);
            }
        }
        if (schema.has("allOf")) {
            ObjectNode merged = ((ObjectNode) schema).deepCopy();
            merged.remove("allOf");
            schema.get("allOf").forEach(part -> merge(part, merged));
            return conforming(merged, depth);
        }
        if (schema.has("if")) {
            ObjectNode branch = ((ObjectNode) schema).deepCopy();
            branch.remove(List.of("if", "then", "else"));
            boolean then = random.nextBoolean();
            merge(then ? schema.get("if") : schema.path("else"), branch);
            merge(then ? schema.path("then") : NODES.objectNode(), branch);
            return conforming(branch, depth);
        }
        switch (type(schema)) {
            case "object":
                return object(schema, depth);
            case "array":
                return array(schema, depth);
            case "string":
                return string(schema);
            case "integer":
                return number(schema, true);
            case "number":
                return number(schema, false);
            case "boolean":
                return NODES.booleanNode(random.nextBoolean());
            case "null":
                return NODES.nullNode();
            default:
                return anyValue(depth, 2);
        }
    }

    /** Adds {@code part}'s keywords to {@code into}: objects and arrays merged, other values replaced. */
    private static void merge(JsonNode part, ObjectNode into) {
        part.properties().forEach(entry -> {
            if (entry.getValue().isObject() && into.get(entry.getKey()) instanceof ObjectNode existing) {
                existing.setAll((ObjectNode) entry.getValue().deepCopy());
            } else if (entry.getValue().isArray() && into.get(entry.getKey()) instanceof ArrayNode existing) {
                existing.addAll((ArrayNode) entry.getValue().deepCopy());
            } else {
                into.set(entry.getKey(), entry.getValue().deepCopy());
            }
        });
    }

    private String type(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isString()) {
            return type.stringValue();
        }
        if (type != null && type.isArray() && !type.isEmpty()) {
            return type.get(random.nextInt(type.size())).stringValue();
        }
        if (schema.has("properties") || schema.has("required") || schema.has("dependencies")) {
            return "object";
        }
        if (schema.has("items") || schema.has("contains")) {
            return "array";
        }
        if (schema.has("format") || schema.has("pattern") || schema.has("maxLength")) {
            return "string";
        }
        if (schema.has("minimum") || schema.has("maximum") || schema.has("multipleOf")) {
            return "number";
        }
        return "any";
    }

    private JsonNode object(JsonNode schema, int depth) {
        ObjectNode object = NODES.objectNode();
        Set<String> required = new LinkedHashSet<>();
        schema.path("required").forEach(name -> required.add(name.stringValue()));
        JsonNode properties = schema.path("properties");
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            boolean recursive = depth >= RECURSION_DEPTH;
            boolean forbidden = property.getValue().isBoolean() && !property.getValue().booleanValue();
            if (required.contains(property.getKey()) || !recursive && !forbidden && random.nextInt(3) > 0) {
                object.set(property.getKey(), conforming(property.getValue(), depth + 1));
            }
        }
        for (String name : required) {
            if (!object.has(name)) {
                object.set(name, anyValue(depth + 1, 1));
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        if (additional == null || additional.isObject() || additional.booleanValue()) {
            if (random.nextInt(4) == 0) {
                object.set(name(), additional != null && additional.isObject() ? conforming(additional, depth + 1)
                        : anyValue(depth + 1, 1));
            }
        }
        if (schema.has("patternProperties") && random.nextBoolean()) {
            object.set("x_" + (char) ('a' + random.nextInt(3)), NODES.numberNode(random.nextInt(5)));
        }
        return object;
    }

    private JsonNode array(JsonNode schema, int depth) {
        ArrayNode array = NODES.arrayNode();
        int min = schema.path("minItems").asInt(0);
        int max = Math.min(schema.path("maxItems").asInt(Integer.MAX_VALUE), min + (depth >= RECURSION_DEPTH ? 0 : 3));
        int size = min + random.nextInt(Math.max(1, max - min + 1));
        JsonNode items = schema.get("items");
        for (int i = 0; i < size; i++) {
            if (items != null && items.isArray()) {
                if (i < items.size()) {
                    array.add(conforming(items.get(i), depth + 1));
                } else if (!schema.path("additionalItems").isBoolean()) {
                    array.add(conforming(schema.get("additionalItems"), depth + 1));
                }
            } else {
                array.add(conforming(items, depth + 1));
            }
        }
        if (schema.has("contains")) {
            array.add(conforming(schema.get("contains"), depth + 1));
        }
        return array;
    }

    private JsonNode string(JsonNode schema) {
        if (schema.has("format")) {
            boolean wellFormed = random.nextInt(6) > 0;
            String value = switch (schema.get("format").asString()) {
                case "date-time" -> wellFormed ? dateTime() : pick(FORMAT_LIKE);
                case "date" -> wellFormed ? dateTime().substring(0, 10) : pick(FORMAT_LIKE);
                case "time" -> wellFormed ? dateTime().substring(11) : pick(FORMAT_LIKE);
                case "ipv4" -> wellFormed ? random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256)
                        + "." + random.nextInt(256) : pick(FORMAT_LIKE);
                default -> pick(FORMAT_LIKE);
            };
            return NODES.stringNode(value);
        }
        int min = schema.path("minLength").asInt(0);
        int max = Math.min(schema.path("maxLength").asInt(min + 6), min + 6);
        StringBuilder text = new StringBuilder();
        int length = min + random.nextInt(Math.max(1, max - min + 1));
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(random.nextInt(8) == 0 ? 0x1F600 + random.nextInt(40) : 'A' + random.nextInt(26));
        }
        return NODES.stringNode(text.toString());
    }

    /** A well-formed RFC 3339 date-time, with a fraction and an offset now and then. */
    private String dateTime() {
        int year = 1 + random.nextInt(9999);
        int month = 1 + random.nextInt(12);
        int day = 1 + random.nextInt(month == 2 ? 29 : 31);
        String value = "%04d-%02d-%02dT%02d:%02d:%02d".formatted(year, month, day, random.nextInt(24), random.nextInt(60),
                random.nextInt(60));
        if (random.nextBoolean()) {
            value += "." + "123456789".substring(0, 1 + random.nextInt(9));
        }
        return value + switch (random.nextInt(3)) {
            case 0 -> "Z";
            case 1 -> "+%02d:%02d".formatted(random.nextInt(18), random.nextInt(60));
            default -> "-%02d:00".formatted(random.nextInt(19));
        };
    }

    private JsonNode number(JsonNode schema, boolean integer) {
        BigDecimal low = bound(schema, "minimum", "exclusiveMinimum", BigDecimal.valueOf(-1000));
        BigDecimal high = bound(schema, "maximum", "exclusiveMaximum", BigDecimal.valueOf(1000));
        if (schema.has("exclusiveMaximum") && random.nextInt(4) > 0) {
            high = high.subtract(high.subtract(low).abs().multiply(new BigDecimal("0.1")));
        }
        if (high.compareTo(low) < 0) {
            high = low;
        }
        BigDecimal span = high.subtract(low).min(BigDecimal.valueOf(2000));
        BigDecimal value = low.add(span.multiply(BigDecimal.valueOf(random.nextDouble())));
        JsonNode multipleOf = schema.get("multipleOf");
        if (multipleOf != null) {
            BigDecimal step = multipleOf.decimalValue();
            value = value.divide(step, 0, RoundingMode.CEILING).multiply(step);
        } else if (integer) {
            value = value.setScale(0, RoundingMode.CEILING);
        } else {
            BigDecimal rounded = value.setScale(random.nextInt(4), RoundingMode.HALF_UP);
            value = rounded.compareTo(low) >= 0 && rounded.compareTo(high) <= 0 ? rounded : value;
        }
        return numberNode(value);
    }

    private static BigDecimal bound(JsonNode schema, String inclusive, String exclusive, BigDecimal absent) {
        JsonNode node = schema.has(inclusive) ? schema.get(inclusive) : schema.get(exclusive);
        return node != null && node.isNumber() ? node.decimalValue() : absent;
    }

    /** A value as a parser would give it: int, long or BigInteger nodes for integers, doubles otherwise. */
    private static JsonNode numberNode(BigDecimal value) {
        if (value.signum() == 0 || value.stripTrailingZeros().scale() <= 0) {
            BigInteger integer = value.toBigInteger();
            return integer.bitLength() <= 31 ? NODES.numberNode(integer.intValue())
                    : integer.bitLength() <= 63 ? NODES.numberNode(integer.longValue()) : NODES.numberNode(integer);
        }
        return NODES.numberNode(value.doubleValue());
    }

    /** The value, or (for numbers, also inside containers) the same value as another node type. */
    private JsonNode variant(JsonNode value) {
        if (value.isNumber()) {
            return random.nextInt(3) == 0 ? otherNumberType(value) : value.deepCopy();
        }
        if (value.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            value.forEach(item -> copy.add(variant(item)));
            return copy;
        }
        if (value.isObject()) {
            ObjectNode copy = NODES.objectNode();
            value.properties().forEach(entry -> copy.set(entry.getKey(), variant(entry.getValue())));
            return copy;
        }
        return value.deepCopy();
    }

    private JsonNode otherNumberType(JsonNode number) {
        if (!Double.isFinite(number.doubleValue())) {
            return number.deepCopy();
        }
        BigDecimal value = number.decimalValue();
        return switch (random.nextInt(4)) {
            case 0 -> NODES.numberNode(value.doubleValue());
            case 1 -> NODES.numberNode(value.setScale(Math.max(1, value.scale() + 1), RoundingMode.UNNECESSARY));
            case 2 -> value.stripTrailingZeros().scale() <= 0 ? NODES.numberNode(value.toBigInteger()) : NODES.numberNode(value);
            default -> numberNode(value);
        };
    }

    private JsonNode anyValue(int depth, int size) {
        int kind = random.nextInt(depth > RECURSION_DEPTH || size == 0 ? 5 : 7);
        return switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> edgeNumber();
            case 3 -> NODES.stringNode(random.nextBoolean() ? pick(STRINGS) : pick(FORMAT_LIKE));
            case 4 -> NODES.numberNode(random.nextInt(100) - 50);
            case 5 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(size + 1); i > 0; i--) {
                    array.add(anyValue(depth + 1, size - 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(size + 1); i > 0; i--) {
                    object.set(name(), anyValue(depth + 1, size - 1));
                }
                yield object;
            }
        };
    }

    private JsonNode edgeNumber() {
        return switch (random.nextInt(30)) {
            case 0 -> NODES.numberNode(0);
            case 1 -> NODES.numberNode(-0.0);
            case 2 -> NODES.numberNode(1.0);
            case 3 -> NODES.numberNode(0.1);
            case 4 -> NODES.numberNode(0.3);
            case 5 -> NODES.numberNode(0.30000000000000004);
            case 6 -> NODES.numberNode(0.29999999999999993);
            case 7 -> NODES.numberNode(1000.5);
            case 8 -> NODES.numberNode(1000.51);
            case 9 -> NODES.numberNode(1000.49);
            case 10 -> NODES.numberNode(1e20);
            case 11 -> NODES.numberNode(9007199254740993L);
            case 12 -> NODES.numberNode(9007199254740992.0);
            case 13 -> NODES.numberNode(9007199254740994L);
            case 14 -> NODES.numberNode(Long.MAX_VALUE);
            case 15 -> NODES.numberNode(BigInteger.TWO.pow(70));
            case 16 -> NODES.numberNode(new BigDecimal("2.50"));
            case 17 -> NODES.numberNode(new BigDecimal("1E+2"));
            case 18 -> NODES.numberNode(3);
            case 19 -> NODES.numberNode(6.0);
            case 20 -> NODES.numberNode(1.5);
            case 21 -> NODES.numberNode(2.25);
            case 22 -> NODES.numberNode(0.1f);
            case 23 -> NODES.numberNode(-1);
            case 24 -> NODES.numberNode(2);
            case 25 -> NODES.numberNode(0.01);
            case 26 -> NODES.numberNode(12.34);
            case 27 -> NODES.numberNode(Double.POSITIVE_INFINITY);
            case 28 -> NODES.numberNode(BigInteger.valueOf(3));
            default -> NODES.numberNode(random.nextInt(2000) / 100.0);
        };
    }

    // ---- mutations ----

    /** A place in the document: a container and a property name or an index in it. */
    private record Place(JsonNode container, String name, int index, int depth) {}

    private void mutate(ArrayNode holder) {
        List<Place> places = new ArrayList<>();
        collectPlaces(holder, -1, places);
        Place place = places.get(random.nextInt(places.size()));
        JsonNode current = place.name != null ? place.container.get(place.name) : place.container.get(place.index);
        switch (random.nextInt(9)) {
            case 0 -> put(place, anyValue(place.depth + 1, 2));
            case 1 -> {
                if (place.name != null) {
                    ((ObjectNode) place.container).remove(place.name);
                } else if (place.container != holder) {
                    ((ArrayNode) place.container).remove(place.index);
                }
            }
            case 2 -> {
                if (place.container instanceof ObjectNode object) {
                    object.set(name(), anyValue(place.depth + 1, 1));
                } else if (place.container != holder) {
                    ((ArrayNode) place.container).add(anyValue(place.depth + 1, 1));
                }
            }
            case 3 -> put(place, edgeNumber());
            case 4 -> put(place, NODES.stringNode(random.nextBoolean() ? pick(STRINGS) : pick(FORMAT_LIKE)));
            case 5 -> {
                if (current != null && current.isArray() && !current.isEmpty()) {
                    ((ArrayNode) current).add(variant(current.get(random.nextInt(current.size()))));
                }
            }
            case 6 -> put(place, nested(maxDepth - place.depth - 2 + random.nextInt(5)));
            case 7 -> {
                if (current != null) {
                    put(place, variant(current));
                }
            }
            default -> {
                if (current != null && current.isNumber()) {
                    put(place, otherNumberType(current));
                } else {
                    put(place, edgeNumber());
                }
            }
        }
    }

    private void collectPlaces(JsonNode container, int depth, List<Place> places) {
        if (container.isObject()) {
            for (Iterator<String> names = container.propertyNames().iterator(); names.hasNext(); ) {
                String name = names.next();
                places.add(new Place(container, name, -1, depth + 1));
                collectPlaces(container.get(name), depth + 1, places);
            }
        } else if (container.isArray()) {
            for (int i = 0; i < container.size(); i++) {
                places.add(new Place(container, null, i, depth + 1));
                collectPlaces(container.get(i), depth + 1, places);
            }
        }
    }

    private static void put(Place place, JsonNode value) {
        if (place.name != null) {
            ((ObjectNode) place.container).set(place.name, value);
        } else {
            ((ArrayNode) place.container).set(place.index, value);
        }
    }

    /** Containers nested {@code levels} deep (objects and arrays alternating at random), around a number. */
    private JsonNode nested(int levels) {
        JsonNode value = NODES.numberNode(1);
        for (int i = 0; i < levels; i++) {
            value = random.nextBoolean() ? NODES.arrayNode().add(value) : NODES.objectNode().set(name(), value);
        }
        return value;
    }

    private String name() {
        return declaredNames.get(random.nextInt(declaredNames.size()));
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private JsonNode resolve(String ref) {
        JsonNode node = root;
        if (ref.startsWith("#/")) {
            for (String token : ref.substring(2).split("/")) {
                node = node.get(token.replace("~1", "/").replace("~0", "~"));
            }
        }
        return node;
    }

    private static void collectPropertyNames(JsonNode schema, Set<String> names) {
        if (schema.isObject()) {
            schema.path("properties").propertyNames().forEach(names::add);
            schema.path("required").forEach(name -> names.add(name.stringValue()));
            for (JsonNode child : schema) {
                collectPropertyNames(child, names);
            }
        } else if (schema.isArray()) {
            schema.forEach(child -> collectPropertyNames(child, names));
        }
    }
}
