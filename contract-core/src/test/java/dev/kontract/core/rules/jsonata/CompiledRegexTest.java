package dev.kontract.core.rules.jsonata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kontract.core.Rule;
import dev.kontract.core.RuleKind;
import dev.kontract.core.RuleMode;
import dev.kontract.core.rules.CompiledRule;
import dev.kontract.core.rules.EvaluationLimits;
import dev.kontract.core.rules.RuleEvaluationException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Regexes in rules: linear-time on RE2/J when compiled, bounded by the rule's deadline when interpreted. */
class CompiledRegexTest {

    private static final EvaluationLimits LIMITS = new EvaluationLimits(Duration.ofMillis(100), 200);

    static CompiledRule condition(String expr) {
        return new JsonataRuleExecutor().compile(new Rule("r", null, RuleKind.CONDITION, RuleMode.WRITE, "JSONATA",
                Set.of(), Map.of(), expr, null, null, false), LIMITS);
    }

    static ObjectNode name(String value) {
        return JsonMapper.builder().build().createObjectNode().put("name", value);
    }

    /**
     * On a backtracking engine this pattern takes 2^60 steps on sixty a's and a '!': the test would
     * never end. The timeout is a liveness bound, not a measurement.
     */
    @Test
    @Timeout(10)
    void compiledRegex_catastrophicPatternAnswersOnHostileInput() {
        CompiledRule rule = condition("$contains(name, /^(a+)+$/)");

        assertThat(rule.compiled()).isTrue();
        assertThat(rule.evaluate(name("a".repeat(60) + "!")).booleanValue()).isFalse();
        assertThat(rule.evaluate(name("a".repeat(60))).booleanValue()).isTrue();
    }

    @Test
    void regexTranslation_keepsJavaScriptMeanings() {
        assertThat(condition("$contains(name, /^a.c$/)").evaluate(name("a\rc")).booleanValue()).isFalse();
        assertThat(condition("$contains(name, /^a\\sc$/)").evaluate(name("a\u00a0c")).booleanValue()).isTrue();
        assertThat(condition("$contains(name, /^\\u0041$/)").evaluate(name("A")).booleanValue()).isTrue();
        assertThat(condition("$contains(name, /^a\\/b$/)").evaluate(name("a/b")).booleanValue()).isTrue();
        assertThat(condition("$contains(name, /^a b$/)").evaluate(name("a b")).booleanValue()).isTrue();
    }

    @Test
    void backreference_fallsBackAndSaysWhy() {
        CompiledRule rule = condition("$contains(name, /^(a+)\\1$/)");

        assertThat(rule.compiled()).isFalse();
        assertThat(rule.interpretedBecause()).hasValueSatisfying(reason -> assertThat(reason)
                .isEqualTo("regex /^(a+)\\1$/ (syntax RE2/J cannot run in linear time, such as a backreference"
                        + " or lookaround)"));
        assertThat(rule.evaluate(name("aaaa")).booleanValue()).isTrue();
    }

    @Test
    void interpretedRegex_stopsAtTheRulesTimeBound() {
        CompiledRule rule = condition("$contains(name, /^((a+)+)\\1$/)");

        assertThat(rule.compiled()).isFalse();
        assertThatThrownBy(() -> rule.evaluate(name("a".repeat(40) + "!")))
                .isInstanceOf(RuleEvaluationException.class)
                .hasMessage("evaluation exceeded the 100 ms time bound (in a regular expression)");
    }

    @Test
    void unsupportedFunction_fallsBackAndNamesIt() {
        CompiledRule rule = condition("$substringBefore(name, '-') = 'ord'");

        assertThat(rule.compiled()).isFalse();
        assertThat(rule.interpretedBecause()).hasValue("function $substringBefore");
        assertThat(rule.evaluate(name("ord-1")).booleanValue()).isTrue();
    }

    @Test
    void interpretedRule_withWhatTheInterpreterCannotBoundIsRefused() {
        assertThatThrownBy(() -> condition("$substringBefore(name, '-') = 'a' and $count([1..10000000]) > 0"))
                .isInstanceOf(dev.kontract.core.ContractException.class)
                .hasMessage("invalid JSONata expression: it must run interpreted (function $substringBefore is not"
                        + " compiled), and the interpreter cannot keep a range 1..10000000 within the evaluation's"
                        + " time bound; compile the rule by removing what is not compiled, or remove a range"
                        + " 1..10000000");
        assertThatThrownBy(() -> condition("$substringBefore(name, '-') = $pad(name, 1000000)"))
                .hasMessageContaining("cannot keep $pad within");
        assertThatThrownBy(() -> condition("($p := $pad; $substringBefore(name, '-') = $p(name, 9))"))
                .hasMessageContaining("cannot keep $pad within");
        assertThatThrownBy(() -> condition("$eval('$count([1..10000000])') > 0"))
                .hasMessageContaining("cannot keep $eval within");
        assertThat(condition("$substringBefore(name, '-') = 'a' and $count([1..100]) = 100").compiled()).isFalse();
    }

    @Test
    void compiledRule_withAHugeRangeOrPadStopsAtItsBound() {
        for (String expr : java.util.List.of("$count([1..10000000]) > 0", "$length($pad(name, 1000000000)) > 0",
                "$sum($map([1..10000000], function($x) { $x })) > 0")) {
            CompiledRule rule = condition(expr);
            assertThat(rule.compiled()).as(expr).isTrue();
            assertThatThrownBy(() -> rule.evaluate(name("x"))).as(expr)
                    .isInstanceOf(RuleEvaluationException.class)
                    .hasMessage("evaluation exceeded the 100 ms time bound (check for an infinite loop)");
        }
        assertThat(condition("$pad(name, -5, '#') = '##abc'").evaluate(name("abc")).booleanValue()).isTrue();
    }
}
