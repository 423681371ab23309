package dev.kontract.serde.internal;

import dev.kontract.core.Rule;
import dev.kontract.core.metrics.ContractMeters;
import dev.kontract.core.rules.CompiledRule;
import dev.kontract.core.rules.RuleChain;
import dev.kontract.core.rules.RuleContext;
import dev.kontract.core.rules.RuleListener;
import dev.kontract.core.rules.RuleOutcome;
import io.micrometer.core.instrument.Counter;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts rule outcomes in {@code contract.rule.evaluations}, on counters built once per rule and
 * tagged with whether the rule runs compiled. Rules are looked up by identity: the chains hold the
 * contract's own rule instances, and a chain that passes whole counts each rule's pass without a lookup
 * per rule.
 */
final class RuleMeters implements RuleListener {

    /** Per rule, its counters indexed by {@code RuleOutcome.Result} ordinal. */
    private final Map<Rule, Counter[]> counters;

    /** Per chain, its rules' {@code pass} counters in order. */
    private final Map<RuleChain, Counter[]> passCounters;

    RuleMeters(ContractMeters meters, String product, Collection<RuleChain> chains) {
        Map<Rule, Counter[]> byRule = new IdentityHashMap<>();
        Map<RuleChain, Counter[]> byChain = new IdentityHashMap<>();
        for (RuleChain chain : chains) {
            List<Rule> rules = chain.rules();
            Counter[] passes = new Counter[rules.size()];
            List<CompiledRule> compiled = chain.compiledRules();
            for (int i = 0; i < rules.size(); i++) {
                Rule rule = rules.get(i);
                Map<RuleOutcome.Result, Counter> byResult = meters.ruleEvaluations(product, rule.name(),
                        rule.mode().name(), compiled.get(i).compiled());
                Counter[] indexed = new Counter[RuleOutcome.Result.values().length];
                byResult.forEach((result, counter) -> indexed[result.ordinal()] = counter);
                byRule.put(rule, indexed);
                passes[i] = indexed[RuleOutcome.Result.PASS.ordinal()];
            }
            byChain.put(chain, passes);
        }
        this.counters = Collections.unmodifiableMap(byRule);
        this.passCounters = Collections.unmodifiableMap(byChain);
    }

    @Override
    public void onOutcome(RuleContext context, RuleOutcome outcome) {
        Counter[] forRule = counters.get(outcome.rule());
        if (forRule != null) {
            forRule[outcome.result().ordinal()].increment();
        }
    }

    @Override
    public void onAllPassed(RuleContext context, RuleChain chain) {
        Counter[] passes = passCounters.get(chain);
        if (passes == null) {
            RuleListener.super.onAllPassed(context, chain);
            return;
        }
        for (Counter pass : passes) {
            pass.increment();
        }
    }
}
