package dev.kontract.core.rules.jsonata;

import dev.kontract.core.rules.EvaluationLimits;
import dev.kontract.core.rules.RuleEvaluationException;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A JSONata expression compiled to Java: evaluates on a record's JSON view, or directly on the
 * application's record ({@link Values} reads Avro records, Protobuf messages and Jackson trees in
 * place). Immutable and thread-safe; bounded in time and call depth like the interpreter.
 */
final class CompiledExpression {

    private final String expression;
    private final Node root;
    private final boolean needsScope;
    private final long timeoutMillis;
    private final int maxDepth;
    /** For expressions without scopes, loops or lambdas: one shared scope, nothing allocated per record. */
    private final Env shared;

    CompiledExpression(String expression, JsonataCompiler.Compiled compiled, EvaluationLimits limits) {
        this.expression = expression;
        this.root = compiled.root();
        this.needsScope = compiled.needsScope();
        this.timeoutMillis = Math.max(1, limits.timeout().toMillis());
        this.maxDepth = limits.maxDepth();
        this.shared = new Env(new Env.Run(null, Long.MAX_VALUE, Integer.MAX_VALUE), null);
    }

    static CompiledExpression compile(String expression, EvaluationLimits limits) {
        return new CompiledExpression(expression, JsonataCompiler.compile(expression), limits);
    }

    Node root() {
        return root;
    }

    /** The value of the expression on a JSON input, as a Jackson node; {@code null} when undefined. */
    JsonNode evaluateJson(JsonNode input) {
        return Values.toJson(evaluate(input == null ? null : Values.ofNode(input), Map.of()));
    }

    /**
     * The value on an input of the value model (a record read in place, or a value): JSONata's result,
     * undefined as {@code null}.
     *
     * @throws RuleEvaluationException when evaluation fails or exceeds its bounds
     */
    Object evaluate(Object input, Map<String, Object> bindings) {
        Object context = input;
        if (Values.isArray(input) && !Values.isSequence(input)) {
            Seq wrapper = Seq.sequenceOf(input);
            wrapper.outerWrapper = true;
            context = wrapper;
        }
        Env env = needsScope || !bindings.isEmpty() || context != input
                ? new Env(new Env.Run(context, timeoutMillis, maxDepth), null) : shared;
        if (!bindings.isEmpty()) {
            bindings.forEach(env::bind);
        }
        try {
            return Node.collapse(root.eval(context, env));
        } catch (JsonataError e) {
            throw new RuleEvaluationException(e.getMessage(), e);
        } catch (Env.BoundExceeded e) {
            throw new RuleEvaluationException(e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new RuleEvaluationException("evaluation recursed too deeply (stack overflow); bound is depth "
                    + maxDepth + " and " + timeoutMillis + " ms");
        } catch (RuntimeException e) {
            throw new RuleEvaluationException("evaluation failed: " + e.getClass().getName(), e);
        }
    }

    @Override
    public String toString() {
        return expression;
    }
}
