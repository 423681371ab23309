package dev.kontract.core.rules;

import tools.jackson.databind.JsonNode;

/** A rule expression compiled once, evaluated per record. Thread-safe. */
@FunctionalInterface
public interface CompiledRule {

    /**
     * Evaluates the rule against a record's JSON view, which it must not modify.
     *
     * @return the result ({@code true}/{@code false} for a condition, the new record for a transform);
     *     {@code null} when the expression's value is undefined
     * @throws RuleEvaluationException when evaluation fails or exceeds its {@link EvaluationLimits}
     */
    JsonNode evaluate(JsonNode record);
}
