package dev.kontract.core.rules;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on one evaluation of one rule, so that a looping or deeply recursive expression fails as a
 * rule error instead of hanging or crashing the client thread.
 *
 * @param timeout the longest one evaluation may run
 * @param maxDepth the deepest the expression's call stack may grow
 */
public record EvaluationLimits(Duration timeout, int maxDepth) {

    /** 100 ms and depth 200: far above what a record-sized expression needs. */
    public static final EvaluationLimits DEFAULT = new EvaluationLimits(Duration.ofMillis(100), 200);

    public EvaluationLimits {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (maxDepth <= 0) {
            throw new IllegalArgumentException("maxDepth must be positive: " + maxDepth);
        }
    }
}
