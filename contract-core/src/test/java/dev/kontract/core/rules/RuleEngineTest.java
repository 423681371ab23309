package dev.kontract.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kontract.core.ContractException;
import dev.kontract.core.Rule;
import dev.kontract.core.RuleKind;
import dev.kontract.core.RuleMode;
import dev.kontract.core.RulePhase;
import dev.kontract.core.RuleSet;
import dev.kontract.core.Version;
import dev.kontract.core.rules.RuleOutcome.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RuleEngineTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final RuleContext WRITE = new RuleContext("customer.accounts", new Version(2, 0), RulePhase.WRITE, "t");

    private final RuleEngine engine = RuleEngine.defaults();

    @Test
    void condition_trueFalseUndefinedAndNotBoolean() {
        RuleChain chain = engine.chain(domain(
                condition("isDE", "country = 'DE'", "NONE"),
                condition("hasEmail", "$contains(email, '@')", "NONE"),
                condition("notBoolean", "country", "NONE")), RulePhase.WRITE);
        List<RuleOutcome> outcomes = new ArrayList<>();

        RuleRun run = chain.run(json("{\"country\": \"FR\"}"), WRITE, (context, outcome) -> outcomes.add(outcome));

        assertThat(run.decision()).isEqualTo(RuleDecision.ACCEPT);
        assertThat(outcomes).extracting(RuleOutcome::result).containsExactly(Result.FAIL, Result.FAIL, Result.ERROR);
        assertThat(outcomes).extracting(RuleOutcome::reason).containsExactly(
                "condition is false",
                "condition is undefined (a field it reads may be missing)",
                "condition returned string, not a boolean");
    }

    @Test
    void condition_designRegexRule() {
        RuleChain chain = engine.chain(domain(condition("countryIsIso3166", "$contains(country, /^[A-Z]{2}$/)", "DLQ")),
                RulePhase.WRITE);

        assertThat(chain.run(json("{\"country\": \"DE\"}"), WRITE, RuleListener.NONE).decision())
                .isEqualTo(RuleDecision.ACCEPT);
        RuleRun bad = chain.run(json("{\"country\": \"Germany\"}"), WRITE, RuleListener.NONE);
        assertThat(bad.decision()).isEqualTo(RuleDecision.DEAD_LETTER);
        assertThat(bad.deciding().rule().name()).isEqualTo("countryIsIso3166");
        assertThat(bad.deciding().reason()).isEqualTo("condition is false");
    }

    @Test
    void listener_hearsEveryOutcomeInOrder_andAWholePassInOneCall() {
        RuleChain chain = engine.chain(domain(
                condition("first", "true", "NONE"),
                condition("second", "country = 'DE'", "NONE"),
                condition("third", "true", "NONE")), RulePhase.WRITE);
        List<String> heard = new ArrayList<>();
        RuleListener perOutcome = (context, outcome) -> heard.add(outcome.rule().name() + " " + outcome.result());
        RuleListener wholePass = new RuleListener() {
            @Override
            public void onOutcome(RuleContext context, RuleOutcome outcome) {
                perOutcome.onOutcome(context, outcome);
            }

            @Override
            public void onAllPassed(RuleContext context, RuleChain passed) {
                heard.add("all of " + passed.rules().size());
            }
        };

        chain.run(json("{\"country\": \"FR\"}"), WRITE, perOutcome);
        chain.run(json("{\"country\": \"DE\"}"), WRITE, perOutcome);
        chain.run(json("{\"country\": \"FR\"}"), WRITE, wholePass);
        chain.run(json("{\"country\": \"DE\"}"), WRITE, wholePass);

        assertThat(heard).containsExactly(
                "first PASS", "second FAIL", "third PASS",
                "first PASS", "second PASS", "third PASS",
                "first PASS", "second FAIL", "third PASS",
                "all of 3");
    }

    @Test
    void chain_errorActionStopsAtFirstFailure() {
        List<String> evaluated = new ArrayList<>();
        RuleChain chain = engine.chain(domain(
                condition("first", "false", null),
                condition("second", "true", null)), RulePhase.WRITE);

        RuleRun run = chain.run(json("{}"), WRITE, (context, outcome) -> evaluated.add(outcome.rule().name()));

        assertThat(run.decision()).isEqualTo(RuleDecision.REJECT);
        assertThat(run.deciding().rule().name()).isEqualTo("first");
        assertThat(evaluated).containsExactly("first");
    }

    @Test
    void transform_feedsTheNextRuleAndLeavesTheInputAlone() {
        JsonNode input = json("{\"name\": \"Ada\", \"ssn\": \"123\"}");
        RuleChain chain = engine.chain(domain(
                transform("mask", "$merge([$, {'ssn': '***'}])"),
                condition("masked", "ssn = '***'", null)), RulePhase.WRITE);

        RuleRun run = chain.run(input, WRITE, RuleListener.NONE);

        assertThat(run.isAccepted()).isTrue();
        assertThat(run.record()).isEqualTo(json("{\"name\": \"Ada\", \"ssn\": \"***\"}"));
        assertThat(input).isEqualTo(json("{\"name\": \"Ada\", \"ssn\": \"123\"}"));
    }

    @Test
    void transform_notReturningAnObjectIsAnError() {
        RuleChain chain = engine.chain(domain(transform("broken", "name")), RulePhase.WRITE);

        RuleRun run = chain.run(json("{\"name\": \"Ada\"}"), WRITE, RuleListener.NONE);

        assertThat(run.decision()).isEqualTo(RuleDecision.REJECT);
        assertThat(run.deciding().result()).isEqualTo(Result.ERROR);
        assertThat(run.deciding().reason()).isEqualTo("transform returned string, not an object");
    }

    @Test
    void chain_onlyRulesOfThePhaseAndNotDisabled() {
        Rule read = new Rule("readOnly", null, RuleKind.CONDITION, RuleMode.READ, "JSONATA", Set.of(), Map.of(), "false",
                null, null, false);
        Rule disabled = new Rule("off", null, RuleKind.CONDITION, RuleMode.WRITE, "JSONATA", Set.of(), Map.of(), "false",
                null, null, true);

        RuleChain chain = engine.chain(domain(read, disabled), RulePhase.WRITE);

        assertThat(chain.isEmpty()).isTrue();
        assertThat(engine.chain(domain(read, disabled), RulePhase.READ).rules()).containsExactly(read);
    }

    @Test
    void chain_writeReadActionPairPicksHalfPerPhase() {
        Rule rule = new Rule("pair", null, RuleKind.CONDITION, RuleMode.WRITEREAD, "JSONATA", Set.of(), Map.of(), "false",
                null, "DLQ,ERROR", false);

        assertThat(engine.chain(domain(rule), RulePhase.WRITE).run(json("{}"), WRITE, RuleListener.NONE).decision())
                .isEqualTo(RuleDecision.DEAD_LETTER);
        assertThat(engine.chain(domain(rule), RulePhase.READ).run(json("{}"), WRITE, RuleListener.NONE).decision())
                .isEqualTo(RuleDecision.REJECT);
    }

    @Test
    void chain_customActionFromBuilder() {
        List<String> alerts = new ArrayList<>();
        RuleEngine custom = RuleEngine.builder().action(new RuleAction() {
            @Override
            public String name() {
                return "ALERT";
            }

            @Override
            public RuleDecision onOutcome(RuleContext context, RuleOutcome outcome) {
                alerts.add(context.product() + "/" + outcome.rule().name() + ": " + outcome.reason());
                return RuleDecision.ACCEPT;
            }
        }).build();

        RuleRun run = custom.chain(domain(condition("isDE", "country = 'DE'", "ALERT")), RulePhase.WRITE)
                .run(json("{\"country\": \"FR\"}"), WRITE, RuleListener.NONE);

        assertThat(run.isAccepted()).isTrue();
        assertThat(alerts).containsExactly("customer.accounts/isDE: condition is false");
    }

    @Test
    void chain_actionThatThrowsRejectsAndSaysWhy() {
        RuleEngine custom = RuleEngine.builder().action(new RuleAction() {
            @Override
            public String name() {
                return "BOOM";
            }

            @Override
            public RuleDecision onOutcome(RuleContext context, RuleOutcome outcome) {
                throw new IllegalStateException("pager down");
            }
        }).build();

        RuleRun run = custom.chain(domain(condition("c", "false", "BOOM")), RulePhase.WRITE)
                .run(json("{}"), WRITE, RuleListener.NONE);

        assertThat(run.decision()).isEqualTo(RuleDecision.REJECT);
        assertThat(run.deciding().reason()).isEqualTo("action BOOM failed: java.lang.IllegalStateException: pager down");
    }

    @Test
    void evaluation_errorsNameNoFieldValues() {
        RuleChain chain = engine.chain(domain(condition("panIsNumeric", "$number(pan) > 0", null)), RulePhase.WRITE);

        RuleRun run = chain.run(json("{\"pan\": \"4111-1111-1111-1111\"}"), WRITE, RuleListener.NONE);

        assertThat(run.decision()).isEqualTo(RuleDecision.REJECT);
        assertThat(run.deciding().result()).isEqualTo(Result.ERROR);
        assertThat(run.deciding().reason()).isEqualTo("D3030: unable to cast value to a number");
    }

    @Test
    void evaluation_interpretedErrorsNameNoFieldValues() {
        CompiledRule interpreted = dev.kontract.core.rules.jsonata.JsonataRuleExecutor.interpret("$number(pan) > 0",
                EvaluationLimits.DEFAULT);

        assertThatThrownBy(() -> interpreted.evaluate(json("{\"pan\": \"4111-1111-1111-1111\"}")))
                .isInstanceOf(RuleEvaluationException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("4111").contains("\"<value>\""));
    }

    @Test
    void serviceLoader_findsExecutorFromMetaInfServices() {
        assertThat(engine.ruleTypes()).contains("JSONATA", "FIELD_PRESENT");

        RuleChain chain = engine.chain(domain(new Rule("hasEmail", null, RuleKind.CONDITION, RuleMode.WRITE,
                "field_present", Set.of(), Map.of(), "email", null, "NONE", false)), RulePhase.WRITE);
        List<Result> results = new ArrayList<>();
        chain.run(json("{\"email\": \"a@b\"}"), WRITE, (c, o) -> results.add(o.result()));
        chain.run(json("{}"), WRITE, (c, o) -> results.add(o.result()));

        assertThat(results).containsExactly(Result.PASS, Result.FAIL);
    }

    @Test
    void builder_rejectsTwoExecutorsForOneType() {
        RuleExecutor impostor = new RuleExecutor() {
            @Override
            public String type() {
                return "jsonata";
            }

            @Override
            public CompiledRule compile(Rule rule, EvaluationLimits limits) {
                return record -> record;
            }
        };

        assertThatThrownBy(() -> RuleEngine.builder().executor(impostor).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rule executor for type JSONATA is both")
                .hasMessageContaining("JsonataRuleExecutor");
    }

    @Test
    void compile_isCachedPerExpression() {
        Rule a = condition("a", "country = 'DE'", null);
        Rule b = condition("b", "country = 'DE'", null);

        assertThat(engine.compile(a)).isSameAs(engine.compile(b));
    }

    @Test
    void compile_badExpressionNamesRuleAndPosition() {
        assertThatThrownBy(() -> engine.compile(condition("broken", "country = ", null)))
                .isInstanceOf(ContractException.class)
                .hasMessageStartingWith("rule broken: invalid JSONata expression at line 1, column 11: ");
        assertThatThrownBy(() -> engine.compile(condition("alsoBroken", "$merge([$, {'a': 1}]", null)))
                .isInstanceOf(ContractException.class)
                .hasMessageStartingWith("rule alsoBroken: invalid JSONata expression at line 1, column ");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void evaluation_infiniteRecursionIsCutOffByTheDepthBound() {
        RuleChain chain = engine.chain(domain(condition("loops",
                "($f := function($n) { $f($n + 1) }; $f(0))", null)), RulePhase.WRITE);

        RuleRun run = chain.run(json("{}"), WRITE, RuleListener.NONE);

        assertThat(run.decision()).isEqualTo(RuleDecision.REJECT);
        assertThat(run.deciding().result()).isEqualTo(Result.ERROR);
        assertThat(run.deciding().rule().name()).isEqualTo("loops");
        assertThat(run.deciding().reason()).isEqualTo(
                "evaluation exceeded the call depth bound of 200 (check for non-terminating recursion)");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void evaluation_longLoopIsCutOffByTheTimeBound() {
        RuleEngine strict = RuleEngine.builder().limits(new EvaluationLimits(Duration.ofMillis(50), 100_000)).build();
        RuleChain chain = strict.chain(domain(condition("spins",
                "($loop := function($n) { $n > 0 ? $loop($n - 1) : true }; $count([1..100000].($loop(30))) > 0)", null)),
                RulePhase.WRITE);

        RuleRun run = chain.run(json("{}"), WRITE, RuleListener.NONE);

        assertThat(run.decision()).isEqualTo(RuleDecision.REJECT);
        assertThat(run.deciding().reason())
                .isEqualTo("evaluation exceeded the 50 ms time bound (check for an infinite loop)");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void evaluation_stackOverflowBecomesARuleErrorAndTheThreadGoesOn() {
        RuleEngine deep = RuleEngine.builder().limits(new EvaluationLimits(Duration.ofSeconds(10), Integer.MAX_VALUE))
                .build();
        RuleChain chain = deep.chain(domain(condition("deep",
                "($f := function($n) { $f($n + 1) }; $f(0))", null), condition("fine", "true", null)), RulePhase.WRITE);

        RuleRun run = chain.run(json("{}"), WRITE, RuleListener.NONE);

        assertThat(run.deciding().reason()).startsWith("evaluation recursed too deeply (stack overflow)");
        RuleChain healthy = deep.chain(domain(condition("fine", "a = 1", null)), RulePhase.WRITE);
        assertThat(healthy.run(json("{\"a\": 1}"), WRITE, RuleListener.NONE).isAccepted()).isTrue();
    }

    @Test
    void evaluation_isThreadSafe() throws Exception {
        RuleChain chain = engine.chain(domain(transform("double", "$merge([$, {'twice': n * 2}])")), RulePhase.WRITE);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        int n = (int) (Math.random() * 1_000_000);
                        JsonNode out = chain.run(json("{\"n\": " + n + "}"), WRITE, RuleListener.NONE).record();
                        if (out.get("twice").asLong() != 2L * n) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static RuleSet domain(Rule... rules) {
        return new RuleSet(List.of(rules), List.of());
    }

    static Rule condition(String name, String expr, String onFailure) {
        return new Rule(name, null, RuleKind.CONDITION, RuleMode.WRITE, "JSONATA", Set.of(), Map.of(), expr, null,
                onFailure, false);
    }

    static Rule transform(String name, String expr) {
        return new Rule(name, null, RuleKind.TRANSFORM, RuleMode.WRITE, "JSONATA", Set.of(), Map.of(), expr, null, null,
                false);
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
