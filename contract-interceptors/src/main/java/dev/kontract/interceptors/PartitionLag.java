package dev.kontract.interceptors;

import java.time.Clock;

/**
 * What one consumer knows of one partition's lag: its position and committed offset, the high
 * watermark from its last fetch, and a short history of (offset, timestamp) points from the records
 * it consumed. The time lag is the age of the first unconsumed record (the committed offset, else
 * the position), its time interpolated between the nearest known points below and above it, as
 * kafka-lag-exporter interpolates offsets to time; the point above is the high watermark at the
 * time the consumer saw it. Updated on the poll thread, read by the metrics registry.
 */
final class PartitionLag {

    private static final int POINTS = 128;

    private final Clock clock;
    private final long[] offsets = new long[POINTS];
    private final long[] times = new long[POINTS];
    private int next;
    private int size;
    private long position = -1;
    private long committed = -1;
    private long highWatermark = -1;
    private long highWatermarkSeenAt;

    PartitionLag(Clock clock) {
        this.clock = clock;
    }

    synchronized void consumed(long firstOffset, long firstTimestamp, long lastOffset, long lastTimestamp) {
        addPoint(firstOffset, firstTimestamp);
        if (lastOffset != firstOffset) {
            addPoint(lastOffset, lastTimestamp);
        }
        position = Math.max(position, lastOffset + 1);
    }

    synchronized void highWatermark(long value) {
        highWatermark = value;
        highWatermarkSeenAt = clock.millis();
    }

    synchronized void committed(long offset) {
        committed = offset;
    }

    private void addPoint(long offset, long timestamp) {
        offsets[next] = offset;
        times[next] = timestamp;
        next = (next + 1) % POINTS;
        size = Math.min(size + 1, POINTS);
    }

    private long firstUnconsumed() {
        return committed >= 0 ? committed : position;
    }

    /** Records from the first unconsumed offset to the high watermark; NaN while either is unknown. */
    synchronized double records() {
        long from = firstUnconsumed();
        if (highWatermark < 0 || from < 0) {
            return Double.NaN;
        }
        return Math.max(0, highWatermark - from);
    }

    /** Age of the first unconsumed record in seconds; 0 when nothing is unconsumed, NaN when unknown. */
    synchronized double seconds() {
        long target = firstUnconsumed();
        if (highWatermark < 0 || target < 0) {
            return Double.NaN;
        }
        if (target >= highWatermark) {
            return 0;
        }
        long belowOffset = -1;
        long belowTime = 0;
        long aboveOffset = highWatermark - 1;
        long aboveTime = highWatermarkSeenAt;
        for (int i = 0; i < size; i++) {
            long offset = offsets[i];
            if (offset == target) {
                return age(times[i]);
            }
            if (offset < target && offset > belowOffset) {
                belowOffset = offset;
                belowTime = times[i];
            } else if (offset > target && offset < aboveOffset) {
                aboveOffset = offset;
                aboveTime = times[i];
            }
        }
        if (belowOffset < 0 || aboveOffset <= belowOffset) {
            return age(aboveTime);
        }
        double fraction = (double) (target - belowOffset) / (aboveOffset - belowOffset);
        return age(belowTime + Math.round(fraction * (aboveTime - belowTime)));
    }

    private double age(long timestamp) {
        return Math.max(0, clock.millis() - timestamp) / 1000.0;
    }
}
