package dev.kontract.core.rules;

import dev.kontract.core.Rule;
import dev.kontract.core.RulePhase;

/**
 * What one rule made of one record.
 *
 * @param reason why it failed or errored; {@code null} when it passed
 */
public record RuleOutcome(Rule rule, RulePhase phase, Result result, String reason) {

    /** Values are the {@code outcome} tag of {@code contract.rule.evaluations}. */
    public enum Result {
        PASS,
        FAIL,
        ERROR;

        /** The lower-case tag value. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean passed() {
        return result == Result.PASS;
    }
}
