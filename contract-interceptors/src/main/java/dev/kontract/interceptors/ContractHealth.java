package dev.kontract.interceptors;

import dev.kontract.core.metrics.MeterNames;
import dev.kontract.core.metrics.RecordOutcome;
import dev.kontract.core.metrics.Side;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What a health endpoint or a dashboard needs to know of one product, read from a Micrometer
 * registry that Kontract clients report to: records by outcome on each side, the worst lag, the
 * freshness p95, and the SLA breaches.
 *
 * @param produced {@code contract.records{side=produce}} by outcome
 * @param consumed {@code contract.records{side=consume}} by outcome
 * @param maxLagRecords the largest {@code contract.consumer.lag} over partitions; NaN when none
 * @param maxLagSeconds the largest {@code contract.consumer.lag.seconds}; NaN when none
 * @param freshnessP95Seconds the p95 of {@code contract.consumer.freshness} over all topics; NaN when none
 * @param interpretedRules the rules counted in {@code contract.rule.evaluations} with {@code compiled=false}:
 *     those that run on the JSONata interpreter rather than compiled
 */
public record ContractHealth(
        String product,
        Map<RecordOutcome, Long> produced,
        Map<RecordOutcome, Long> consumed,
        double maxLagRecords,
        double maxLagSeconds,
        double freshnessP95Seconds,
        long freshnessBreaches,
        long qualityBreaches,
        java.util.Set<String> interpretedRules) {

    public ContractHealth {
        Objects.requireNonNull(product, "product");
        produced = Map.copyOf(produced);
        consumed = Map.copyOf(consumed);
        interpretedRules = java.util.Set.copyOf(interpretedRules);
    }

    /** The product's health as {@code registry} reports it now. */
    public static ContractHealth of(MeterRegistry registry, String product) {
        return new ContractHealth(product,
                records(registry, product, Side.PRODUCE),
                records(registry, product, Side.CONSUME),
                max(registry, MeterNames.CONSUMER_LAG, product),
                max(registry, MeterNames.CONSUMER_LAG_SECONDS, product),
                freshnessP95(registry, product),
                breaches(registry, product, "freshness"),
                breaches(registry, product, "quality"),
                interpretedRules(registry, product));
    }

    private static java.util.Set<String> interpretedRules(MeterRegistry registry, String product) {
        java.util.Set<String> rules = new java.util.TreeSet<>();
        registry.find(MeterNames.RULE_EVALUATIONS).tag(MeterNames.TAG_PRODUCT, product)
                .tag(MeterNames.TAG_COMPILED, "false").counters()
                .forEach(counter -> rules.add(counter.getId().getTag(MeterNames.TAG_RULE)));
        return rules;
    }

    private static Map<RecordOutcome, Long> records(MeterRegistry registry, String product, Side side) {
        Map<RecordOutcome, Long> counts = new java.util.EnumMap<>(RecordOutcome.class);
        for (RecordOutcome outcome : RecordOutcome.values()) {
            double total = registry.find(MeterNames.RECORDS).tag(MeterNames.TAG_PRODUCT, product)
                    .tag(MeterNames.TAG_SIDE, side.tag()).tag(MeterNames.TAG_OUTCOME, outcome.tag())
                    .counters().stream().mapToDouble(Counter::count).sum();
            counts.put(outcome, Math.round(total));
        }
        return counts;
    }

    private static double max(MeterRegistry registry, String name, String product) {
        return registry.find(name).tag(MeterNames.TAG_PRODUCT, product).gauges().stream()
                .mapToDouble(Gauge::value).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }

    private static double freshnessP95(MeterRegistry registry, String product) {
        double worst = Double.NaN;
        for (Timer timer : registry.find(MeterNames.CONSUMER_FRESHNESS).tag(MeterNames.TAG_PRODUCT, product).timers()) {
            for (ValueAtPercentile percentile : timer.takeSnapshot().percentileValues()) {
                if (percentile.percentile() == 0.95) {
                    double seconds = percentile.value(TimeUnit.SECONDS);
                    worst = Double.isNaN(worst) ? seconds : Math.max(worst, seconds);
                }
            }
        }
        return worst;
    }

    private static long breaches(MeterRegistry registry, String product, String sla) {
        return Math.round(registry.find(MeterNames.SLA_BREACHES).tag(MeterNames.TAG_PRODUCT, product)
                .tag(MeterNames.TAG_SLA, sla).counters().stream().mapToDouble(Counter::count).sum());
    }

    /** Every record seen on one side, whatever became of it. */
    public static long total(Map<RecordOutcome, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One line for a log or a console. */
    public String summary() {
        return String.format(Locale.ROOT,
                "%s: produced %d (valid %d, invalid %d, dead-lettered %d, failed %d); consumed %d (valid %d,"
                        + " migrated %d, invalid %d, dead-lettered %d, failed %d); max lag %s records / %s s;"
                        + " freshness p95 %s s; SLA breaches: freshness %d, quality %d",
                product, total(produced), produced.get(RecordOutcome.VALID), produced.get(RecordOutcome.INVALID),
                produced.get(RecordOutcome.DEAD_LETTERED), produced.get(RecordOutcome.FAILED), total(consumed),
                consumed.get(RecordOutcome.VALID), consumed.get(RecordOutcome.MIGRATED),
                consumed.get(RecordOutcome.INVALID), consumed.get(RecordOutcome.DEAD_LETTERED),
                consumed.get(RecordOutcome.FAILED), number(maxLagRecords, "%.0f"), number(maxLagSeconds, "%.1f"),
                number(freshnessP95Seconds, "%.3f"), freshnessBreaches, qualityBreaches)
                + (interpretedRules.isEmpty() ? "" : "; interpreted rules: " + String.join(", ", interpretedRules));
    }

    private static String number(double value, String format) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, format, value);
    }
}
