package dev.kontract.core.rules.jsonata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kontract.core.rules.EvaluationLimits;
import dev.kontract.core.rules.RuleEvaluationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Conformance of the compiler: every case of the jsonata-js test suite whose expression it compiles
 * must give the suite's result, undefined result or error code.
 */
class JsonataConformanceTest {

    @Test
    void compiledExpressionsAgreeWithTheJsonataTestSuite() {
        List<JsonataSuite.Case> cases = JsonataSuite.cases();
        int compiled = 0;
        int agree = 0;
        List<String> disagreements = new ArrayList<>();
        for (JsonataSuite.Case c : cases) {
            JsonataCompiler.Compiled program;
            try {
                program = JsonataCompiler.compile(c.expr(), c.bindings().keySet());
            } catch (JsonataCompiler.NotCompiled e) {
                continue;
            }
            compiled++;
            String outcome = run(c, program);
            if (outcome == null) {
                agree++;
            } else {
                disagreements.add(c.id() + ": " + c.expr().replace('\n', ' ') + " -> " + outcome);
            }
        }
        System.out.println(cases.size() + " cases, " + compiled + " compiled, " + agree + " agree");
        assertThat(cases).hasSizeGreaterThan(1000);
        assertThat(disagreements).as("cases where the compiled expression disagrees with the suite").isEmpty();
    }

    /** {@code null} when the compiled result agrees with the case, otherwise what happened. */
    static String run(JsonataSuite.Case c, JsonataCompiler.Compiled program) {
        EvaluationLimits limits = new EvaluationLimits(Duration.ofMillis(c.timeLimit() != null ? c.timeLimit() : 10_000),
                c.depth() != null ? c.depth() : 1_000);
        CompiledExpression expression = new CompiledExpression(c.expr(), program, limits);
        Map<String, Object> bindings = new LinkedHashMap<>();
        c.bindings().forEach((name, value) -> bindings.put(name, Values.ofNode(value)));
        Object result;
        try {
            result = expression.evaluate(c.input() == null ? null : Values.ofNode(c.input()), bindings);
        } catch (RuleEvaluationException e) {
            String code = e.getCause() instanceof JsonataError error ? error.code()
                    : e.getCause() instanceof Env.BoundExceeded ? "U1001" : null;
            if (c.expectsError() && (c.code().equals(code) || code == null && false)) {
                return null;
            }
            return "threw " + e.getMessage() + (c.expectsError() ? ", expected " + c.code() : ", expected "
                    + (c.undefinedResult() ? "undefined" : c.result()));
        }
        JsonNode actual = Values.toJson(result);
        if (c.expectsError()) {
            return "gave " + actual + ", expected error " + c.code();
        }
        if (c.undefinedResult() || c.result() == null) {
            return actual == null ? null : "gave " + actual + ", expected undefined";
        }
        return JsonataSuite.same(c.result(), actual) ? null : "gave " + actual + ", expected " + c.result();
    }
}
