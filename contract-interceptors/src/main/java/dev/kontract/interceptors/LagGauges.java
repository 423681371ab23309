package dev.kontract.interceptors;

import dev.kontract.core.metrics.ContractMeters;
import dev.kontract.core.metrics.MeterNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lag gauges of this JVM. A gauge is identified by product, topic, partition and group, so two
 * consumers of one group in one JVM (Spring's {@code concurrency}, say) would share it: it reports
 * the consumer that owns the partition now, and only that consumer removes it. When a partition moves
 * between them, the new owner takes the gauge over and the old owner's release leaves it alone.
 */
final class LagGauges {

    /** One gauge pair, per registry. */
    record Key(MeterRegistry registry, String product, String topic, int partition, String group) {}

    private static final class Shared {
        volatile PartitionLag owner;
        Gauge records;
        Gauge seconds;

        double records() {
            PartitionLag lag = owner;
            return lag == null ? Double.NaN : lag.records();
        }

        double seconds() {
            PartitionLag lag = owner;
            return lag == null ? Double.NaN : lag.seconds();
        }
    }

    private static final Map<Key, Shared> GAUGES = new ConcurrentHashMap<>();

    private LagGauges() {}

    /** Makes {@code lag} the partition's owner, registering its gauges if there are none. */
    static void own(Key key, PartitionLag lag, ContractMeters meters) {
        GAUGES.compute(key, (k, shared) -> {
            Shared gauges = shared != null ? shared : new Shared();
            if (shared == null) {
                gauges.records = meters.lagGauge(MeterNames.CONSUMER_LAG, k.product(), k.topic(), k.partition(),
                        k.group(), gauges, Shared::records);
                gauges.seconds = meters.lagGauge(MeterNames.CONSUMER_LAG_SECONDS, k.product(), k.topic(),
                        k.partition(), k.group(), gauges, Shared::seconds);
            }
            gauges.owner = lag;
            return gauges;
        });
    }

    /** Removes the partition's gauges if {@code lag} still owns them. */
    static void release(Key key, PartitionLag lag, ContractMeters meters) {
        GAUGES.computeIfPresent(key, (k, shared) -> {
            if (shared.owner != lag) {
                return shared;
            }
            meters.remove(shared.records);
            meters.remove(shared.seconds);
            return null;
        });
    }
}
