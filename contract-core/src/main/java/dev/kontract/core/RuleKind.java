package dev.kontract.core;

/** What a rule does with a record (Confluent's {@code kind}). */
public enum RuleKind {
    /** Returns a boolean; {@code false} triggers the rule's {@code onFailure} action. */
    CONDITION,
    /** Returns a new record (for example with a field renamed or masked). */
    TRANSFORM
}
