package dev.kontract.examples;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress display: the step, dots as it advances by tenths, then the result and the time. */
final class Progress {

    private final PrintStream out;
    private final int total;
    private final long start = System.nanoTime();
    private int tenthsShown;

    Progress(PrintStream out, String step, int total) {
        this.out = out;
        this.total = Math.max(1, total);
        out.printf("%-58s ", step + " " + total);
        out.flush();
    }

    void advance(int done) {
        int tenths = Math.min(10, done * 10 / total);
        while (tenthsShown < tenths) {
            out.print('.');
            tenthsShown++;
        }
        out.flush();
    }

    void done(String result) {
        advance(total);
        out.printf(Locale.ROOT, " %s (%.1f s)%n", result, Demo.seconds(start));
    }
}
