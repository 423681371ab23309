package dev.kontract.core.metrics;

import dev.kontract.core.rules.RuleOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Builds Kontract's counters on one registry. Callers build the meters of a path once (per product,
 * version, topic and side) and keep them: nothing here is meant to run per record.
 *
 * <p>Meters are shared: two clients in one JVM that count the same product, version and topic get the
 * same counter. A cache entry that holds meters and may be evicted builds them through a
 * {@link #scoped()} instance and {@link #release() releases} them when it is evicted; a meter leaves
 * the registry when the last holder has released it. Meters built through an unscoped instance are
 * held for the life of the registry.
 */
public final class ContractMeters {

    /** How many holders each meter Kontract registered has, per registry (not kept alive by this map). */
    private static final Map<MeterRegistry, Map<Meter.Id, Integer>> HOLDERS = new WeakHashMap<>();

    private final MeterRegistry registry;
    /** The meters this scope holds, or {@code null} when it is not a scope. */
    private final List<Meter> held;

    public ContractMeters(MeterRegistry registry) {
        this(registry, null);
    }

    private ContractMeters(MeterRegistry registry, List<Meter> held) {
        this.registry = registry;
        this.held = held;
    }

    /** Meters on the same registry that {@link #release()} gives up together. */
    public ContractMeters scoped() {
        return new ContractMeters(registry, new ArrayList<>());
    }

    /** Gives up this scope's meters, removing from the registry those no one else holds. */
    public void release() {
        if (held == null) {
            throw new IllegalStateException("only a scope holds meters it can release");
        }
        List<Meter> meters;
        synchronized (held) {
            meters = List.copyOf(held);
            held.clear();
        }
        synchronized (HOLDERS) {
            Map<Meter.Id, Integer> holders = HOLDERS.computeIfAbsent(registry, r -> new HashMap<>());
            for (Meter meter : meters) {
                if (holders.merge(meter.getId(), -1, Integer::sum) <= 0) {
                    holders.remove(meter.getId());
                    registry.remove(meter);
                }
            }
        }
    }

    /** Registers a meter (under the lock, so that no release removes it in between) and holds it. */
    private <M extends Meter> M hold(Supplier<M> registration) {
        M meter;
        synchronized (HOLDERS) {
            meter = registration.get();
            HOLDERS.computeIfAbsent(registry, r -> new HashMap<>()).merge(meter.getId(), 1, Integer::sum);
        }
        if (held != null) {
            synchronized (held) {
                held.add(meter);
            }
        }
        return meter;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The {@code contract.records} counters of one (product, version, topic, side), by outcome. */
    public Map<RecordOutcome, Counter> records(String product, String version, String topic, Side side) {
        Map<RecordOutcome, Counter> counters = new EnumMap<>(RecordOutcome.class);
        for (RecordOutcome outcome : RecordOutcome.values()) {
            counters.put(outcome, hold(() -> Counter.builder(MeterNames.RECORDS)
                    .description("Records seen by Kontract's serializers and deserializers, by outcome")
                    .tag(MeterNames.TAG_PRODUCT, product)
                    .tag(MeterNames.TAG_VERSION, version)
                    .tag(MeterNames.TAG_TOPIC, topic)
                    .tag(MeterNames.TAG_SIDE, side.tag())
                    .tag(MeterNames.TAG_OUTCOME, outcome.tag())
                    .register(registry)));
        }
        return counters;
    }

    /** The {@code contract.rule.evaluations} counters of one rule, by result. */
    public Map<RuleOutcome.Result, Counter> ruleEvaluations(String product, String rule, String mode, boolean compiled) {
        Map<RuleOutcome.Result, Counter> counters = new EnumMap<>(RuleOutcome.Result.class);
        for (RuleOutcome.Result result : RuleOutcome.Result.values()) {
            counters.put(result, hold(() -> Counter.builder(MeterNames.RULE_EVALUATIONS)
                    .description("Rule evaluations, by rule and result")
                    .tag(MeterNames.TAG_PRODUCT, product)
                    .tag(MeterNames.TAG_RULE, rule)
                    .tag(MeterNames.TAG_MODE, mode)
                    .tag(MeterNames.TAG_OUTCOME, result.tag())
                    .tag(MeterNames.TAG_COMPILED, Boolean.toString(compiled))
                    .register(registry)));
        }
        return counters;
    }

    public Counter migrations(String product, String from, String to) {
        return hold(() -> Counter.builder(MeterNames.MIGRATIONS)
                .description("Records migrated across majors on read")
                .tag(MeterNames.TAG_PRODUCT, product)
                .tag(MeterNames.TAG_FROM, from)
                .tag(MeterNames.TAG_TO, to)
                .register(registry));
    }

    /** Event time to consumption, per record, with p50/p95/p99 and a histogram for Prometheus. */
    public Timer freshness(String product, String topic) {
        return hold(() -> Timer.builder(MeterNames.CONSUMER_FRESHNESS)
                .description("Time from a record's event time (its timestamp) to its consumption")
                .tag(MeterNames.TAG_PRODUCT, product)
                .tag(MeterNames.TAG_TOPIC, topic)
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .register(registry));
    }

    /** The {@code contract.producer.sends} counters of one (product, topic): acked, failed. */
    public Counter producerSends(String product, String topic, String outcome) {
        return hold(() -> Counter.builder(MeterNames.PRODUCER_SENDS)
                .description("Sends acknowledged by the broker, or failed")
                .tag(MeterNames.TAG_PRODUCT, product)
                .tag(MeterNames.TAG_TOPIC, topic)
                .tag(MeterNames.TAG_OUTCOME, outcome)
                .register(registry));
    }

    public Timer producerLatency(String product, String topic) {
        return hold(() -> Timer.builder(MeterNames.PRODUCER_LATENCY)
                .description("Send-to-acknowledgement latency (from the record's timestamp)")
                .tag(MeterNames.TAG_PRODUCT, product)
                .tag(MeterNames.TAG_TOPIC, topic)
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(registry));
    }

    /** Registers a lag gauge (records or seconds) of one partition; remove it with {@link #remove}. */
    public <T> Gauge lagGauge(String name, String product, String topic, int partition, String group, T state,
            ToDoubleFunction<T> value) {
        return Gauge.builder(name, state, value)
                .description(name.equals(MeterNames.CONSUMER_LAG)
                        ? "Records between the group's committed offset and the partition's end, as the consumer sees it"
                        : "Age of the first unconsumed record, estimated from the consumer's own view")
                .baseUnit(name.equals(MeterNames.CONSUMER_LAG) ? "records" : "seconds")
                .tag(MeterNames.TAG_PRODUCT, product)
                .tag(MeterNames.TAG_TOPIC, topic)
                .tag(MeterNames.TAG_PARTITION, Integer.toString(partition))
                .tag(MeterNames.TAG_GROUP, group)
                .strongReference(true)
                .register(registry);
    }

    public void remove(Meter meter) {
        registry.remove(meter);
    }

    public Counter slaBreaches(String product, String sla) {
        return hold(() -> Counter.builder(MeterNames.SLA_BREACHES)
                .description("Records or windows that broke the product's SLA")
                .tag(MeterNames.TAG_PRODUCT, product)
                .tag(MeterNames.TAG_SLA, sla)
                .register(registry));
    }
}
