package dev.kontract.core.rules;

import java.util.Optional;
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

    /** Whether the rule runs as Java code compiled from its expression rather than on an interpreter. */
    default boolean compiled() {
        return false;
    }

    /**
     * Why the rule runs on the interpreter: the construct its compiler does not support. Empty when it
     * is {@link #compiled()}, or when its executor has no compiler at all.
     */
    default Optional<String> interpretedBecause() {
        return Optional.empty();
    }

    /**
     * Whether {@link #evaluateInPlace} can read the application's record directly (an Avro
     * {@code IndexedRecord}, a Protobuf {@code Message}, a Jackson tree) instead of its JSON view.
     */
    default boolean readsRecordsInPlace() {
        return false;
    }

    /**
     * Evaluates the rule on a record read in place, with the result it has on that record's JSON view.
     * Only when {@link #readsRecordsInPlace()}.
     *
     * @throws RuleEvaluationException when evaluation fails or exceeds its {@link EvaluationLimits}
     */
    default JsonNode evaluateInPlace(Object record) {
        throw new UnsupportedOperationException("this rule reads only JSON views");
    }

    /**
     * The rule as a field mapping, when it is a {@code TRANSFORM} that only renames, drops, copies or
     * sets fields to constants: what lets a migration run on native records without the JSON view.
     */
    default Optional<FieldMapping> fieldMapping() {
        return Optional.empty();
    }
}
