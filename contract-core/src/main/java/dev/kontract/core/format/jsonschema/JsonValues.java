package dev.kontract.core.format.jsonschema;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeType;

/**
 * JSON values as JSON Schema sees them: a number is its value whatever its node type (1, 1.0 and
 * 1E0 are one number), a double is the decimal {@link Double#toString} gives it (the text a parser
 * read it from, for any text of up to 17 significant digits), binary nodes are their base64 text and
 * POJO and missing nodes are {@code null}, as the codec gives them to everit.
 */
final class JsonValues {

    /** 2^53: below it every integral double is a long exactly, and {@code (long) d} is its value. */
    private static final double EXACT_LONG_LIMIT = 0x1p53;
    private static final int PAIRWISE_UNIQUENESS_LIMIT = 16;

    private JsonValues() {}

    /** The JSON type of a node: binary is a string, POJO and missing nodes are null. */
    static JsonNodeType kind(JsonNode node) {
        JsonNodeType type = node.getNodeType();
        return switch (type) {
            case BINARY -> JsonNodeType.STRING;
            case POJO, MISSING -> JsonNodeType.NULL;
            default -> type;
        };
    }

    /** The text of a string or binary node. */
    static String text(JsonNode node) {
        return node.isString() ? node.stringValue() : Base64.getEncoder().encodeToString(node.binaryValue());
    }

    /** Whether a number node is finite: only float and double nodes can be NaN or infinite. */
    static boolean isFinite(JsonNode number) {
        return !number.isFloatingPointNumber() || number.isBigDecimal() || Double.isFinite(number.doubleValue());
    }

    /** Whether a finite number node holds an integer (1.0 does). */
    static boolean isIntegral(JsonNode number) {
        if (number.isIntegralNumber()) {
            return true;
        }
        if (number.isBigDecimal()) {
            BigDecimal value = number.decimalValue();
            return value.signum() == 0 || value.scale() <= 0 || value.stripTrailingZeros().scale() <= 0;
        }
        double value = number.doubleValue();
        return value == Math.rint(value);
    }

    /** Whether a node is an int, long or short node, whose value {@link JsonNode#longValue} gives exactly. */
    static boolean isLong(JsonNode number) {
        return number.isIntegralNumber() && !number.isBigInteger();
    }

    /** The exact value of a finite number node; allocates, so only off the common paths. */
    static BigDecimal decimal(JsonNode number) {
        if (number.isBigDecimal()) {
            return number.decimalValue();
        }
        if (number.isBigInteger()) {
            return new BigDecimal(number.bigIntegerValue());
        }
        if (number.isIntegralNumber()) {
            return BigDecimal.valueOf(number.longValue());
        }
        return BigDecimal.valueOf(number.doubleValue());
    }

    /** Compares two finite number nodes by value. */
    static int compareNumbers(JsonNode a, JsonNode b) {
        boolean aLong = isLong(a);
        boolean bLong = isLong(b);
        if (aLong && bLong) {
            return Long.compare(a.longValue(), b.longValue());
        }
        boolean aDouble = a.isDouble() || a.isFloat();
        boolean bDouble = b.isDouble() || b.isFloat();
        if (aDouble && bDouble) {
            double x = a.doubleValue();
            double y = b.doubleValue();
            return x < y ? -1 : x > y ? 1 : 0;
        }
        if (aLong && bDouble) {
            return compareLongToDouble(a.longValue(), b.doubleValue(), a, b);
        }
        if (aDouble && bLong) {
            return -compareLongToDouble(b.longValue(), a.doubleValue(), b, a);
        }
        return decimal(a).compareTo(decimal(b));
    }

    private static int compareLongToDouble(long x, double y, JsonNode xNode, JsonNode yNode) {
        if (Math.abs(y) < EXACT_LONG_LIMIT) {
            long floor = (long) Math.floor(y);
            if (x != floor) {
                return x < floor ? -1 : 1;
            }
            return y == floor ? 0 : -1;
        }
        return decimal(xNode).compareTo(decimal(yNode));
    }

    /** JSON equality: numbers by value, objects whatever the order of their properties. */
    static boolean equal(JsonNode a, JsonNode b) {
        JsonNodeType type = kind(a);
        if (type != kind(b)) {
            return false;
        }
        switch (type) {
            case NUMBER:
                return isFinite(a) && isFinite(b) ? compareNumbers(a, b) == 0 : a.equals(b);
            case STRING:
                return text(a).equals(text(b));
            case BOOLEAN:
                return a.booleanValue() == b.booleanValue();
            case ARRAY: {
                int size = a.size();
                if (size != b.size()) {
                    return false;
                }
                for (int i = 0; i < size; i++) {
                    if (!equal(a.get(i), b.get(i))) {
                        return false;
                    }
                }
                return true;
            }
            case OBJECT: {
                if (a.size() != b.size()) {
                    return false;
                }
                for (Map.Entry<String, JsonNode> property : a.properties()) {
                    JsonNode other = b.get(property.getKey());
                    if (other == null || !equal(property.getValue(), other)) {
                        return false;
                    }
                }
                return true;
            }
            default:
                return true;
        }
    }

    /** A hash consistent with {@link #equal}. */
    static int hash(JsonNode node) {
        switch (kind(node)) {
            case NUMBER: {
                if (isLong(node)) {
                    return Long.hashCode(node.longValue());
                }
                if (node.isDouble() || node.isFloat()) {
                    double value = node.doubleValue();
                    return value == Math.rint(value) && Math.abs(value) < 0x1p63 ? Long.hashCode((long) value)
                            : Double.hashCode(value);
                }
                BigDecimal value = decimal(node);
                try {
                    return Long.hashCode(value.longValueExact());
                } catch (ArithmeticException notALong) {
                    return Double.hashCode(value.doubleValue());
                }
            }
            case STRING:
                return text(node).hashCode();
            case BOOLEAN:
                return node.booleanValue() ? 1231 : 1237;
            case ARRAY: {
                int hash = 1;
                for (JsonNode item : node) {
                    hash = 31 * hash + hash(item);
                }
                return hash;
            }
            case OBJECT: {
                int hash = 0;
                for (Map.Entry<String, JsonNode> property : node.properties()) {
                    hash += property.getKey().hashCode() ^ hash(property.getValue());
                }
                return hash;
            }
            default:
                return 0;
        }
    }

    /** Whether no two items of an array are equal: pairwise when short, else by sorted hashes. */
    static boolean allDistinct(JsonNode array) {
        int size = array.size();
        if (size <= PAIRWISE_UNIQUENESS_LIMIT) {
            for (int i = 1; i < size; i++) {
                JsonNode item = array.get(i);
                for (int j = 0; j < i; j++) {
                    if (equal(item, array.get(j))) {
                        return false;
                    }
                }
            }
            return true;
        }
        long[] hashed = new long[size];
        for (int i = 0; i < size; i++) {
            hashed[i] = (long) hash(array.get(i)) << 32 | i;
        }
        Arrays.sort(hashed);
        for (int run = 0; run < size; ) {
            int end = run + 1;
            while (end < size && hashed[end] >>> 32 == hashed[run] >>> 32) {
                end++;
            }
            for (int i = run + 1; i < end; i++) {
                JsonNode item = array.get((int) hashed[i]);
                for (int j = run; j < i; j++) {
                    if (equal(item, array.get((int) hashed[j]))) {
                        return false;
                    }
                }
            }
            run = end;
        }
        return true;
    }

    /**
     * Whether a value nests containers at most {@code remaining} levels below itself counting itself
     * (a container needs {@code remaining >= 0}) and holds only finite numbers: what the codec asks of
     * a record before everit sees it, for the parts of a record no keyword looks into.
     */
    static boolean withinLimits(JsonNode node, int remaining) {
        switch (node.getNodeType()) {
            case OBJECT:
            case ARRAY:
                return remaining >= 0 && childrenWithinLimits(node, remaining - 1);
            case NUMBER:
                return isFinite(node);
            default:
                return true;
        }
    }

    /** {@link #withinLimits} for each child of a container. */
    static boolean childrenWithinLimits(JsonNode container, int remaining) {
        for (Iterator<JsonNode> children = container.iterator(); children.hasNext(); ) {
            if (!withinLimits(children.next(), remaining)) {
                return false;
            }
        }
        return true;
    }
}
