package dev.kontract.core.rules;

import dev.kontract.core.Rule;

/**
 * Runs one rule {@code type} (for example {@code JSONATA}). Implementations are found through
 * {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.kontract.core.rules.RuleExecutor}) and need a public no-arg
 * constructor. They must be thread-safe.
 */
public interface RuleExecutor {

    /** The rule {@code type} this executor runs, upper case. */
    String type();

    /**
     * Compiles a rule's {@code expr} once; the result is cached and evaluated for many records.
     *
     * @throws dev.kontract.core.ContractException with the reason (and the position in the
     *     expression, where there is one) when the rule cannot be compiled
     */
    CompiledRule compile(Rule rule, EvaluationLimits limits);
}
