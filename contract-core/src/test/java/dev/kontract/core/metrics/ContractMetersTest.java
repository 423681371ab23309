package dev.kontract.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ContractMetersTest {

    @Test
    void aMeterLeavesTheRegistryWhenItsLastScopeReleasesIt() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ContractMeters meters = new ContractMeters(registry);
        ContractMeters first = meters.scoped();
        ContractMeters second = meters.scoped();
        first.migrations("p", "1.0", "2.0");
        second.migrations("p", "1.0", "2.0").increment();

        first.release();
        assertThat(registry.find(MeterNames.MIGRATIONS).counter()).as("still held by the second scope").isNotNull()
                .satisfies(counter -> assertThat(counter.count()).isEqualTo(1));
        second.release();
        assertThat(registry.find(MeterNames.MIGRATIONS).counter()).isNull();
    }

    @Test
    void aMeterAnUnscopedClientHoldsStays() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ContractMeters meters = new ContractMeters(registry);
        meters.slaBreaches("p", "quality");
        ContractMeters scope = meters.scoped();
        scope.slaBreaches("p", "quality");
        scope.records("p", "1.0", "t", Side.CONSUME);

        scope.release();

        assertThat(registry.find(MeterNames.SLA_BREACHES).counter()).isNotNull();
        assertThat(registry.find(MeterNames.RECORDS).counters()).isEmpty();
    }
}
