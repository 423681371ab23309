package dev.kontract.core.metrics;

import java.util.Locale;

/** The {@code outcome} tag of {@code contract.records}: what became of one record. */
public enum RecordOutcome {
    VALID,
    MIGRATED,
    INVALID,
    DEAD_LETTERED,
    FAILED;

    private final String tag = name().toLowerCase(Locale.ROOT);

    public String tag() {
        return tag;
    }
}
