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
 * The rule engine against the interpreter it runs: the three CONDITION expressions and one migration
 * step evaluated directly with JSONata4Java on a pre-built tree (the floor), and the same through
 * Kontract's RuleChain and MigrationPlan (bounded evaluation, outcome bookkeeping).
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
}
