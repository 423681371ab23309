package dev.kontract.core;

import java.util.List;
import java.util.stream.Stream;

/** A version's rules: {@code domainRules} run on write and read, {@code migrationRules} across majors. */
public record RuleSet(List<Rule> domainRules, List<Rule> migrationRules) {

    public static final RuleSet EMPTY = new RuleSet(List.of(), List.of());

    public RuleSet {
        domainRules = domainRules == null ? List.of() : List.copyOf(domainRules);
        migrationRules = migrationRules == null ? List.of() : List.copyOf(migrationRules);
    }

    /** The enabled rules that run in {@code phase}, in file order. */
    public List<Rule> rulesFor(RulePhase phase) {
        List<Rule> source = phase == RulePhase.WRITE || phase == RulePhase.READ ? domainRules : migrationRules;
        return source.stream().filter(rule -> !rule.disabled() && rule.mode().appliesTo(phase)).toList();
    }

    public Stream<Rule> all() {
        return Stream.concat(domainRules.stream(), migrationRules.stream());
    }

    public boolean isEmpty() {
        return domainRules.isEmpty() && migrationRules.isEmpty();
    }
}
