package dev.kontract.interceptors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kontract.core.metrics.ContractMeters;
import dev.kontract.core.rules.RuleOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ContractHealthTest {

    @Test
    void of_namesTheRulesThatRunInterpreted() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ContractMeters meters = new ContractMeters(registry);
        meters.ruleEvaluations("shop.orders", "totalIsPositive", "WRITE", true).get(RuleOutcome.Result.PASS).increment();
        meters.ruleEvaluations("shop.orders", "skuHasPrefix", "WRITE", false).get(RuleOutcome.Result.PASS).increment();

        ContractHealth health = ContractHealth.of(registry, "shop.orders");

        assertThat(health.interpretedRules()).containsExactly("skuHasPrefix");
        assertThat(health.summary()).endsWith("; interpreted rules: skuHasPrefix");
    }
}
