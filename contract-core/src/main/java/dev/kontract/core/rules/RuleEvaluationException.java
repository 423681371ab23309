package dev.kontract.core.rules;

/**
 * A rule could not be evaluated for a record: its expression failed, returned the wrong kind of
 * value, or exceeded its {@link EvaluationLimits}. The rule engine turns it into an {@code error}
 * outcome and runs the rule's {@code onFailure} action.
 */
public class RuleEvaluationException extends RuntimeException {

    public RuleEvaluationException(String reason) {
        super(reason);
    }

    public RuleEvaluationException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
