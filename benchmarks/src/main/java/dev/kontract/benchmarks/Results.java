package dev.kontract.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Renders a JMH JSON result file as the markdown table of {@code RESULTS.md}: throughput and
 * allocation per benchmark, and each Kontract path's ratio to the baseline of its class and format
 * (the method whose name ends in {@code Baseline}).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.kontract.benchmarks.Results results.json}
 */
public final class Results {

    private Results() {}

    /** One benchmark method at one format. */
    private record Row(String group, String method, String format, double opsPerMs, double error, double bytesPerOp) {

        String key() {
            return group + "/" + format;
        }

        boolean isBaseline() {
            return method.endsWith("Baseline");
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("Usage: Results <jmh-result.json>");
            System.exit(2);
        }
        System.out.print(render(Orders.JSON.readTree(Files.readString(Path.of(args[0])))));
    }

    static String render(JsonNode results) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode result : results) {
            String benchmark = result.get("benchmark").asString();
            String[] parts = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1).split("\\.");
            String format = result.path("params").path("format").asString("-");
            JsonNode primary = result.get("primaryMetric");
            JsonNode alloc = result.path("secondaryMetrics").path("gc.alloc.rate.norm");
            rows.add(new Row(parts[0].replace("Benchmark", ""), parts[1], format, primary.get("score").asDouble(),
                    primary.get("scoreError").asDouble(), alloc.isMissingNode() ? Double.NaN : alloc.get("score").asDouble()));
        }
        Map<String, List<Row>> baselines = new LinkedHashMap<>();
        rows.stream().filter(Row::isBaseline)
                .forEach(row -> baselines.computeIfAbsent(row.key(), key -> new ArrayList<>()).add(row));

        StringBuilder table = new StringBuilder();
        table.append("| benchmark | format | ops/ms | ± | B/op | time vs baseline |\n");
        table.append("| --- | --- | ---: | ---: | ---: | ---: |\n");
        rows.stream()
                .sorted(java.util.Comparator.comparing(Row::group).thenComparing(Row::format)
                        .thenComparing(row -> row.isBaseline() ? 0 : 1).thenComparing(Row::method))
                .forEach(row -> {
                    Row baseline = baselineOf(row, baselines.getOrDefault(row.key(), List.of()));
                    String ratio = row.isBaseline() ? "baseline"
                            : baseline == null ? "-"
                            : String.format(Locale.ROOT, "%.2f×", baseline.opsPerMs() / row.opsPerMs());
                    table.append(String.format(Locale.ROOT, "| %s.%s | %s | %.1f | %.1f | %s | %s |%n", row.group(),
                            row.method(), row.format(), row.opsPerMs(), row.error(),
                            Double.isNaN(row.bytesPerOp()) ? "-" : String.format(Locale.ROOT, "%.0f", row.bytesPerOp()),
                            ratio));
                });
        return table.toString();
    }

    /**
     * The baseline of a method: the only one of its class and format, or the one whose name, less its
     * {@code plain}/{@code jsonata} prefix, shares the longest start with the method's name less
     * {@code contract} ({@code contractUpgradeStep} goes with {@code jsonataUpgradeBaseline}).
     */
    private static Row baselineOf(Row row, List<Row> candidates) {
        Row best = null;
        int bestShared = -1;
        String stem = row.method().replaceFirst("^contract", "");
        for (Row candidate : candidates) {
            String other = candidate.method().replaceFirst("^(plain|jsonata)", "");
            int shared = 0;
            while (shared < Math.min(stem.length(), other.length()) && stem.charAt(shared) == other.charAt(shared)) {
                shared++;
            }
            if (shared > bestShared) {
                best = candidate;
                bestShared = shared;
            }
        }
        return best;
    }
}
