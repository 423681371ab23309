package dev.kontract.core.rules;

import dev.kontract.core.Rule;
import dev.kontract.core.RuleKind;
import dev.kontract.core.RulePhase;
import dev.kontract.core.rules.RuleOutcome.Result;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The enabled rules of one contract version for one {@link RulePhase}, compiled and bound to their
 * actions, run in file order. Built once per (product, version, phase) by {@link RuleEngine#chain};
 * immutable and thread-safe.
 *
 * <p>Per rule: a {@code CONDITION} passes when its expression returns {@code true}; {@code false}
 * or an undefined value is a failure, any other value an error. A {@code TRANSFORM} must return an
 * object, which replaces the record for the rules after it. A failure or an error runs the rule's
 * {@code onFailure} action, a pass its {@code onSuccess} action; the first action that does not
 * {@link RuleDecision#ACCEPT accept} the record stops the chain.
 */
public final class RuleChain {

    private static final RuleChain EMPTY = new RuleChain(RulePhase.WRITE, List.of());

    private final RulePhase phase;
    private final List<BoundRule> rules;

    RuleChain(RulePhase phase, List<BoundRule> rules) {
        this.phase = phase;
        this.rules = List.copyOf(rules);
    }

    public static RuleChain empty() {
        return EMPTY;
    }

    /** True when no rule runs: the caller need not build a JSON view of the record at all. */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    public List<Rule> rules() {
        return rules.stream().map(BoundRule::rule).toList();
    }

    public RuleRun run(JsonNode record, RuleContext context, RuleListener listener) {
        JsonNode current = record;
        RuleOutcome firstFailure = null;
        for (BoundRule bound : rules) {
            JsonNode next = current;
            RuleOutcome outcome;
            try {
                JsonNode result = bound.compiled().evaluate(current);
                if (bound.rule().kind() == RuleKind.CONDITION) {
                    outcome = conditionOutcome(bound, result);
                } else if (result != null && result.isObject()) {
                    next = result;
                    outcome = bound.passed();
                } else {
                    outcome = bound.outcome(Result.ERROR, "transform returned " + describe(result) + ", not an object");
                }
            } catch (RuleEvaluationException e) {
                outcome = bound.outcome(Result.ERROR, e.getMessage());
            } catch (RuntimeException e) {
                outcome = bound.outcome(Result.ERROR, "rule type " + bound.rule().type() + " failed: "
                        + e.getClass().getName());
            }
            listener.onOutcome(context, outcome);
            RuleAction action = outcome.passed() ? bound.onSuccess() : bound.onFailure();
            RuleDecision decision;
            try {
                decision = action.onOutcome(context, outcome);
            } catch (RuntimeException e) {
                decision = RuleDecision.REJECT;
                outcome = bound.outcome(Result.ERROR, "action " + action.name() + " failed: " + e);
            }
            if (decision == null) {
                decision = RuleDecision.REJECT;
                outcome = bound.outcome(Result.ERROR, "action " + action.name() + " returned no decision");
            }
            if (decision != RuleDecision.ACCEPT) {
                return new RuleRun(current, decision, outcome);
            }
            if (firstFailure == null && !outcome.passed()) {
                firstFailure = outcome;
            }
            current = next;
        }
        return firstFailure == null ? RuleRun.accepted(current) : new RuleRun(current, RuleDecision.ACCEPT, firstFailure);
    }

    private static RuleOutcome conditionOutcome(BoundRule bound, JsonNode result) {
        if (result == null || result.isMissingNode()) {
            return bound.outcome(Result.FAIL, "condition is undefined (a field it reads may be missing)");
        }
        if (!result.isBoolean()) {
            return bound.outcome(Result.ERROR, "condition returned " + describe(result) + ", not a boolean");
        }
        return result.booleanValue() ? bound.passed() : bound.outcome(Result.FAIL, "condition is false");
    }

    private static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "undefined";
        }
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return phase + " " + rules();
    }

    /** A rule with its compiled expression and its actions for this chain's phase. */
    record BoundRule(Rule rule, RulePhase phase, CompiledRule compiled, RuleAction onSuccess, RuleAction onFailure,
            RuleOutcome passed) {

        BoundRule(Rule rule, RulePhase phase, CompiledRule compiled, RuleAction onSuccess, RuleAction onFailure) {
            this(rule, phase, compiled, onSuccess, onFailure, new RuleOutcome(rule, phase, Result.PASS, null));
        }

        RuleOutcome outcome(Result result, String reason) {
            return new RuleOutcome(rule, phase, result, reason);
        }
    }
}
