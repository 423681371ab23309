package dev.kontract.core.load;

import dev.kontract.core.ContractVersion;
import dev.kontract.core.DataContract;
import dev.kontract.core.Problem;
import dev.kontract.core.Rule;
import dev.kontract.core.RuleKind;
import dev.kontract.core.RulePhase;
import dev.kontract.core.Version;
import java.util.List;
import java.util.function.Function;

/**
 * The checks that span versions: migration rules only where a major begins, both directions on
 * every major step, and compatibility across every minor step under the schema format's own
 * resolution.
 */
final class ContractChecks {

    private final String file;
    private final Problems problems;

    ContractChecks(String file, Problems problems) {
        this.file = file;
        this.problems = problems;
    }

    /**
     * The problems of {@code contract}'s steps between versions, for a contract loaded without them
     * ({@link ContractLoader#withoutStepChecks()}). They name no field: a contract's versions are sorted, no
     * longer in the file's order.
     */
    static List<Problem> of(DataContract contract) {
        Problems problems = new Problems();
        new ContractChecks(contract.source(), problems).check(contract, version -> null);
        return problems.list();
    }

    /** @param paths each version's field path in the file ({@code versions[2]}), or null when not known */
    void check(DataContract contract, Function<Version, String> paths) {
        List<ContractVersion> versions = contract.versions();
        int lowestMajor = versions.get(0).version().major();
        for (ContractVersion version : versions) {
            Version v = version.version();
            String path = field(paths.apply(v), ".ruleSet.migrationRules");
            boolean firstOfMajor = contract.firstOfMajor(v.major()).orElseThrow() == version;
            List<Rule> migrationRules = version.ruleSet().migrationRules();
            if (v.major() == lowestMajor) {
                if (!migrationRules.isEmpty()) {
                    problem(v, path, "version " + v + " is in the first major, which has nothing to migrate from;"
                            + " migration rules belong to the first version of a later major");
                }
            } else if (!firstOfMajor) {
                if (!migrationRules.isEmpty()) {
                    problem(v, path, "migration rules belong to the first version of major " + v.major() + " ("
                            + contract.firstOfMajor(v.major()).orElseThrow().version()
                            + "), where the break happens; a minor step must be compatible without them");
                }
            } else {
                int previousMajor = previousMajor(versions, v.major());
                requireDirection(version, path, previousMajor, RulePhase.UPGRADE);
                requireDirection(version, path, previousMajor, RulePhase.DOWNGRADE);
            }
        }
        for (int i = 0; i < versions.size(); i++) {
            for (int j = i + 1; j < versions.size(); j++) {
                ContractVersion older = versions.get(i);
                ContractVersion newer = versions.get(j);
                if (older.version().sameMajor(newer.version())) {
                    checkMinorStep(older, newer, field(paths.apply(newer.version()), ".schema"));
                }
            }
        }
    }

    private void requireDirection(ContractVersion version, String path, int previousMajor, RulePhase direction) {
        boolean present = version.ruleSet().rulesFor(direction).stream().anyMatch(r -> r.kind() == RuleKind.TRANSFORM);
        if (!present) {
            int major = version.version().major();
            String records = direction == RulePhase.UPGRADE
                    ? "major " + previousMajor + " records up to " + major
                    : "major " + major + " records down to " + previousMajor;
            problem(version.version(), path, "major step " + previousMajor + " -> " + major + " has no " + direction
                    + " rule: add an enabled TRANSFORM rule with mode " + direction + " (or UPDOWN) that turns "
                    + records);
        }
    }

    private static int previousMajor(List<ContractVersion> versions, int major) {
        int previous = -1;
        for (ContractVersion version : versions) {
            if (version.version().major() < major) {
                previous = version.version().major();
            }
        }
        return previous;
    }

    private void checkMinorStep(ContractVersion older, ContractVersion newer, String path) {
        Version o = older.version();
        Version n = newer.version();
        if (older.schema().type() != newer.schema().type()) {
            problem(n, field(path, ".type"), "version " + n + " changes the schema type from " + older.schema().type() + " ("
                    + o + ") to " + newer.schema().type() + "; that is a major step");
            return;
        }
        String advice = " (a minor step must be compatible both ways; a breaking change needs a new major"
                + " version with migration rules)";
        for (String reason : newer.schema().readProblems(older.schema())) {
            problem(n, path, "version " + n + " cannot read records written as " + o + advice + ": " + reason);
        }
        for (String reason : older.schema().readProblems(newer.schema())) {
            problem(n, path, "version " + o + " cannot read records written as " + n + advice + ": " + reason);
        }
    }

    private static String field(String path, String suffix) {
        return path == null ? null : path + suffix;
    }

    private void problem(Version version, String field, String message) {
        problems.add(file, version.toString(), field, message);
    }
}
