package dev.kontract.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One rule of a contract version's {@code ruleSet}, with Confluent's field names so a rule can be
 * copied between Kontract and a Confluent registry.
 *
 * <p>{@code onSuccess} and {@code onFailure} name an action ({@code ERROR}, {@code NONE},
 * {@code DLQ} or one added through {@link java.util.ServiceLoader}). For the two-phase modes
 * {@code WRITEREAD} and {@code UPDOWN} they may hold a pair, {@code "DLQ,ERROR"}: the first for
 * write (upgrade), the second for read (downgrade). When absent, a failure is {@code ERROR} and a
 * success is {@code NONE}.
 */
public record Rule(
        String name,
        String doc,
        RuleKind kind,
        RuleMode mode,
        String type,
        Set<String> tags,
        Map<String, String> params,
        String expr,
        String onSuccess,
        String onFailure,
        boolean disabled) {

    public static final String DEFAULT_ON_FAILURE = "ERROR";
    public static final String DEFAULT_ON_SUCCESS = "NONE";

    public Rule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(type, "type");
        tags = tags == null ? Set.of() : Set.copyOf(tags);
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    /** The action to run when this rule fails (or errors) in {@code phase}. */
    public String onFailureIn(RulePhase phase) {
        return actionFor(onFailure, phase, DEFAULT_ON_FAILURE);
    }

    /** The action to run when this rule passes in {@code phase}. */
    public String onSuccessIn(RulePhase phase) {
        return actionFor(onSuccess, phase, DEFAULT_ON_SUCCESS);
    }

    /** The action names {@code onFailure} or {@code onSuccess} refers to, split at the comma. */
    public static List<String> actionNames(String actionSpec) {
        if (actionSpec == null) {
            return List.of();
        }
        return List.of(actionSpec.split(",", -1)).stream().map(String::trim).toList();
    }

    private String actionFor(String spec, RulePhase phase, String fallback) {
        List<String> names = actionNames(spec);
        if (names.isEmpty()) {
            return fallback;
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        return names.get(mode.actionIndex(phase));
    }

    @Override
    public String toString() {
        return name + " (" + kind + " " + mode + " " + type + ")";
    }
}
