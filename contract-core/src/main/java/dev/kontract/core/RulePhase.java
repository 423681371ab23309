package dev.kontract.core;

/**
 * Where a rule runs: on the producer ({@link #WRITE}), on the consumer ({@link #READ}), or while a
 * record crosses a major version on read ({@link #UPGRADE}, {@link #DOWNGRADE}).
 */
public enum RulePhase {
    WRITE,
    READ,
    UPGRADE,
    DOWNGRADE
}
