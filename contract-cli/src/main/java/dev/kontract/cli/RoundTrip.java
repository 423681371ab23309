package dev.kontract.cli;

import dev.kontract.core.ContractVersion;
import dev.kontract.core.DataContract;
import dev.kontract.core.Rule;
import dev.kontract.core.RulePhase;
import dev.kontract.core.format.InvalidRecordException;
import dev.kontract.core.format.RecordCodec;
import dev.kontract.core.migration.MigrationPlan;
import dev.kontract.core.migration.MigrationPlanner;
import dev.kontract.core.rules.RuleEngine;
import dev.kontract.core.rules.RuleListener;
import dev.kontract.core.rules.RuleOutcome;
import dev.kontract.core.rules.RuleRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Proves one major step of a contract on generated records. The forward trip takes records of the
 * lower version up through the {@code UPGRADE} rules, reads them as the higher version (they must fit its
 * schema), takes them back down through the {@code DOWNGRADE} rules and reads them as the lower version
 * again: each must come back equal. The reverse trip (higher, down, up) may lose what only the higher
 * version holds; the fields it loses are listed, not failed. A rule that errors on a generated record
 * fails the step. Messages name the step, the rules and field paths, never values.
 *
 * <p>The lower version is the latest of the lower major (the newest records a consumer must migrate),
 * the higher one the first of the higher major (the version whose migration rules are proven).
 */
final class RoundTrip {

    /** What the trips over one step found. */
    record StepReport(String product, String step, List<String> upgradeRules, List<String> downgradeRules,
            int records, List<String> failures, List<String> lossyFields) {

        boolean failed() {
            return !failures.isEmpty();
        }

        /** The step as reports name it: product, versions and the rules that run. */
        String name() {
            return product + " step " + step + " (UPGRADE " + String.join(", ", upgradeRules) + "; DOWNGRADE "
                    + String.join(", ", downgradeRules) + ")";
        }
    }

    private final DataContract contract;
    private final MigrationPlanner planner;

    RoundTrip(DataContract contract) {
        this.contract = contract;
        this.planner = new MigrationPlanner(contract, RuleEngine.defaults());
    }

    /** One report per major step of the contract, in version order. */
    List<StepReport> verify(int records, long seed) {
        List<StepReport> reports = new ArrayList<>();
        List<Integer> majors = contract.versions().stream().map(v -> v.version().major()).distinct().toList();
        for (int i = 1; i < majors.size(); i++) {
            int lowerMajor = majors.get(i - 1);
            ContractVersion lower = contract.versions().stream().filter(v -> v.version().major() == lowerMajor)
                    .reduce((first, second) -> second).orElseThrow();
            ContractVersion higher = contract.firstOfMajor(majors.get(i)).orElseThrow();
            reports.add(step(lower, higher, records, seed + i));
        }
        return reports;
    }

    private StepReport step(ContractVersion lower, ContractVersion higher, int records, long seed) {
        String step = lower.version() + " -> " + higher.version();
        MigrationPlan up = planner.plan(lower.version(), higher.version());
        MigrationPlan down = planner.plan(higher.version(), lower.version());
        RecordCodec lowerCodec = RecordCodec.of(lower.schema());
        RecordCodec higherCodec = RecordCodec.of(higher.schema());
        Map<String, Integer> failures = new LinkedHashMap<>();
        Map<String, Integer> reverseFailures = new LinkedHashMap<>();
        Set<String> lossy = new TreeSet<>();

        RecordGenerator lowerRecords = new RecordGenerator(lowerCodec, contract.product() + " " + lower.version(), seed);
        for (int n = 0; n < records; n++) {
            JsonNode original = lowerRecords.next();
            JsonNode raised = migrate(up, original, higherCodec, "UPGRADE", higher, failures);
            if (raised == null) {
                continue;
            }
            JsonNode back = migrate(down, raised, lowerCodec, "DOWNGRADE", lower, failures);
            if (back == null) {
                continue;
            }
            for (String field : differences(original, back)) {
                failures.merge("does not come back equal after UPGRADE then DOWNGRADE at field " + field, 1, Integer::sum);
            }
        }
        RecordGenerator higherRecords = new RecordGenerator(higherCodec, contract.product() + " " + higher.version(),
                seed ^ 0x5DEECE66DL);
        for (int n = 0; n < records; n++) {
            JsonNode original = higherRecords.next();
            JsonNode lowered = migrate(down, original, lowerCodec, "DOWNGRADE", lower, reverseFailures);
            if (lowered == null) {
                continue;
            }
            JsonNode back = migrate(up, lowered, higherCodec, "UPGRADE", higher, reverseFailures);
            if (back != null) {
                lossy.addAll(differences(original, back));
            }
        }
        List<String> failureLines = new ArrayList<>();
        failures.forEach((failure, count) -> failureLines.add(count + " of " + records + " records: " + failure));
        reverseFailures.forEach((failure, count) -> failureLines.add(count + " of " + records + " records of "
                + higher.version() + " on the reverse trip: " + failure));
        return new StepReport(contract.product(), step, ruleNames(higher, RulePhase.UPGRADE),
                ruleNames(higher, RulePhase.DOWNGRADE), records, List.copyOf(failureLines), List.copyOf(lossy));
    }

    /**
     * A record taken through {@code plan} and read as {@code target}'s schema, as its canonical view; null
     * (with the failure counted) when a rule errors or rejects it, or the result does not fit the schema.
     */
    private static JsonNode migrate(MigrationPlan plan, JsonNode record, RecordCodec target, String direction,
            ContractVersion version, Map<String, Integer> failures) {
        List<RuleOutcome> errors = new ArrayList<>();
        RuleListener listener = (context, outcome) -> {
            if (!outcome.passed()) {
                errors.add(outcome);
            }
        };
        RuleRun run;
        try {
            run = plan.apply(record, null, listener);
        } catch (RuntimeException e) {
            failures.merge(direction + " failed: " + e.getClass().getSimpleName(), 1, Integer::sum);
            return null;
        }
        if (!errors.isEmpty() || !run.isAccepted()) {
            RuleOutcome outcome = errors.isEmpty() ? run.deciding() : errors.get(0);
            failures.merge("rule " + outcome.rule().name() + " (" + direction + ") " + outcome.result().tag()
                    + "s on a schema-valid record: " + outcome.reason(), 1, Integer::sum);
            return null;
        }
        try {
            return target.toJson(target.fromJson(run.record(), null));
        } catch (InvalidRecordException e) {
            failures.merge("records after " + direction + " do not fit version " + version.version() + "'s schema: "
                    + e.getMessage(), 1, Integer::sum);
            return null;
        }
    }

    private static List<String> ruleNames(ContractVersion version, RulePhase direction) {
        return version.ruleSet().rulesFor(direction).stream().map(Rule::name).toList();
    }

    /** The paths of the fields where two views differ ({@code lines[].qty}: array positions merged). */
    static Set<String> differences(JsonNode expected, JsonNode actual) {
        Set<String> paths = new TreeSet<>();
        compare("", expected, actual, paths);
        return paths;
    }

    private static void compare(String path, JsonNode expected, JsonNode actual, Set<String> paths) {
        if (expected == null || actual == null) {
            if (expected != actual) {
                paths.add(path.isEmpty() ? "(record)" : path);
            }
            return;
        }
        if (expected.isObject() && actual.isObject()) {
            Set<String> names = new TreeSet<>(expected.propertyNames());
            names.addAll(actual.propertyNames());
            for (String name : names) {
                compare(path.isEmpty() ? name : path + "." + name, expected.get(name), actual.get(name), paths);
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                compare(path + "[]", expected.get(i), actual.get(i), paths);
            }
        } else if (!sameValue(expected, actual)) {
            paths.add(path.isEmpty() ? "(record)" : path);
        }
    }

    private static boolean sameValue(JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        return expected.equals(actual);
    }

}
