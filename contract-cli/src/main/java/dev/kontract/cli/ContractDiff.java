package dev.kontract.cli;

import dev.kontract.core.ContractVersion;
import dev.kontract.core.DataContract;
import dev.kontract.core.Problem;
import dev.kontract.core.Rule;
import dev.kontract.core.RulePhase;
import dev.kontract.core.Version;
import dev.kontract.core.load.ContractLoader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Classifies the changes between two states of a set of contracts. Both states are loaded without the
 * checks between versions ({@link ContractLoader#withoutStepChecks()}); those checks run here on the
 * newer state, and each problem they find that the older state did not have is a {@code BREAKING}
 * change. What is {@code BREAKING} (see DESIGN.md): a published version changed in place or removed, a
 * minor step that cannot be read both ways, a major step without migration rules both ways, a product or
 * topic renamed or removed. Everything else (added versions and topics, owner and other metadata) is
 * {@code COMPATIBLE}.
 */
final class ContractDiff {

    private ContractDiff() {}

    static List<Change> between(Collection<DataContract> before, Collection<DataContract> after) {
        Map<String, DataContract> old = byProduct(before);
        Map<String, DataContract> now = byProduct(after);
        List<Change> changes = new ArrayList<>();
        Set<String> renamedTo = new HashSet<>();
        for (DataContract gone : old.values()) {
            if (now.containsKey(gone.product())) {
                continue;
            }
            Optional<DataContract> successor = now.values().stream()
                    .filter(candidate -> !old.containsKey(candidate.product()) && !renamedTo.contains(candidate.product()))
                    .filter(candidate -> candidate.topics().stream().anyMatch(gone.topics()::contains))
                    .findFirst();
            if (successor.isPresent()) {
                DataContract renamed = successor.get();
                renamedTo.add(renamed.product());
                changes.add(Change.breaking(gone.product(), "product renamed to " + renamed.product(),
                        "clients bound to " + gone.product() + " no longer find their contract, and the records' "
                                + "dp.product header changes; publish the new product beside the old one instead"));
                changes.addAll(compare(gone, renamed));
            } else {
                changes.add(Change.breaking(gone.product(), "product removed", "its topics " + gone.topics()
                        + " lose their contract: their producers and consumers fail to start"));
            }
        }
        for (DataContract added : now.values()) {
            if (!old.containsKey(added.product()) && !renamedTo.contains(added.product())) {
                changes.add(Change.compatible(added.product(), "product added", "versions "
                        + added.versionList() + " on " + added.topics() + "; nothing depended on it before"));
                for (Problem problem : ContractLoader.stepProblems(added)) {
                    changes.add(Change.breaking(added.product(), "version " + problem.version(), problem.message()));
                }
            }
        }
        for (DataContract previous : old.values()) {
            DataContract next = now.get(previous.product());
            if (next != null) {
                changes.addAll(compare(previous, next));
            }
        }
        return List.copyOf(changes);
    }

    private static List<Change> compare(DataContract old, DataContract now) {
        String product = now.product();
        List<Change> changes = new ArrayList<>();
        metadata(product, "owner", old.owner(), now.owner(), changes);
        metadata(product, "description", old.description(), now.description(), changes);
        metadata(product, "tags", old.tags(), now.tags(), changes);
        metadata(product, "sla", old.sla(), now.sla(), changes);
        if (!old.dlqTopic().equals(now.dlqTopic())) {
            changes.add(Change.compatible(product, "dead-letter topic changed from "
                    + old.dlqTopic().orElse("<topic>.dlq") + " to " + now.dlqTopic().orElse("<topic>.dlq"),
                    "dead letters go to the new topic from now on; those already written stay where they are"));
        }
        topics(product, old.topics(), now.topics(), changes);
        versions(product, old, now, changes);
        return changes;
    }

    private static void metadata(String product, String field, Object old, Object now, List<Change> changes) {
        if (!Objects.equals(old, now)) {
            changes.add(Change.compatible(product, field + " changed from " + quote(old) + " to " + quote(now),
                    "metadata only: records and clients are unaffected"));
        }
    }

    private static String quote(Object value) {
        return value == null ? "none" : value instanceof String text ? "'" + text + "'" : String.valueOf(value);
    }

    private static void topics(String product, List<String> old, List<String> now, List<Change> changes) {
        List<String> removed = old.stream().filter(topic -> !now.contains(topic)).toList();
        List<String> added = now.stream().filter(topic -> !old.contains(topic)).toList();
        if (removed.size() == 1 && added.size() == 1) {
            changes.add(Change.breaking(product, "topic renamed from " + removed.get(0) + " to " + added.get(0),
                    "producers and consumers of " + removed.get(0) + " lose the contract; add the new topic beside"
                            + " the old one and retire the old one in a later change"));
            return;
        }
        for (String topic : removed) {
            changes.add(Change.breaking(product, "topic " + topic + " removed",
                    "its producers and consumers lose the contract, and its records can no longer be read"));
        }
        for (String topic : added) {
            changes.add(Change.compatible(product, "topic " + topic + " added", "no client used it under this contract"));
        }
    }

    private static void versions(String product, DataContract old, DataContract now, List<Change> changes) {
        Map<Version, ContractVersion> before = byVersion(old.versions());
        Map<Version, ContractVersion> after = byVersion(now.versions());
        for (ContractVersion version : before.values()) {
            ContractVersion next = after.get(version.version());
            if (next == null) {
                changes.add(Change.breaking(product, "version " + version.version() + " removed",
                        "records written as " + version.version() + " can no longer be read, and clients pinned to"
                                + " it no longer start"));
            } else if (!next.equals(version)) {
                changes.add(Change.breaking(product, "version " + version.version() + " changed in place ("
                        + String.join(", ", differences(version, next)) + ")",
                        "a published version is immutable: records already written as " + version.version()
                                + " and clients built on it keep the old meaning; publish the change as a new version"));
            }
        }
        Set<String> knownProblems = ContractLoader.stepProblems(old).stream()
                .map(ContractDiff::key).collect(Collectors.toSet());
        List<Problem> stepProblems = ContractLoader.stepProblems(now).stream()
                .filter(problem -> !knownProblems.contains(key(problem))).toList();
        for (ContractVersion version : after.values()) {
            if (before.containsKey(version.version())) {
                continue;
            }
            List<Problem> ofVersion = stepProblems.stream()
                    .filter(problem -> version.version().toString().equals(problem.version())).toList();
            if (ofVersion.isEmpty()) {
                changes.add(Change.compatible(product, "version " + version.version() + " added",
                        step(now, version)));
            }
            for (Problem problem : ofVersion) {
                changes.add(Change.breaking(product, "version " + version.version() + " added", problem.message()));
            }
        }
        for (Problem problem : stepProblems) {
            if (before.containsKey(Version.parse(problem.version()))) {
                changes.add(Change.breaking(product, "version " + problem.version(), problem.message()));
            }
        }
    }

    /** How an added version relates to the one below it, for a compatible addition. */
    private static String step(DataContract contract, ContractVersion added) {
        Version version = added.version();
        Optional<ContractVersion> below = contract.versions().stream()
                .filter(other -> other.version().compareTo(version) < 0)
                .reduce((first, second) -> second);
        if (below.isEmpty()) {
            return "the contract's first version";
        }
        Version previous = below.get().version();
        if (previous.sameMajor(version)) {
            return "minor step from " + previous + ": each reads the other's records";
        }
        return "major step " + previous.major() + " -> " + version.major() + " with "
                + ruleNames(added, RulePhase.UPGRADE) + " and " + ruleNames(added, RulePhase.DOWNGRADE)
                + " migration rules";
    }

    private static String ruleNames(ContractVersion version, RulePhase direction) {
        return direction + " " + version.ruleSet().rulesFor(direction).stream()
                .map(Rule::name).collect(Collectors.joining(", ", "(", ")"));
    }

    private static List<String> differences(ContractVersion old, ContractVersion now) {
        List<String> parts = new ArrayList<>();
        if (!old.schema().equals(now.schema())) {
            parts.add("schema");
        }
        if (!old.ruleSet().domainRules().equals(now.ruleSet().domainRules())) {
            parts.add("domain rules " + changedRules(old.ruleSet().domainRules(), now.ruleSet().domainRules()));
        }
        if (!old.ruleSet().migrationRules().equals(now.ruleSet().migrationRules())) {
            parts.add("migration rules " + changedRules(old.ruleSet().migrationRules(), now.ruleSet().migrationRules()));
        }
        return parts.isEmpty() ? List.of("definition") : parts;
    }

    private static String changedRules(List<Rule> old, List<Rule> now) {
        Set<String> names = new LinkedHashSet<>();
        for (Rule rule : old) {
            if (!now.contains(rule)) {
                names.add(rule.name());
            }
        }
        for (Rule rule : now) {
            if (!old.contains(rule)) {
                names.add(rule.name());
            }
        }
        return names.isEmpty() ? "reordered" : String.join(", ", names);
    }

    private static String key(Problem problem) {
        return problem.version() + "\n" + problem.message();
    }

    private static Map<String, DataContract> byProduct(Collection<DataContract> contracts) {
        return contracts.stream().collect(Collectors.toMap(DataContract::product, Function.identity(),
                (a, b) -> a, TreeMap::new));
    }

    private static Map<Version, ContractVersion> byVersion(List<ContractVersion> versions) {
        return versions.stream().collect(Collectors.toMap(ContractVersion::version, Function.identity(),
                (a, b) -> a, TreeMap::new));
    }
}
