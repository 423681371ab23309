package dev.kontract.core.internal;

import java.util.function.Supplier;

/**
 * A string that checks a deadline as it is read, for running {@code java.util.regex} (which can
 * backtrack for as long as a hostile value makes it) within a time bound: a matcher reads its input
 * through {@link #charAt}, so a match that runs past the deadline ends with the given exception at the
 * next check, every 1,024 reads. Used where a pattern needs what RE2/J lacks (backreferences,
 * lookaround): interpreted JSONata rules and JSON Schema {@code pattern}s. Not thread-safe; one per
 * match.
 *
 * <p>Internal: public for Kontract's own packages, not an API.
 */
public final class DeadlineChars implements CharSequence {

    private final String text;
    private final long startNanos;
    private final long timeoutNanos;
    private final Supplier<? extends RuntimeException> expired;
    private int reads;

    /**
     * @param startNanos when the bounded work started, in {@link System#nanoTime()} terms
     * @param timeoutNanos how long it may run; {@link Long#MAX_VALUE} for no bound
     * @param expired the exception to throw past the deadline
     */
    public DeadlineChars(String text, long startNanos, long timeoutNanos, Supplier<? extends RuntimeException> expired) {
        this.text = text;
        this.startNanos = startNanos;
        this.timeoutNanos = timeoutNanos;
        this.expired = expired;
    }

    @Override
    public char charAt(int index) {
        if ((++reads & 0x3ff) == 0 && timeoutNanos != Long.MAX_VALUE && System.nanoTime() - startNanos > timeoutNanos) {
            throw expired.get();
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        return text;
    }
}
