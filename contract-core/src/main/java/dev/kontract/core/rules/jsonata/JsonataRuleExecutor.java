package dev.kontract.core.rules.jsonata;

import com.api.jsonata4java.expressions.EvaluateException;
import com.api.jsonata4java.expressions.EvaluateRuntimeException;
import com.api.jsonata4java.expressions.Expressions;
import com.api.jsonata4java.expressions.ParseException;
import dev.kontract.core.ContractException;
import dev.kontract.core.Rule;
import dev.kontract.core.rules.CompiledRule;
import dev.kontract.core.rules.EvaluationLimits;
import dev.kontract.core.rules.RuleEvaluationException;
import dev.kontract.core.rules.RuleExecutor;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Runs {@code type: JSONATA} rules with JSONata4Java.
 *
 * <p>JSONata4Java's compiled {@code Expressions} carries its evaluation state, so it is not
 * thread-safe: each thread that evaluates a rule gets its own copy, parsed on that thread's first
 * use and kept. Every evaluation runs under the engine's {@link EvaluationLimits} (JSONata4Java's
 * own time box and call-depth bound); a {@link StackOverflowError} from deep recursion is caught,
 * and a copy whose evaluation was cut off or crashed is discarded, since it may hold half-unwound
 * state (an ordinary evaluation error keeps it, so a rule that keeps failing is not re-parsed).
 *
 * <p>JSONata4Java does not support the {@code |...|} transform operator; use
 * {@code $merge}/{@code $sift}.
 */
public final class JsonataRuleExecutor implements RuleExecutor {

    public static final String TYPE = "JSONATA";

    private static final Pattern ANTLR_POSITION = Pattern.compile("line (\\d+):(\\d+) at \\[[^\\]]*\\]: ([^\\n]*)");

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public CompiledRule compile(Rule rule, EvaluationLimits limits) {
        parse(rule.expr());
        return new JsonataRule(rule.expr(), limits);
    }

    static Expressions parse(String expr) {
        try {
            return Expressions.parse(expr);
        } catch (ParseException e) {
            throw new ContractException("invalid JSONata expression " + describeParseError(e.getMessage()));
        } catch (EvaluateRuntimeException | IOException e) {
            throw new ContractException("invalid JSONata expression: " + e.getMessage());
        }
    }

    /** Turns ANTLR's "line 1:12 at [@5,...]: msg" into "at line 1, column 13: msg". */
    static String describeParseError(String antlrMessage) {
        String message = antlrMessage == null ? "" : antlrMessage.strip();
        Matcher matcher = ANTLR_POSITION.matcher(message);
        if (matcher.find()) {
            int column = Integer.parseInt(matcher.group(2)) + 1;
            return "at line " + matcher.group(1) + ", column " + column + ": " + matcher.group(3).strip();
        }
        return ": " + message;
    }

    /** A quoted part of an error message that holds a letter or digit: possibly a field's value. */
    private static final Pattern QUOTED_VALUE = Pattern.compile("\"[^\"]*[\\p{L}\\p{N}][^\"]*\"|'[^']*[\\p{L}\\p{N}][^']*'");

    /**
     * JSONata4Java's evaluation errors quote the values they failed on ({@code Unable to cast value to
     * a number: "4111..."}); rule failures end up in exceptions, logs and {@code dp.error.reason}, which
     * must never carry field values. Quoted operators such as {@code "+"} stay.
     */
    static String withoutValues(String message) {
        return message == null ? "evaluation failed" : QUOTED_VALUE.matcher(message).replaceAll("\"<value>\"");
    }

    private static final class JsonataRule implements CompiledRule {

        private final String expr;
        private final long timeoutMillis;
        private final int maxDepth;
        private final ThreadLocal<Expressions> perThread;

        JsonataRule(String expr, EvaluationLimits limits) {
            this.expr = expr;
            this.timeoutMillis = Math.max(1, limits.timeout().toMillis());
            this.maxDepth = limits.maxDepth();
            this.perThread = ThreadLocal.withInitial(() -> parse(expr));
        }

        @Override
        public JsonNode evaluate(JsonNode record) {
            Expressions expressions = perThread.get();
            try {
                return expressions.evaluate(record, timeoutMillis, maxDepth);
            } catch (EvaluateException e) {
                String reason = describeEvaluationError(e.getMessage());
                if (exceededBound(e.getMessage())) {
                    perThread.remove();
                }
                throw new RuleEvaluationException(reason, e);
            } catch (StackOverflowError e) {
                perThread.remove();
                throw new RuleEvaluationException("evaluation recursed too deeply (stack overflow); bound is depth "
                        + maxDepth + " and " + timeoutMillis + " ms");
            } catch (RuntimeException e) {
                perThread.remove();
                throw new RuleEvaluationException("evaluation failed: " + e.getClass().getName(), e);
            }
        }

        /** An evaluation cut off by a bound may leave the copy half-unwound; ordinary errors do not. */
        private static boolean exceededBound(String message) {
            return message != null && (message.startsWith("Expression evaluation timeout")
                    || message.startsWith("Stack overflow error"));
        }

        private String describeEvaluationError(String message) {
            if (message != null && message.startsWith("Expression evaluation timeout")) {
                return "evaluation exceeded the " + timeoutMillis + " ms time bound (check for an infinite loop)";
            }
            if (message != null && message.startsWith("Stack overflow error")) {
                return "evaluation exceeded the call depth bound of " + maxDepth
                        + " (check for non-terminating recursion)";
            }
            return withoutValues(message);
        }

        @Override
        public String toString() {
            return expr;
        }
    }
}
