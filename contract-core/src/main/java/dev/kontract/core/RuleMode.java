package dev.kontract.core;

import java.util.EnumSet;
import java.util.Set;

/**
 * When a rule runs (Confluent's {@code mode}). Domain rules use {@code WRITE}, {@code READ} and
 * {@code WRITEREAD}; migration rules use {@code UPGRADE}, {@code DOWNGRADE} and {@code UPDOWN}.
 */
public enum RuleMode {
    WRITE(false, RulePhase.WRITE),
    READ(false, RulePhase.READ),
    WRITEREAD(false, RulePhase.WRITE, RulePhase.READ),
    UPGRADE(true, RulePhase.UPGRADE),
    DOWNGRADE(true, RulePhase.DOWNGRADE),
    UPDOWN(true, RulePhase.UPGRADE, RulePhase.DOWNGRADE);

    private final boolean migration;
    private final Set<RulePhase> phases;

    RuleMode(boolean migration, RulePhase first, RulePhase... rest) {
        this.migration = migration;
        this.phases = EnumSet.of(first, rest);
    }

    /** True for the modes allowed in {@code migrationRules}, false for those in {@code domainRules}. */
    public boolean isMigration() {
        return migration;
    }

    public boolean appliesTo(RulePhase phase) {
        return phases.contains(phase);
    }

    /**
     * Position of {@code phase} in a two-phase mode ({@code WRITEREAD}: write 0, read 1;
     * {@code UPDOWN}: upgrade 0, downgrade 1), which picks the half of an {@code "A,B"} action pair.
     */
    int actionIndex(RulePhase phase) {
        return phase == RulePhase.READ || (this == UPDOWN && phase == RulePhase.DOWNGRADE) ? 1 : 0;
    }
}
