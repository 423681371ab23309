package dev.kontract.core.rules;

/** Hears every rule outcome of a {@link RuleChain} run, for example to count it. */
@FunctionalInterface
public interface RuleListener {

    RuleListener NONE = (context, outcome) -> { };

    void onOutcome(RuleContext context, RuleOutcome outcome);
}
