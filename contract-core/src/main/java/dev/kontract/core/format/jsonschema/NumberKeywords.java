package dev.kontract.core.format.jsonschema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import tools.jackson.databind.JsonNode;

/**
 * {@code minimum}, {@code maximum}, {@code exclusiveMinimum}, {@code exclusiveMaximum} and
 * {@code multipleOf} of one schema, checked on finite number nodes by value. Long and double values
 * compare without allocating; a double compares as the decimal {@link Double#toString} gives it.
 */
final class NumberKeywords {

    private final Bound minimum;
    private final Bound maximum;
    private final Bound exclusiveMinimum;
    private final Bound exclusiveMaximum;
    private final MultipleOf multipleOf;

    NumberKeywords(BigDecimal minimum, BigDecimal maximum, BigDecimal exclusiveMinimum, BigDecimal exclusiveMaximum,
            BigDecimal multipleOf) {
        this.minimum = Bound.of(minimum);
        this.maximum = Bound.of(maximum);
        this.exclusiveMinimum = Bound.of(exclusiveMinimum);
        this.exclusiveMaximum = Bound.of(exclusiveMaximum);
        this.multipleOf = multipleOf == null ? null : new MultipleOf(multipleOf);
    }

    boolean test(JsonNode number) {
        return (minimum == null || minimum.compareTo(number) <= 0)
                && (maximum == null || maximum.compareTo(number) >= 0)
                && (exclusiveMinimum == null || exclusiveMinimum.compareTo(number) < 0)
                && (exclusiveMaximum == null || exclusiveMaximum.compareTo(number) > 0)
                && (multipleOf == null || multipleOf.divides(number));
    }

    /** A limit, with what comparing longs and doubles to it needs precomputed. */
    private static final class Bound {
        private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
        private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

        private final BigDecimal limit;
        /** -1 below every long, 1 above every long, 0 within the longs. */
        private final int beyondLongs;
        private final long floor;
        private final boolean integral;
        private final double nearestDouble;
        /** Whether a double equal to {@link #nearestDouble} is the limit (its decimal is the limit's). */
        private final boolean nearestDoubleIsLimit;

        private Bound(BigDecimal limit) {
            this.limit = limit;
            this.beyondLongs = limit.compareTo(LONG_MIN) < 0 ? -1 : limit.compareTo(LONG_MAX) > 0 ? 1 : 0;
            BigDecimal floored = limit.setScale(0, RoundingMode.FLOOR);
            this.floor = beyondLongs == 0 ? floored.longValueExact() : 0;
            this.integral = floored.compareTo(limit) == 0;
            this.nearestDouble = limit.doubleValue();
            this.nearestDoubleIsLimit = Double.isFinite(nearestDouble)
                    && BigDecimal.valueOf(nearestDouble).compareTo(limit) == 0;
        }

        static Bound of(BigDecimal limit) {
            return limit == null ? null : new Bound(limit);
        }

        /** The sign of {@code limit - value}'s opposite: how the limit compares to the value. */
        int compareTo(JsonNode value) {
            if (JsonValues.isLong(value)) {
                return -compareToLimit(value.longValue());
            }
            if (value.isDouble() || value.isFloat()) {
                double x = value.doubleValue();
                if (x != nearestDouble) {
                    return x < nearestDouble ? 1 : -1;
                }
                return nearestDoubleIsLimit ? 0 : limit.compareTo(BigDecimal.valueOf(x));
            }
            return limit.compareTo(JsonValues.decimal(value));
        }

        private int compareToLimit(long x) {
            if (beyondLongs != 0) {
                return -beyondLongs;
            }
            if (x != floor) {
                return x < floor ? -1 : 1;
            }
            return integral ? 0 : -1;
        }
    }

    /** {@code multipleOf}: remainders of longs when the divisor is a long, of decimals otherwise. */
    private static final class MultipleOf {
        private static final double EXACT_LONG_LIMIT = 0x1p53;

        private final BigDecimal divisor;
        private final long longDivisor;

        MultipleOf(BigDecimal divisor) {
            this.divisor = divisor;
            long asLong;
            try {
                asLong = divisor.stripTrailingZeros().scale() <= 0 ? divisor.longValueExact() : 0;
            } catch (ArithmeticException beyondLongs) {
                asLong = 0;
            }
            this.longDivisor = asLong;
        }

        boolean divides(JsonNode value) {
            if (longDivisor != 0) {
                if (JsonValues.isLong(value)) {
                    return value.longValue() % longDivisor == 0;
                }
                if (value.isDouble() || value.isFloat()) {
                    double x = value.doubleValue();
                    if (x != Math.rint(x)) {
                        return false;
                    }
                    if (Math.abs(x) < EXACT_LONG_LIMIT) {
                        return (long) x % longDivisor == 0;
                    }
                }
                if (value.isBigInteger()) {
                    return value.bigIntegerValue().mod(BigInteger.valueOf(Math.abs(longDivisor))).signum() == 0;
                }
            }
            return JsonValues.decimal(value).remainder(divisor).signum() == 0;
        }
    }
}
