package dev.kontract.core.rules;

/** What happens to a record after a rule's action has run. */
public enum RuleDecision {
    /** The record goes on (to the next rule, then to the topic or the application). */
    ACCEPT,
    /** The client call fails with a {@code ContractViolationException}. */
    REJECT,
    /** The raw record goes to the product's dead-letter topic and the client goes on. */
    DEAD_LETTER
}
