package dev.kontract.core.rules;

/** The actions every engine has. */
enum BuiltInAction implements RuleAction {
    ERROR(RuleDecision.REJECT),
    NONE(RuleDecision.ACCEPT),
    DLQ(RuleDecision.DEAD_LETTER);

    private final RuleDecision decision;

    BuiltInAction(RuleDecision decision) {
        this.decision = decision;
    }

    @Override
    public RuleDecision onOutcome(RuleContext context, RuleOutcome outcome) {
        return decision;
    }
}
