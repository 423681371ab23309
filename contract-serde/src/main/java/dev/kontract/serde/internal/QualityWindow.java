package dev.kontract.serde.internal;

import io.micrometer.core.instrument.Counter;

/**
 * The share of valid records over the last {@value #SIZE} records of a product, against the
 * product's {@code sla.quality}. A breach is counted when the share falls below the target (once per
 * fall, not per record), and only once the window holds {@value #MIN_RECORDS} records.
 */
final class QualityWindow {

    static final int SIZE = 1_000;
    static final int MIN_RECORDS = 100;

    private final double target;
    private final Counter breaches;
    private final boolean[] valid = new boolean[SIZE];
    private int next;
    private int filled;
    private int validCount;
    private boolean breached;

    QualityWindow(double target, Counter breaches) {
        this.target = target;
        this.breaches = breaches;
    }

    synchronized void record(boolean isValid) {
        if (filled == SIZE) {
            if (valid[next]) {
                validCount--;
            }
        } else {
            filled++;
        }
        valid[next] = isValid;
        if (isValid) {
            validCount++;
        }
        next = (next + 1) % SIZE;
        if (filled < MIN_RECORDS) {
            return;
        }
        boolean below = (double) validCount / filled < target;
        if (below && !breached) {
            breaches.increment();
        }
        breached = below;
    }
}
