package dev.kontract.core.rules;

import dev.kontract.core.Rule;
import dev.kontract.core.RuleKind;
import dev.kontract.core.RulePhase;
import dev.kontract.core.rules.RuleOutcome.Result;
import java.util.List;
import java.util.Optional;
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
    private static final JsonNode TRUE = tools.jackson.databind.node.BooleanNode.getTrue();

    private final RulePhase phase;
    private final List<BoundRule> rules;
    private final boolean inPlace;
    private final Optional<FieldMapping> mapping;

    RuleChain(RulePhase phase, List<BoundRule> rules) {
        this.phase = phase;
        this.rules = List.copyOf(rules);
        this.inPlace = !rules.isEmpty() && rules.stream().allMatch(bound ->
                bound.rule().kind() == RuleKind.CONDITION && bound.compiled().readsRecordsInPlace());
        this.mapping = FieldMapping.composeAll(this.rules.stream()
                .map(bound -> bound.rule().kind() == RuleKind.TRANSFORM && bound.onSuccess() == BuiltInAction.NONE
                        ? bound.compiled().fieldMapping() : Optional.<FieldMapping>empty())
                .toList());
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

    /**
     * Whether every rule is a {@code CONDITION} that reads the application's record in place, so that
     * {@link #runInPlace} needs no JSON view.
     */
    public boolean readsRecordsInPlace() {
        return inPlace;
    }

    /**
     * The chain as one field mapping, when every rule is a {@code TRANSFORM} that is a
     * {@link CompiledRule#fieldMapping() field mapping} whose {@code onSuccess} does nothing: such a chain
     * cannot fail on a record, so it can run on a native record (see {@link #reportPassed}).
     */
    public Optional<FieldMapping> fieldMapping() {
        return mapping;
    }

    /** Tells the listener that every rule passed: what {@link #run} reports for a chain that is a {@link #fieldMapping}. */
    public void reportPassed(RuleContext context, RuleListener listener) {
        listener.onAllPassed(context, this);
    }

    /** Tells the listener of each rule's pass, one outcome at a time. */
    void reportEachPassed(RuleContext context, RuleListener listener) {
        reportPassedFrom(0, rules.size(), context, listener);
    }

    private void reportPassedFrom(int from, int to, RuleContext context, RuleListener listener) {
        for (int i = from; i < to; i++) {
            listener.onOutcome(context, rules.get(i).passed());
        }
    }

    /** Each rule's compiled expression, in order. */
    public List<CompiledRule> compiledRules() {
        return rules.stream().map(BoundRule::compiled).toList();
    }

    /**
     * Runs the rules on a record read in place (an Avro record, a Protobuf message, a Jackson tree),
     * with the outcomes they have on its JSON view. Only when {@link #readsRecordsInPlace()}; the run's
     * record is {@code null} (conditions change nothing).
     */
    public RuleRun runInPlace(Object record, RuleContext context, RuleListener listener) {
        if (!inPlace) {
            throw new IllegalStateException("rules of " + phase + " need the JSON view: " + rules());
        }
        return run(record, true, context, listener);
    }

    public RuleRun run(JsonNode record, RuleContext context, RuleListener listener) {
        return run(record, false, context, listener);
    }

    /**
     * Passes that need no action are reported late: all at once through {@link RuleListener#onAllPassed}
     * when the whole chain passes, otherwise just before the first outcome that is reported on its own,
     * so the listener hears every outcome in the rules' order either way.
     */
    private RuleRun run(Object record, boolean inPlace, RuleContext context, RuleListener listener) {
        Object current = record;
        RuleOutcome firstFailure = null;
        int unreportedFrom = 0;
        for (int i = 0; i < rules.size(); i++) {
            BoundRule bound = rules.get(i);
            Object next = current;
            RuleOutcome outcome;
            try {
                JsonNode result = inPlace ? bound.compiled().evaluateInPlace(current)
                        : bound.compiled().evaluate((JsonNode) current);
                if (bound.condition()) {
                    outcome = result == TRUE ? bound.passed() : conditionOutcome(bound, result);
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
            RuleAction action = outcome.passed() ? bound.onSuccess() : bound.onFailure();
            if (action == BuiltInAction.NONE && outcome == bound.passed()) {
                current = next;
                continue;
            }
            reportPassedFrom(unreportedFrom, i, context, listener);
            unreportedFrom = i + 1;
            listener.onOutcome(context, outcome);
            RuleDecision decision;
            try {
                decision = action == BuiltInAction.NONE ? RuleDecision.ACCEPT : action.onOutcome(context, outcome);
            } catch (RuntimeException e) {
                decision = RuleDecision.REJECT;
                outcome = bound.outcome(Result.ERROR, "action " + action.name() + " failed: " + e);
            }
            if (decision == null) {
                decision = RuleDecision.REJECT;
                outcome = bound.outcome(Result.ERROR, "action " + action.name() + " returned no decision");
            }
            if (decision != RuleDecision.ACCEPT) {
                return new RuleRun(inPlace ? null : (JsonNode) current, decision, outcome);
            }
            if (firstFailure == null && !outcome.passed()) {
                firstFailure = outcome;
            }
            current = next;
        }
        if (unreportedFrom == 0 && !rules.isEmpty()) {
            listener.onAllPassed(context, this);
        } else {
            reportPassedFrom(unreportedFrom, rules.size(), context, listener);
        }
        JsonNode result = inPlace ? null : (JsonNode) current;
        return firstFailure == null ? RuleRun.accepted(result) : new RuleRun(result, RuleDecision.ACCEPT, firstFailure);
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

        boolean condition() {
            return rule.kind() == RuleKind.CONDITION;
        }

        RuleOutcome outcome(Result result, String reason) {
            return new RuleOutcome(rule, phase, result, reason);
        }
    }
}
