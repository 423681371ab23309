package dev.kontract.core.migration;

import dev.kontract.core.RulePhase;
import dev.kontract.core.Version;
import dev.kontract.core.rules.FieldMapping;
import dev.kontract.core.rules.RuleChain;
import dev.kontract.core.rules.RuleContext;
import dev.kontract.core.rules.RuleDecision;
import dev.kontract.core.rules.RuleListener;
import dev.kontract.core.rules.RuleOutcome;
import dev.kontract.core.rules.RuleRun;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * How a record written as one contract version becomes a record of another major: the steps to
 * apply to its JSON view, in order. Empty when both versions share a major (the schema format's own
 * resolution reads across minor versions). Immutable and thread-safe; built once per version pair by
 * {@link MigrationPlanner}.
 */
public final class MigrationPlan {

    /**
     * One major step.
     *
     * @param fromMajor the major the record is in before the step
     * @param toMajor the major it is in after
     * @param rulesOf the version whose {@code migrationRules} this step runs (the first version of
     *     the higher major)
     * @param direction {@link RulePhase#UPGRADE} or {@link RulePhase#DOWNGRADE}
     */
    public record Step(int fromMajor, int toMajor, Version rulesOf, RulePhase direction, RuleChain rules,
            RuleContext context) {

        @Override
        public String toString() {
            return fromMajor + " -> " + toMajor + " (" + direction + " rules of " + rulesOf + ")";
        }
    }

    private final Version writer;
    private final Version reader;
    private final List<Step> steps;
    private final Optional<FieldMapping> fieldMapping;

    MigrationPlan(Version writer, Version reader, List<Step> steps) {
        this.writer = Objects.requireNonNull(writer);
        this.reader = Objects.requireNonNull(reader);
        this.steps = List.copyOf(steps);
        this.fieldMapping = FieldMapping.composeAll(this.steps.stream()
                .map(step -> step.rules().isEmpty() ? Optional.of(FieldMapping.identity()) : step.rules().fieldMapping())
                .toList());
    }

    /**
     * The whole plan as one field mapping, composed across its steps, when every step is one (see
     * {@link RuleChain#fieldMapping()}): such a plan can run on native records in one pass, and never
     * fails on a record.
     */
    public Optional<FieldMapping> fieldMapping() {
        return fieldMapping;
    }

    /** Reports every rule of every step as passed: what {@link #apply} reports when the plan is a {@link #fieldMapping()}. */
    public void reportPassed(String topic, RuleListener listener) {
        for (Step step : steps) {
            step.rules().reportPassed(step.context().onTopic(topic), listener);
        }
    }

    public Version writer() {
        return writer;
    }

    public Version reader() {
        return reader;
    }

    public List<Step> steps() {
        return steps;
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /**
     * Applies every step to a record's JSON view. Stops at the first step whose rules do not accept
     * the record; the returned run's {@code deciding} outcome names the rule.
     *
     * @param topic the topic the record came from, for rule actions; may be {@code null}
     */
    public RuleRun apply(JsonNode record, String topic, RuleListener listener) {
        JsonNode current = record;
        RuleOutcome firstFailure = null;
        for (Step step : steps) {
            RuleRun run = step.rules().run(current, step.context().onTopic(topic), listener);
            if (!run.isAccepted()) {
                return run;
            }
            if (firstFailure == null) {
                firstFailure = run.deciding();
            }
            current = run.record();
        }
        return new RuleRun(current, RuleDecision.ACCEPT, firstFailure);
    }

    /** {@link #apply(JsonNode, String, RuleListener)} with no topic and no listener. */
    public RuleRun apply(JsonNode record) {
        return apply(record, null, RuleListener.NONE);
    }

    @Override
    public String toString() {
        return writer + " -> " + reader + (steps.isEmpty() ? " (no migration)"
                : ": " + steps.stream().map(Step::toString).collect(Collectors.joining(", ")));
    }
}
