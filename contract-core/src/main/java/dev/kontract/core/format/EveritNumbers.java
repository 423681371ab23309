package dev.kontract.core.format;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Numbers as everit gets them, schema and record alike: one form per value, so that everit, which
 * compares numbers nested in {@code enum} and {@code const} with {@code equals}, compares them by value
 * as JSON Schema does. An integral value (1.0 and 1E2 too, integers to JSON Schema) is the smallest of
 * {@code Integer}, {@code Long} and {@code BigInteger} that holds it, as org.json parses integers; any
 * other value is a {@code BigDecimal} without trailing zeros.
 */
final class EveritNumbers {

    /** Integral decimals with more digits stay decimals, not huge integers (Jackson reads at most 1,000). */
    private static final int MAX_INTEGER_DIGITS = 1_000;

    private EveritNumbers() {}

    /** A finite number in its one form. */
    static Number canonical(Number number) {
        if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte) {
            return integer(BigInteger.valueOf(number.longValue()));
        }
        if (number instanceof BigInteger integer) {
            return integer(integer);
        }
        BigDecimal value = number instanceof BigDecimal decimal ? decimal : BigDecimal.valueOf(number.doubleValue());
        if (value.signum() == 0) {
            return 0;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= MAX_INTEGER_DIGITS
                ? integer(stripped.toBigIntegerExact()) : stripped;
    }

    private static Number integer(BigInteger value) {
        int bits = value.bitLength();
        return bits <= 31 ? (Number) value.intValue() : bits <= 63 ? (Number) value.longValue() : value;
    }

    /** A schema as org.json parsed it, its numbers in their one form. */
    static JSONObject canonical(JSONObject schema) {
        for (String key : schema.keySet()) {
            schema.put(key, canonicalValue(schema.get(key)));
        }
        return schema;
    }

    private static Object canonicalValue(Object value) {
        if (value instanceof JSONObject object) {
            return canonical(object);
        }
        if (value instanceof JSONArray array) {
            for (int i = 0; i < array.length(); i++) {
                array.put(i, canonicalValue(array.get(i)));
            }
            return array;
        }
        if (value instanceof Number number && !(number instanceof Double d && !Double.isFinite(d))) {
            return canonical(number);
        }
        return value;
    }
}
