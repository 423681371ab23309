package dev.kontract.examples;

import dev.kontract.core.metrics.RecordOutcome;
import dev.kontract.interceptors.ContractHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The demo's report: one row per client, columns sized to fit. */
final class Table {

    private static final List<String> HEADER = List.of("client", "valid", "migrated", "invalid", "dead-lettered",
            "failed", "lag", "time lag", "freshness p95", "SLA breaches");

    private Table() {}

    static List<String> row(String client, Map<RecordOutcome, Long> counts, ContractHealth health) {
        return List.of(client,
                Long.toString(counts.get(RecordOutcome.VALID)),
                Long.toString(counts.get(RecordOutcome.MIGRATED)),
                Long.toString(counts.get(RecordOutcome.INVALID)),
                Long.toString(counts.get(RecordOutcome.DEAD_LETTERED)),
                Long.toString(counts.get(RecordOutcome.FAILED)),
                number(health.maxLagRecords(), "%.0f"),
                number(health.maxLagSeconds(), "%.1f s"),
                number(health.freshnessP95Seconds() * 1000, "%.0f ms"),
                health.freshnessBreaches() + health.qualityBreaches() == 0 ? "none"
                        : "freshness " + health.freshnessBreaches() + ", quality " + health.qualityBreaches());
    }

    static String render(List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(HEADER);
        all.addAll(rows);
        int[] widths = new int[HEADER.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < all.size(); r++) {
            List<String> row = all.get(r);
            text.append("  ");
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                text.append(i == 0 ? pad(cell, widths[i], false) : pad(cell, widths[i], true)).append(i < row.size() - 1
                        ? "  " : "");
            }
            text.append('\n');
            if (r == 0) {
                text.append("  ").append("-".repeat(text.length() - 3)).append('\n');
            }
        }
        return text.toString();
    }

    private static String pad(String cell, int width, boolean right) {
        String padding = " ".repeat(width - cell.length());
        return right ? padding + cell : cell + padding;
    }

    private static String number(double value, String format) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, format, value);
    }
}
