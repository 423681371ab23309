package dev.kontract.core.migration;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.kontract.core.ContractVersion;
import dev.kontract.core.DataContract;
import dev.kontract.core.RulePhase;
import dev.kontract.core.Version;
import dev.kontract.core.rules.RuleContext;
import dev.kontract.core.rules.RuleEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Plans migrations between the versions of one contract, once per (writer, reader) pair.
 *
 * <p>Going up (writer major below reader major), each newer major's first version contributes its
 * {@code UPGRADE} rules, oldest first: v1 to v3 runs 2.0's, then 3.0's. Going down, each major
 * from the writer's down to just above the reader's contributes its {@code DOWNGRADE} rules: v3 to
 * v1 runs 3.0's, then 2.0's. Within a major nothing runs. Thread-safe.
 */
public final class MigrationPlanner {

    private static final int MAX_CACHED_PLANS = 1_000;

    private final DataContract contract;
    private final RuleEngine engine;
    private final LoadingCache<Pair, MigrationPlan> plans;

    public MigrationPlanner(DataContract contract, RuleEngine engine) {
        this.contract = Objects.requireNonNull(contract, "contract");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.plans = Caffeine.newBuilder().maximumSize(MAX_CACHED_PLANS).build(this::build);
    }

    /**
     * The plan from records written as {@code writer} to records read as {@code reader}.
     *
     * @throws IllegalArgumentException naming the product and the version when either version is not
     *     in the contract
     */
    public MigrationPlan plan(Version writer, Version reader) {
        return plans.get(new Pair(writer, reader));
    }

    private MigrationPlan build(Pair pair) {
        requireVersion(pair.writer(), "writer");
        requireVersion(pair.reader(), "reader");
        int from = pair.writer().major();
        int to = pair.reader().major();
        List<Integer> majors = contract.versions().stream().map(v -> v.version().major()).distinct().toList();
        List<MigrationPlan.Step> steps = new ArrayList<>();
        if (from < to) {
            int previous = from;
            for (int major : majors) {
                if (major > from && major <= to) {
                    steps.add(step(previous, major, major, RulePhase.UPGRADE));
                    previous = major;
                }
            }
        } else if (from > to) {
            List<Integer> descending = majors.stream().filter(m -> m <= from && m > to)
                    .sorted((a, b) -> Integer.compare(b, a)).toList();
            for (int i = 0; i < descending.size(); i++) {
                int major = descending.get(i);
                int next = i + 1 < descending.size() ? descending.get(i + 1) : to;
                steps.add(step(major, next, major, RulePhase.DOWNGRADE));
            }
        }
        return new MigrationPlan(pair.writer(), pair.reader(), steps);
    }

    private MigrationPlan.Step step(int fromMajor, int toMajor, int rulesMajor, RulePhase direction) {
        ContractVersion owner = contract.firstOfMajor(rulesMajor).orElseThrow();
        RuleContext context = new RuleContext(contract.product(), owner.version(), direction, null);
        return new MigrationPlan.Step(fromMajor, toMajor, owner.version(), direction,
                engine.chain(owner.ruleSet(), direction), context);
    }

    private void requireVersion(Version version, String role) {
        if (contract.version(version).isEmpty()) {
            throw new IllegalArgumentException("product " + contract.product() + " has no version " + version + " (the "
                    + role + "'s); it has " + contract.versionList());
        }
    }

    private record Pair(Version writer, Version reader) {}
}
