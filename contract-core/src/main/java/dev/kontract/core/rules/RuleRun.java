package dev.kontract.core.rules;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * The result of running a {@link RuleChain} over one record.
 *
 * @param record the record after every accepted transform (the input when nothing transformed it);
 *     {@code null} for conditions run on a record in place
 * @param decision what becomes of the record
 * @param deciding the outcome whose action stopped the chain; when the record was accepted, the first
 *     failure an action let through ({@code NONE}), or {@code null} when every rule passed
 */
public record RuleRun(JsonNode record, RuleDecision decision, RuleOutcome deciding) {

    public RuleRun {
        Objects.requireNonNull(decision, "decision");
        if (decision != RuleDecision.ACCEPT) {
            Objects.requireNonNull(deciding, "deciding");
        }
    }

    private static final RuleRun ACCEPTED_IN_PLACE = new RuleRun(null, RuleDecision.ACCEPT, null);

    public static RuleRun accepted(JsonNode record) {
        return record == null ? ACCEPTED_IN_PLACE : new RuleRun(record, RuleDecision.ACCEPT, null);
    }

    public boolean isAccepted() {
        return decision == RuleDecision.ACCEPT;
    }

    /** True when some rule failed or errored, whatever its action decided. */
    public boolean violated() {
        return deciding != null;
    }
}
