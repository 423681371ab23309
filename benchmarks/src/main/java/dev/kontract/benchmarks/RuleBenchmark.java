package dev.kontract.benchmarks;

import com.api.jsonata4java.expressions.EvaluateException;
import com.api.jsonata4java.expressions.Expressions;
import dev.kontract.core.DataContract;
import dev.kontract.core.RulePhase;
import dev.kontract.core.Version;
import dev.kontract.core.migration.MigrationPlan;
import dev.kontract.core.migration.MigrationPlanner;
import dev.kontract.core.rules.RuleChain;
import dev.kontract.core.rules.RuleContext;
import dev.kontract.core.rules.RuleEngine;
import dev.kontract.core.rules.RuleListener;
import dev.kontract.core.rules.RuleRun;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.databind.JsonNode;

/**
 * The rule engine against the interpreter: the three CONDITION expressions and one migration step
 * evaluated directly with JSONata4Java on a pre-built tree (the baseline), and the same through
 * Kontract's RuleChain and MigrationPlan, where they run compiled (bounded evaluation, outcome
 * bookkeeping included). A rule outside the compiled subset runs on JSONata4Java: the fallback pair
 * shows what Kontract adds to the bare interpreter then.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RuleBenchmark {

    private JsonNode order;
    private List<Expressions> conditions;
    private Expressions upgrade;
    private RuleChain chain;
    private RuleContext context;
    private MigrationPlan plan;
    private Expressions fallback;
    private RuleChain fallbackChain;

    /** Uses $substringBefore, which the compiler leaves to JSONata4Java. */
    static final String FALLBACK_EXPR = "$substringBefore(order_id, '-') = 'ord' and $count(lines[quantity > 0]) > 0";

    @Setup
    public void setUp() throws Exception {
        order = Orders.view(1);
        DataContract checked = Orders.CATALOG.product(Orders.checkedProduct("json")).orElseThrow();
        var v1 = checked.version(new Version(1, 0)).orElseThrow();
        conditions = v1.ruleSet().domainRules().stream().map(rule -> parse(rule.expr())).toList();
        chain = RuleEngine.defaults().chain(v1.ruleSet(), RulePhase.WRITE);
        context = new RuleContext(checked.product(), v1.version(), RulePhase.WRITE, "orders");
        DataContract orders = Orders.CATALOG.product(Orders.product("json")).orElseThrow();
        upgrade = parse(orders.version(new Version(2, 0)).orElseThrow().ruleSet().migrationRules().get(0).expr());
        plan = new MigrationPlanner(orders, RuleEngine.defaults()).plan(new Version(1, 0), new Version(2, 0));
        fallback = parse(FALLBACK_EXPR);
        fallbackChain = RuleEngine.defaults().chain(new dev.kontract.core.RuleSet(List.of(new dev.kontract.core.Rule(
                "fallback", null, dev.kontract.core.RuleKind.CONDITION, dev.kontract.core.RuleMode.WRITE, "JSONATA",
                java.util.Set.of(), java.util.Map.of(), FALLBACK_EXPR, null, null, false)), List.of()), RulePhase.WRITE);
        if (fallbackChain.compiledRules().get(0).compiled() || !chain.compiledRules().stream().allMatch(
                dev.kontract.core.rules.CompiledRule::compiled)) {
            throw new IllegalStateException("the benchmark's rules are not compiled, or its fallback rule is");
        }
    }

    private static Expressions parse(String expr) {
        try {
            return Expressions.parse(expr);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public void jsonataThreeConditionsBaseline(Blackhole blackhole) throws EvaluateException {
        for (Expressions condition : conditions) {
            blackhole.consume(condition.evaluate(order));
        }
    }

    @Benchmark
    public RuleRun contractThreeConditions() {
        return chain.run(order, context, RuleListener.NONE);
    }

    @Benchmark
    public JsonNode jsonataUpgradeBaseline() throws EvaluateException {
        return upgrade.evaluate(order);
    }

    @Benchmark
    public RuleRun contractUpgradeStep() {
        return plan.apply(order);
    }

    @Benchmark
    public JsonNode jsonataFallbackBaseline() throws EvaluateException {
        return fallback.evaluate(order);
    }

    /** JSONata4Java with the time and depth bound Kontract gives every evaluation (its own time box). */
    @Benchmark
    public JsonNode jsonataBoundedFallbackBaseline() throws EvaluateException {
        return fallback.evaluate(order, RuleEngine.defaults().limits().timeout().toMillis(),
                RuleEngine.defaults().limits().maxDepth());
    }

    @Benchmark
    public RuleRun contractFallbackRule() {
        return fallbackChain.run(order, context, RuleListener.NONE);
    }
}
