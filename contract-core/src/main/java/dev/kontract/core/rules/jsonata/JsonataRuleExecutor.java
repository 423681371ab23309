package dev.kontract.core.rules.jsonata;

import com.api.jsonata4java.expressions.EvaluateException;
import com.api.jsonata4java.expressions.EvaluateRuntimeException;
import com.api.jsonata4java.expressions.Expressions;
import com.api.jsonata4java.expressions.ParseException;
import com.api.jsonata4java.expressions.generated.MappingExpressionParser;
import dev.kontract.core.ContractException;
import dev.kontract.core.Rule;
import dev.kontract.core.RuleKind;
import dev.kontract.core.rules.CompiledRule;
import dev.kontract.core.rules.EvaluationLimits;
import dev.kontract.core.rules.FieldMapping;
import dev.kontract.core.rules.RuleEvaluationException;
import dev.kontract.core.rules.RuleExecutor;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs {@code type: JSONATA} rules: compiled to Java where the expression is in the compiled subset
 * (see {@link JsonataCompiler}), on JSONata4Java otherwise. JSONata4Java also parses every expression
 * first, so that both paths accept and reject the same expressions with the same messages.
 *
 * <p>Interpreted rules:
 * <p>JSONata4Java's compiled {@code Expressions} carries its evaluation state, so it is not
 * thread-safe: each thread that evaluates a rule gets its own copy, parsed on that thread's first
 * use and kept. Every evaluation runs under the engine's {@link EvaluationLimits}, kept by a
 * {@link BoundedVisitor}; a {@link StackOverflowError} from deep recursion is caught,
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

    private static final BoundedRegexEngine REGEX = new BoundedRegexEngine();

    @Override
    public CompiledRule compile(Rule rule, EvaluationLimits limits) {
        Expressions parsed = parse(rule.expr());
        try {
            return new CompiledJsonataRule(CompiledExpression.compile(rule.expr(), limits), rule.kind());
        } catch (JsonataCompiler.NotCompiled e) {
            String unbounded = unboundedInInterpreter(parsed.getTree());
            if (unbounded != null) {
                throw new ContractException("invalid JSONata expression: it must run interpreted (" + e.getMessage()
                        + " is not compiled), and the interpreter cannot keep " + unbounded
                        + " within the evaluation's time bound; compile the rule by removing what is not compiled,"
                        + " or remove " + unbounded);
            }
            return new JsonataRule(rule.expr(), limits, e.getMessage());
        }
    }

    /**
     * JSONata4Java functions that can outlast the bound in one step: {@code $pad} is quadratic in the
     * width, {@code $eval} evaluates its argument without any bound. Any mention counts (they may be
     * assigned to a variable and called under another name).
     */
    private static final Set<String> UNINTERRUPTIBLE_FUNCTIONS = Set.of("$pad", "$eval");

    /** The largest range the interpreter builds quickly enough (a few milliseconds). */
    static final int SMALL_RANGE = 100_000;

    private static boolean isSmall(MappingExpressionParser.SeqContext range) {
        if (range.expr().size() == 2 && range.expr(0) instanceof MappingExpressionParser.NumberContext from
                && range.expr(1) instanceof MappingExpressionParser.NumberContext to) {
            double size = Double.parseDouble(to.getText()) - Double.parseDouble(from.getText());
            return size <= SMALL_RANGE;
        }
        return false;
    }

    /**
     * What in an expression JSONata4Java runs as one uninterruptible step that can outlast the time
     * bound, or {@code null}: a range ({@code [1..n]} builds up to ten million items at once) unless
     * both ends are numbers at most {@value #SMALL_RANGE} apart, and the functions above. JSONata4Java
     * checks its clock only between steps.
     */
    static String unboundedInInterpreter(ParseTree tree) {
        if (tree instanceof MappingExpressionParser.SeqContext range && !isSmall(range)) {
            return "a range " + tree.getText();
        }
        if (tree instanceof TerminalNode token && UNINTERRUPTIBLE_FUNCTIONS.contains(token.getText())) {
            return token.getText();
        }
        for (int i = 0; i < tree.getChildCount(); i++) {
            String found = unboundedInInterpreter(tree.getChild(i));
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Always the interpreter: the reference the compiled rules are checked against. */
    public static CompiledRule interpret(String expr, EvaluationLimits limits) {
        parse(expr);
        return new JsonataRule(expr, limits, "interpretation was asked for");
    }

    static Expressions parse(String expr) {
        try {
            return Expressions.parse(expr, REGEX);
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

    /** A rule compiled to Java. */
    private static final class CompiledJsonataRule implements CompiledRule {

        private final CompiledExpression expression;
        private final Optional<FieldMapping> mapping;

        CompiledJsonataRule(CompiledExpression expression, RuleKind kind) {
            this.expression = expression;
            this.mapping = kind == RuleKind.TRANSFORM ? Mappings.of(expression.root())
                    : Optional.empty();
        }

        @Override
        public JsonNode evaluate(JsonNode record) {
            if (mapping.isPresent() && record instanceof ObjectNode object) {
                return mapping.get().apply(object);
            }
            return expression.evaluateJson(record);
        }

        @Override
        public boolean compiled() {
            return true;
        }

        @Override
        public boolean readsRecordsInPlace() {
            return true;
        }

        @Override
        public JsonNode evaluateInPlace(Object record) {
            Object result = expression.evaluate(record instanceof JsonNode node ? Values.ofNode(node) : record,
                    Map.of());
            return result instanceof Boolean b ? BooleanNode.valueOf(b) : Values.toJson(result);
        }

        @Override
        public Optional<FieldMapping> fieldMapping() {
            return mapping;
        }

        @Override
        public String toString() {
            return expression.toString();
        }
    }

    /** One thread's copy of an interpreted expression and its bounded evaluator. */
    private record Interpreter(Expressions expressions, BoundedVisitor visitor) {

        static Interpreter of(String expr) {
            Expressions expressions = parse(expr);
            BoundedVisitor visitor = new BoundedVisitor(REGEX);
            expressions.setExpr(visitor);
            return new Interpreter(expressions, visitor);
        }
    }

    private static final class JsonataRule implements CompiledRule {

        private final String expr;
        private final long timeoutMillis;
        private final long timeoutNanos;
        private final int maxDepth;
        private final ThreadLocal<Interpreter> perThread;
        private final String interpretedBecause;

        JsonataRule(String expr, EvaluationLimits limits, String interpretedBecause) {
            this.expr = expr;
            this.interpretedBecause = interpretedBecause;
            this.timeoutMillis = Math.max(1, limits.timeout().toMillis());
            this.timeoutNanos = timeoutMillis * 1_000_000L;
            this.maxDepth = limits.maxDepth();
            this.perThread = ThreadLocal.withInitial(() -> Interpreter.of(expr));
        }

        @Override
        public Optional<String> interpretedBecause() {
            return Optional.of(interpretedBecause);
        }

        @Override
        public JsonNode evaluate(JsonNode record) {
            Interpreter interpreter = perThread.get();
            BoundedRegexEngine.start(timeoutNanos);
            interpreter.visitor().start(timeoutNanos, maxDepth);
            try {
                return interpreter.expressions().evaluate(record);
            } catch (BoundedRegexEngine.RegexTimeout e) {
                perThread.remove();
                throw new RuleEvaluationException("evaluation exceeded the " + timeoutMillis
                        + " ms time bound (in a regular expression)");
            } catch (EvaluateException e) {
                if (regexTimedOut(e)) {
                    perThread.remove();
                    throw new RuleEvaluationException("evaluation exceeded the " + timeoutMillis
                            + " ms time bound (in a regular expression)");
                }
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
                if (regexTimedOut(e)) {
                    throw new RuleEvaluationException("evaluation exceeded the " + timeoutMillis
                            + " ms time bound (in a regular expression)");
                }
                throw new RuleEvaluationException("evaluation failed: " + e.getClass().getName(), e);
            } finally {
                BoundedRegexEngine.finish();
            }
        }

        private static boolean regexTimedOut(Throwable e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BoundedRegexEngine.RegexTimeout
                        || cause.getMessage() != null && cause.getMessage().contains("regular expression ran past")) {
                    return true;
                }
            }
            return false;
        }

        /** An evaluation cut off by a bound may leave the copy half-unwound; ordinary errors do not. */
        private static boolean exceededBound(String message) {
            return message != null && (message.startsWith(BoundedVisitor.TIMEOUT)
                    || message.startsWith(BoundedVisitor.TOO_DEEP));
        }

        private String describeEvaluationError(String message) {
            if (message != null && message.startsWith(BoundedVisitor.TIMEOUT)) {
                return "evaluation exceeded the " + timeoutMillis + " ms time bound (check for an infinite loop)";
            }
            if (message != null && message.startsWith(BoundedVisitor.TOO_DEEP)) {
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
