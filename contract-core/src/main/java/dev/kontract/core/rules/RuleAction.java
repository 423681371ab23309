package dev.kontract.core.rules;

/**
 * What {@code onSuccess} / {@code onFailure} name. {@code ERROR}, {@code NONE} and {@code DLQ} are
 * built in; more are found through {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.kontract.core.rules.RuleAction}, public no-arg constructor). An
 * action may have side effects (alert, log, count) and returns what becomes of the record.
 * Implementations must be thread-safe and fast: they run on the client's thread.
 */
public interface RuleAction {

    /** The name rules use, upper case. */
    String name();

    RuleDecision onOutcome(RuleContext context, RuleOutcome outcome);
}
