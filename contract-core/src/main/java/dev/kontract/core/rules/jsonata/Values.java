package dev.kontract.core.rules.jsonata;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The value model of compiled expressions. A value is {@code null} (JSONata's undefined),
 * {@link #NULL} (JSON null), a {@code String}, a {@code Boolean}, a {@code Number}, an array (a
 * {@code List} or a Jackson {@code ArrayNode}), an object (a Jackson {@code ObjectNode}, a
 * {@code Map}, an Avro {@code IndexedRecord} or a Protobuf {@code Message}) or a function
 * ({@link Fn}).
 *
 * <p>Records are read where they are: a field of a Jackson tree, an Avro record or a Protobuf
 * message is looked up on the record itself and turned into a value only when it is read, exactly
 * as the format's JSON view would show it (Avro unions unwrapped, bytes as base64, enums as their
 * symbols, Protobuf fields without presence at their defaults, map keys as strings). That is what lets
 * a compiled rule run on the application's record without building the JSON view.
 */
final class Values {

    /** JSON {@code null}. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final double MAX_SAFE_INTEGER = 9007199254740991d;

    private Values() {}

    // ---- reading records ----

    /** A value as the JSON view shows it; {@code raw} is a stored value, so Java {@code null} is JSON null. */
    static Object of(Object raw) {
        if (raw == null) {
            return NULL;
        }
        if (raw instanceof String || raw instanceof Boolean || raw instanceof Double || raw instanceof Integer
                || raw instanceof Long) {
            return raw;
        }
        if (raw instanceof JsonNode node) {
            Object value = ofNode(node);
            return value == null ? NULL : value;
        }
        if (raw instanceof CharSequence chars) {
            return chars.toString();
        }
        if (raw instanceof Float f) {
            return Float.isFinite(f) ? Double.parseDouble(Float.toString(f)) : (Object) f.doubleValue();
        }
        if (raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).intValue();
        }
        if (raw instanceof EnumValueDescriptor symbol) {
            return symbol.getName();
        }
        if (raw instanceof GenericEnumSymbol<?> || raw instanceof Enum<?>) {
            return raw.toString();
        }
        if (raw instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (raw instanceof ByteString bytes) {
            return Base64.getEncoder().encodeToString(bytes.toByteArray());
        }
        if (raw instanceof GenericFixed fixed) {
            return Base64.getEncoder().encodeToString(fixed.bytes());
        }
        return raw;
    }

    /** A Jackson node as a value; {@code null} (undefined) for a missing node. */
    static Object ofNode(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node instanceof tools.jackson.databind.node.StringNode) {
            return node.stringValue();
        }
        if (node instanceof ObjectNode || node instanceof ArrayNode) {
            return node;
        }
        if (node instanceof tools.jackson.databind.node.DoubleNode) {
            return node.doubleValue();
        }
        if (node instanceof tools.jackson.databind.node.IntNode) {
            return node.intValue();
        }
        if (node instanceof tools.jackson.databind.node.LongNode) {
            return node.longValue();
        }
        if (node instanceof tools.jackson.databind.node.BooleanNode) {
            return node.booleanValue();
        }
        switch (node.getNodeType()) {
            case STRING:
                return node.stringValue();
            case NUMBER: {
                Number number = node.numberValue();
                return number instanceof Float || number instanceof Short || number instanceof Byte ? of(number) : number;
            }
            case BOOLEAN:
                return node.booleanValue();
            case NULL:
                return NULL;
            case OBJECT:
            case ARRAY:
                return node;
            case MISSING:
                return null;
            default:
                return node.asString();
        }
    }

    // Class tests come before interface tests throughout: a failing test against an interface scans the
    // class's interfaces, which costs more than the rest of a field lookup.

    static boolean isArray(Object value) {
        if (value instanceof JsonNode node) {
            return node instanceof ArrayNode;
        }
        return !(value instanceof String) && !(value instanceof Number) && !isRecordClass(value) && value instanceof List;
    }

    /** Records of the formats' usual classes, told apart by class tests alone. */
    private static boolean isRecordClass(Object value) {
        return value instanceof com.google.protobuf.GeneratedMessage || value instanceof org.apache.avro.generic.GenericData.Record
                || value instanceof org.apache.avro.specific.SpecificRecordBase;
    }

    static boolean isObject(Object value) {
        if (value instanceof JsonNode node) {
            return node instanceof ObjectNode;
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean || value == null) {
            return false;
        }
        return isRecordClass(value) || value instanceof IndexedRecord || value instanceof Message || value instanceof Map;
    }

    static boolean isSequence(Object value) {
        return value instanceof Seq seq && seq.sequence;
    }

    static int size(Object array) {
        return array instanceof ArrayNode node ? node.size() : ((List<?>) array).size();
    }

    /** Item {@code i} of an array, as a value. */
    static Object item(Object array, int i) {
        if (array instanceof ArrayNode node) {
            return of(node.get(i));
        }
        if (array instanceof Seq seq) {
            return seq.get(i);
        }
        if (array instanceof List<?> list) {
            return of(list.get(i));
        }
        return of(((ArrayNode) array).get(i));
    }

    /** The value of {@code key} in an object; {@code null} (undefined) when it has none or is no object. */
    static Object field(Object object, String key) {
        if (object instanceof JsonNode node) {
            return node instanceof ObjectNode ? ofNode(node.get(key)) : null;
        }
        if (object instanceof IndexedRecord record) {
            Schema.Field field = record.getSchema().getField(key);
            return field == null ? null : of(record.get(field.pos()));
        }
        if (object instanceof Message message) {
            return protobufField(message, message.getDescriptorForType().findFieldByName(key));
        }
        if (object instanceof Map<?, ?> map) {
            return mapField(map, key);
        }
        return null;
    }

    private static Object mapField(Map<?, ?> map, String key) {
        Object value = map.get(key);
        if (value != null || map.containsKey(key)) {
            return of(value);
        }
        if (map.isEmpty() || map.keySet().iterator().next() instanceof String) {
            return null;
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (key.contentEquals((CharSequence) entry.getKey())) {
                return of(entry.getValue());
            }
        }
        return null;
    }

    static Object protobufField(Message message, FieldDescriptor field) {
        if (field == null) {
            return null;
        }
        if (field.isMapField()) {
            FieldDescriptor keyField = field.getMessageType().findFieldByNumber(1);
            FieldDescriptor valueField = field.getMessageType().findFieldByNumber(2);
            Map<String, Object> map = new LinkedHashMap<>();
            for (Object entry : (List<?>) message.getField(field)) {
                Message pair = (Message) entry;
                map.put(String.valueOf(pair.getField(keyField)), of(pair.getField(valueField)));
            }
            return map;
        }
        if (!field.isRepeated() && field.hasPresence() && !message.hasField(field)) {
            return null;
        }
        return of(message.getField(field));
    }

    /** The keys of an object, in the order the JSON view has them. */
    static List<String> keys(Object object) {
        if (object instanceof ObjectNode node) {
            return new ArrayList<>(node.propertyNames());
        }
        List<String> keys = new ArrayList<>();
        if (object instanceof IndexedRecord record) {
            for (Schema.Field field : record.getSchema().getFields()) {
                keys.add(field.name());
            }
        } else if (object instanceof Message message) {
            for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
                if (field.isRepeated() || !field.hasPresence() || message.hasField(field)) {
                    keys.add(field.getName());
                }
            }
        } else if (object instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                keys.add(key.toString());
            }
        }
        return keys;
    }

    /** The object's entries, in order, as a new map of values. */
    static LinkedHashMap<String, Object> entries(Object object) {
        LinkedHashMap<String, Object> entries = new LinkedHashMap<>();
        if (object instanceof Map<?, ?> map && !map.isEmpty() && map.keySet().iterator().next() instanceof String) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                entries.put((String) entry.getKey(), of(entry.getValue()));
            }
            return entries;
        }
        for (String key : keys(object)) {
            entries.put(key, field(object, key));
        }
        return entries;
    }

    // ---- types ----

    /** JSONata's signature symbol of a value. */
    static char symbol(Object value) {
        if (value == null) {
            return 'm';
        }
        if (value instanceof String) {
            return 's';
        }
        if (value instanceof Number) {
            return 'n';
        }
        if (value instanceof Boolean) {
            return 'b';
        }
        if (value == NULL) {
            return 'l';
        }
        if (value instanceof JsonNode node) {
            return node instanceof ArrayNode ? 'a' : 'o';
        }
        if (value instanceof Seq) {
            return 'a';
        }
        if (isRecordClass(value)) {
            return 'o';
        }
        if (value instanceof List) {
            return 'a';
        }
        if (value instanceof Fn) {
            return 'f';
        }
        if (isArray(value)) {
            return 'a';
        }
        return 'o';
    }

    static String typeName(Object value) {
        switch (symbol(value)) {
            case 's': return "string";
            case 'n': return "number";
            case 'b': return "boolean";
            case 'l': return "null";
            case 'f': return "function";
            case 'a': return "array";
            case 'o': return "object";
            default: return null;
        }
    }

    /** A number JSONata can compute with; a non-finite number is error D1001, as in JSONata. */
    static boolean isNumeric(Object value) {
        if (!(value instanceof Number number)) {
            return false;
        }
        double d = number.doubleValue();
        if (Double.isNaN(d)) {
            return false;
        }
        if (Double.isInfinite(d)) {
            throw new JsonataError("D1001", "number out of range");
        }
        return true;
    }

    static double num(Object value) {
        return ((Number) value).doubleValue();
    }

    /** {@code $boolean}: {@code null} (undefined) for undefined. */
    static Boolean truthy(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            return !s.isEmpty();
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (value == NULL || value instanceof Fn) {
            return false;
        }
        if (isArray(value)) {
            int size = size(value);
            if (size == 0) {
                return false;
            }
            if (size == 1) {
                return truthy(item(value, 0));
            }
            for (int i = 0; i < size; i++) {
                if (Boolean.TRUE.equals(truthy(item(value, i)))) {
                    return true;
                }
            }
            return false;
        }
        return !keys(value).isEmpty();
    }

    /** Truthiness where undefined is false (the {@code and}/{@code or} operands, conditions). */
    static boolean isTrue(Object value) {
        return Boolean.TRUE.equals(truthy(value));
    }

    /** JSONata's {@code =}: deep equality, numbers by value. */
    static boolean deepEquals(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof String || a instanceof Boolean) {
            return a.equals(b);
        }
        if (isArray(a) && isArray(b)) {
            int size = size(a);
            if (size != size(b)) {
                return false;
            }
            for (int i = 0; i < size; i++) {
                if (!deepEquals(item(a, i), item(b, i))) {
                    return false;
                }
            }
            return true;
        }
        if (isObject(a) && isObject(b)) {
            List<String> ka = keys(a);
            List<String> kb = keys(b);
            if (ka.size() != kb.size() || !new java.util.HashSet<>(ka).equals(new java.util.HashSet<>(kb))) {
                return false;
            }
            for (String key : ka) {
                if (!deepEquals(field(a, key), field(b, key))) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** JSON's {@code ===} as {@code in} uses it: primitives by value, containers by identity. */
    static boolean strictEquals(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return (a instanceof String || a instanceof Boolean) && a.equals(b);
    }

    // ---- output ----

    /** A value as a Jackson node; {@code null} for undefined. */
    static JsonNode toJson(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof JsonNode node) {
            return node;
        }
        if (value == NULL) {
            return NODES.nullNode();
        }
        if (value instanceof String s) {
            return NODES.stringNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Number n) {
            return number(n);
        }
        if (value instanceof Fn) {
            return NODES.stringNode("");
        }
        if (isArray(value)) {
            int size = size(value);
            ArrayNode array = NODES.arrayNode(size);
            for (int i = 0; i < size; i++) {
                JsonNode item = toJson(item(value, i));
                array.add(item == null ? NODES.nullNode() : item);
            }
            return array;
        }
        ObjectNode object = NODES.objectNode();
        entries(value).forEach((key, item) -> {
            JsonNode node = toJson(item);
            if (node != null) {
                object.set(key, node);
            }
        });
        return object;
    }

    /** Integral numbers as a JSON parser would type them; others as doubles. */
    static JsonNode number(Number n) {
        if (n instanceof Integer i) {
            return NODES.numberNode(i.intValue());
        }
        if (n instanceof Long l) {
            return integral(l);
        }
        if (n instanceof BigInteger big) {
            return NODES.numberNode(big);
        }
        if (n instanceof BigDecimal decimal) {
            return NODES.numberNode(decimal);
        }
        double d = n.doubleValue();
        if (d == Math.rint(d) && Math.abs(d) <= MAX_SAFE_INTEGER) {
            return integral((long) d);
        }
        return NODES.numberNode(d);
    }

    private static JsonNode integral(long value) {
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE
                ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    /** A computed number: small integers as Integer, others as Double. */
    static Number number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1 << 30 && !(d == 0 && 1 / d < 0)) {
            return (int) d;
        }
        return d;
    }

    // ---- strings ----

    /** {@code $string}: strings as they are, anything else as JSON with numbers at 15 significant digits. */
    static String string(Object value) {
        if (value instanceof Seq seq && seq.outerWrapper && !seq.isEmpty()) {
            value = seq.get(0);
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Fn) {
            return "";
        }
        if (value instanceof Number n && !Double.isFinite(n.doubleValue())) {
            throw new JsonataError("D3001", "attempting to invoke string function on Infinity or NaN");
        }
        StringBuilder out = new StringBuilder();
        stringify(value, out);
        return out.toString();
    }

    private static void stringify(Object value, StringBuilder out) {
        if (value == null || value == NULL) {
            out.append("null");
        } else if (value instanceof String s) {
            quote(s, out);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Number n) {
            if (!Double.isFinite(n.doubleValue())) {
                throw new JsonataError("D1001", "number out of range");
            }
            out.append(formatPrecise(n));
        } else if (value instanceof Fn) {
            out.append("\"\"");
        } else if (isArray(value)) {
            out.append('[');
            int size = size(value);
            for (int i = 0; i < size; i++) {
                if (i > 0) {
                    out.append(',');
                }
                stringify(item(value, i), out);
            }
            out.append(']');
        } else {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> entry : entries(value).entrySet()) {
                if (entry.getValue() == null) {
                    continue;
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                quote(entry.getKey(), out);
                out.append(':');
                stringify(entry.getValue(), out);
            }
            out.append('}');
        }
    }

    /** JSON.stringify's quoting. */
    static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    /** A number as {@code $string} writes it: {@code Number(n.toPrecision(15))} in JavaScript's form. */
    static String formatPrecise(Number n) {
        if (n instanceof Integer || n instanceof Long && Math.abs(n.longValue()) < 1L << 53) {
            return n.toString();
        }
        double d = n.doubleValue();
        if (d == 0 || !Double.isFinite(d)) {
            return format(d);
        }
        return format(new BigDecimal(d).round(new MathContext(15, RoundingMode.HALF_UP)).doubleValue());
    }

    /** JavaScript's {@code Number.prototype.toString()}: the shortest digits that read back as {@code d}. */
    static String format(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return "0";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        BigDecimal exact = new BigDecimal(d);
        BigDecimal shortest = exact;
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (rounded.doubleValue() == d) {
                shortest = rounded;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int k = digits.length();
        int n = k - shortest.scale();
        StringBuilder out = new StringBuilder();
        if (d < 0) {
            out.append('-');
        }
        if (k <= n && n <= 21) {
            out.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            int e = n - 1;
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(e >= 0 ? '+' : '-').append(Math.abs(e));
        }
        return out.toString();
    }

    /** Appends {@code value} to {@code into} as JSONata's {@code $append} does (arrays one level flat). */
    static Object append(Object into, Object value) {
        if (into == null) {
            return value;
        }
        if (value == null) {
            return into;
        }
        Seq result = new Seq(false);
        addAll(result, into);
        addAll(result, value);
        return result;
    }

    static void addAll(Collection<Object> into, Object value) {
        if (isArray(value)) {
            int size = size(value);
            for (int i = 0; i < size; i++) {
                into.add(item(value, i));
            }
        } else {
            into.add(value);
        }
    }
}
