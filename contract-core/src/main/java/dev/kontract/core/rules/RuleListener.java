package dev.kontract.core.rules;

/** Hears every rule outcome of a {@link RuleChain} run, for example to count it. */
@FunctionalInterface
public interface RuleListener {

    RuleListener NONE = (context, outcome) -> { };

    void onOutcome(RuleContext context, RuleOutcome outcome);

    /**
     * Hears, in one call, that every rule of {@code chain} passed and none had an action to run: the
     * common case, which a counting listener can serve without looking each rule up. By default, each
     * rule's pass in turn.
     */
    default void onAllPassed(RuleContext context, RuleChain chain) {
        chain.reportEachPassed(context, this);
    }
}
