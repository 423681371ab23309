package dev.kontract.core.rules.jsonata;

import com.api.jsonata4java.expressions.generated.MappingExpressionLexer;
import com.api.jsonata4java.expressions.generated.MappingExpressionParser;
import com.api.jsonata4java.expressions.generated.MappingExpressionParser.*;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.misc.Interval;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Compiles a JSONata expression into a tree of {@link Node}s, from JSONata4Java's own parse tree (so
 * both engines read the same grammar). The tree is rebuilt into JSONata's structure first (paths as
 * steps with their predicates, as the jsonata-js parser builds them); a construct outside the compiled
 * subset throws {@link NotCompiled} naming it, and the rule then runs on JSONata4Java.
 */
final class JsonataCompiler {

    /** The expression uses a construct the compiler does not support; the message names it. */
    static final class NotCompiled extends RuntimeException {
        NotCompiled(String construct) {
            super(construct, null, false, false);
        }
    }

    /** A compiled expression and what it needs at run time. */
    record Compiled(Node root, boolean needsScope) {}

    private final CharStream source;
    private final Set<String> bound = new HashSet<>();
    private boolean needsScope;

    private JsonataCompiler(CharStream source, Set<String> externallyBound) {
        this.source = source;
        this.bound.addAll(externallyBound);
    }

    /**
     * @throws NotCompiled when the expression does not parse or uses a construct outside the subset
     */
    static Compiled compile(String expression) {
        return compile(expression, Set.of());
    }

    static Compiled compile(String expression, Set<String> externallyBound) {
        CharStream chars = CharStreams.fromString(expression);
        MappingExpressionLexer lexer = new MappingExpressionLexer(chars);
        MappingExpressionParser parser = new MappingExpressionParser(new CommonTokenStream(lexer));
        BaseErrorListener failing = new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> recognizer, Object symbol, int line, int column, String message,
                    RecognitionException e) {
                throw new NotCompiled("a syntax error at line " + line + ", column " + (column + 1));
            }
        };
        lexer.removeErrorListeners();
        parser.removeErrorListeners();
        lexer.addErrorListener(failing);
        parser.addErrorListener(failing);
        ExprContext tree = parser.expr_to_eof().expr();
        JsonataCompiler compiler = new JsonataCompiler(chars, externallyBound);
        compiler.collectBindings(tree);
        Node root = compiler.node(tree);
        return new Compiled(root, compiler.needsScope);
    }

    /** Names assigned anywhere in the expression. */
    private final Set<String> assigned = new HashSet<>();

    private boolean callsAssigned(ParseTree tree) {
        if (tree instanceof Function_callContext call && assigned.contains(variable(call.VAR_ID().getText()))) {
            return true;
        }
        for (int i = 0; i < tree.getChildCount(); i++) {
            if (callsAssigned(tree.getChild(i))) {
                return true;
            }
        }
        return false;
    }

    /** Names assigned or taken as lambda parameters anywhere: calls of them are not built-in calls. */
    private void collectBindings(ParseTree tree) {
        if (tree instanceof Var_assignContext assign) {
            bound.add(variable(assign.VAR_ID().getText()));
            assigned.add(variable(assign.VAR_ID().getText()));
        }
        if (tree instanceof VarListContext list) {
            for (TerminalNode id : list.VAR_ID()) {
                bound.add(variable(id.getText()));
            }
        }
        for (int i = 0; i < tree.getChildCount(); i++) {
            collectBindings(tree.getChild(i));
        }
    }

    private static String variable(String token) {
        return token.substring(1);
    }

    private String text(ParserRuleContext context) {
        return source.getText(Interval.of(context.start.getStartIndex(), context.stop.getStopIndex()));
    }

    private Node node(ExprContext context) {
        List<Node.Step> steps = asPath(context);
        if (steps != null) {
            return path(steps);
        }
        if (context instanceof ArrayContext array) {
            List<Node> predicates = new ArrayList<>();
            ExprContext inner = array;
            while (inner instanceof ArrayContext nested && asPath(nested.expr(0)) == null) {
                predicates.add(0, node(nested.expr(1)));
                inner = nested.expr(0);
            }
            return new Node.Filter(node(inner), predicates);
        }
        if (context instanceof StringContext string) {
            return new Node.Literal(unquote(string.STRING().getText()));
        }
        if (context instanceof NumberContext number) {
            double value = Double.parseDouble(number.NUMBER().getText());
            if (!Double.isFinite(value)) {
                throw new NotCompiled("a number literal out of range");
            }
            return new Node.Literal(Values.number(value));
        }
        if (context instanceof BooleanContext bool) {
            return new Node.Literal(Boolean.valueOf(bool.getText()));
        }
        if (context instanceof NullContext) {
            return new Node.Literal(Values.NULL);
        }
        if (context instanceof Context_refContext) {
            return new Node.Context();
        }
        if (context instanceof Root_pathContext) {
            needsScope = true;
            return new Node.Root();
        }
        if (context instanceof Field_valuesContext) {
            return new Node.Wildcard();
        }
        if (context instanceof Var_recallContext recall) {
            String name = variable(recall.VAR_ID().getText());
            if (!bound.contains(name) && Builtins.get(name) == null) {
                throw new NotCompiled("variable $" + name + " (not bound in the expression, nor a compiled function)");
            }
            return new Node.Variable(name);
        }
        if (context instanceof Array_constructorContext array) {
            return constantArray(arrayConstructor(array, false));
        }
        if (context instanceof Object_constructorContext object) {
            return objectConstructor(object.fieldList());
        }
        if (context instanceof Unary_opContext unary) {
            Node operand = node(unary.expr());
            if (operand instanceof Node.Literal literal && literal.value instanceof Number n) {
                return new Node.Literal(Values.number(-n.doubleValue()));
            }
            return new Node.Negate(operand);
        }
        if (context instanceof Muldiv_opContext op) {
            return new Node.Arithmetic(op.op.getText().charAt(0), node(op.expr(0)), node(op.expr(1)));
        }
        if (context instanceof Addsub_opContext op) {
            return new Node.Arithmetic(op.op.getText().charAt(0), node(op.expr(0)), node(op.expr(1)));
        }
        if (context instanceof Concat_opContext op) {
            return new Node.Concat(node(op.expr(0)), node(op.expr(1)));
        }
        if (context instanceof Comp_opContext op) {
            String operator = op.op.getText();
            Node lhs = node(op.expr(0));
            Node rhs = node(op.expr(1));
            return switch (operator) {
                case "=" -> new Node.Equality(true, lhs, rhs);
                case "!=" -> new Node.Equality(false, lhs, rhs);
                default -> new Node.Comparison(operator, lhs, rhs);
            };
        }
        if (context instanceof MembershipContext op) {
            return new Node.In(node(op.expr(0)), node(op.expr(1)));
        }
        if (context instanceof LogandContext op) {
            return new Node.And(node(op.expr(0)), node(op.expr(1)));
        }
        if (context instanceof LogorContext op) {
            return new Node.Or(node(op.expr(0)), node(op.expr(1)));
        }
        if (context instanceof ConditionalContext op) {
            return new Node.Conditional(node(op.expr(0)), node(op.expr(1)), op.expr().size() > 2 ? node(op.expr(2)) : null);
        }
        if (context instanceof ParensContext parens) {
            needsScope = true;
            List<Node> expressions = new ArrayList<>();
            for (ExprContext expr : parens.expr()) {
                expressions.add(node(expr));
            }
            return new Node.Block(expressions.toArray(new Node[0]));
        }
        if (context instanceof Var_assignContext assign) {
            needsScope = true;
            String name = variable(assign.VAR_ID().getText());
            Node value = assign.FUNCTIONID() != null
                    ? lambda(assign.varList(), assign.exprList())
                    : node(assign.expr());
            return new Node.Assign(name, value);
        }
        if (context instanceof Function_declContext decl) {
            return lambda(decl.varList(), decl.exprList());
        }
        if (context instanceof Function_execContext exec) {
            Node lambda = lambda(exec.varList(), exec.exprList());
            return new Node.Call(lambda, arguments(exec.exprValues()));
        }
        if (context instanceof Function_callContext call) {
            String name = variable(call.VAR_ID().getText());
            if (!bound.contains(name)) {
                Builtins.Builtin builtin = Builtins.get(name);
                if (builtin == null) {
                    throw new NotCompiled("function $" + name);
                }
                needsScope |= name.equals("sift") || name.equals("map") || name.equals("filter")
                        || name.equals("replace") || name.equals("pad");
            }
            Node[] args = call.exprValues() == null ? new Node[0] : arguments(call.exprValues());
            checkCall(name, args);
            // a built-in that nothing in the expression can rebind is called directly
            Node function = bound.contains(name) ? new Node.Variable(name) : new Node.Literal(Builtins.get(name));
            return new Node.Call(function, args);
        }
        if (context instanceof Fct_chainContext chain) {
            Node rhs = node(chain.expr(1));
            return new Node.Chain(node(chain.expr(0)), rhs);
        }
        if (context instanceof Regular_expressionContext regex) {
            return new Node.Literal(RegexFn.compile(regexText(text(regex)), false, false));
        }
        if (context instanceof Regular_expression_caseinsensitiveContext regex) {
            return new Node.Literal(RegexFn.compile(regexText(text(regex)), true, false));
        }
        if (context instanceof Regular_expression_multilineContext regex) {
            return new Node.Literal(RegexFn.compile(regexText(text(regex)), false, true));
        }
        throw new NotCompiled(construct(context));
    }

    private void checkCall(String name, Node[] args) {
        if (bound.contains(name)) {
            return;
        }
        if (name.equals("string") && args.length > 1) {
            throw new NotCompiled("$string with a prettify argument");
        }
        if ((name.equals("contains") || name.equals("match") || name.equals("split")) && args.length > 1
                && !isPatternSafe(args[1])) {
            throw new NotCompiled("$" + name + " with a pattern that is neither a string nor a regex literal");
        }
        if (name.equals("replace") && args.length > 1 && !isPatternSafe(args[1])) {
            throw new NotCompiled("$replace with a pattern that is neither a string nor a regex literal");
        }
    }

    /** A pattern argument that can only be a string or a regex literal: no variables, lambdas or calls. */
    private static boolean isPatternSafe(Node pattern) {
        return pattern instanceof Node.Literal || pattern instanceof Node.Path || pattern instanceof Node.Concat;
    }

    private static String construct(ExprContext context) {
        if (context instanceof DescendantContext) {
            return "the descendant operator **";
        }
        if (context instanceof Parent_pathContext || context instanceof Parent_path_solitaryContext) {
            return "the parent operator %";
        }
        if (context instanceof Op_orderbyContext) {
            return "the order-by operator ^(...)";
        }
        if (context instanceof To_arrayContext) {
            return "the keep-array operator []";
        }
        if (context instanceof ObjectContext) {
            return "the group-by operator {...} after an expression";
        }
        return context.getClass().getSimpleName().replace("Context", "");
    }

    private Node lambda(VarListContext params, ExprListContext body) {
        needsScope = true;
        if (body != null && callsAssigned(body)) {
            throw new NotCompiled("a function that calls an assigned function (recursion)");
        }
        if (body == null || body.expr().size() != 1) {
            throw new NotCompiled("a function body that is not one expression");
        }
        List<String> names = new ArrayList<>();
        for (TerminalNode id : params.VAR_ID()) {
            names.add(variable(id.getText()));
        }
        return new Node.LambdaDefinition(names.toArray(new String[0]), node(body.expr(0)));
    }

    private Node[] arguments(ExprValuesContext values) {
        if (values.exprOrSeq() != null && !values.exprOrSeq().isEmpty() || values.getChildCount() > 3) {
            throw new NotCompiled("a function call with a trailing argument list");
        }
        List<Node> args = new ArrayList<>();
        for (ExprContext expr : values.exprList().expr()) {
            args.add(node(expr));
        }
        return args.toArray(new Node[0]);
    }

    private Node.ArrayConstructor arrayConstructor(Array_constructorContext array, boolean cons) {
        List<Node> items = new ArrayList<>();
        List<Boolean> nested = new ArrayList<>();
        if (array.exprOrSeqList() != null) {
            for (ExprOrSeqContext item : array.exprOrSeqList().exprOrSeq()) {
                if (item.seq() != null) {
                    needsScope = true;
                    items.add(new Node.Range(node(item.seq().expr(0)), node(item.seq().expr(1))));
                    nested.add(false);
                } else {
                    items.add(node(item.expr()));
                    nested.add(item.expr() instanceof Array_constructorContext);
                }
            }
        }
        boolean[] flags = new boolean[nested.size()];
        for (int i = 0; i < flags.length; i++) {
            flags[i] = nested.get(i);
        }
        return new Node.ArrayConstructor(items.toArray(new Node[0]), flags, cons);
    }

    /** An array constructor of literals only is built once: its value never changes. */
    private Node constantArray(Node.ArrayConstructor array) {
        if (array.cons) {
            return array;
        }
        for (int i = 0; i < array.items.length; i++) {
            if (!(array.items[i] instanceof Node.Literal literal) || literal.value instanceof Fn
                    || array.nested[i] || literal.value instanceof Seq) {
                return array;
            }
        }
        @SuppressWarnings("unchecked")
        List<Object> items = (List<Object>) array.eval(null, null);
        return new Node.Literal(java.util.Collections.unmodifiableList(items));
    }

    private Node objectConstructor(FieldListContext fields) {
        List<Node> keys = new ArrayList<>();
        List<Node> values = new ArrayList<>();
        if (fields != null) {
            // children: key ':' value (',' key ':' value)*
            for (int i = 0; i < fields.getChildCount(); i += 4) {
                ParseTree key = fields.getChild(i);
                ParseTree value = fields.getChild(i + 2);
                keys.add(key instanceof TerminalNode terminal ? new Node.Literal(unquote(terminal.getText()))
                        : node((ExprContext) key));
                values.add(node((ExprContext) value));
            }
        }
        return new Node.ObjectConstructor(keys.toArray(new Node[0]), values.toArray(new Node[0]));
    }

    /**
     * The steps of a path, as JSONata builds them: a name or a {@code .} is a path; a predicate on a
     * path filters its last step; string literals in a path are field names. {@code null} when the
     * expression is not a path.
     */
    private List<Node.Step> asPath(ExprContext context) {
        if (context instanceof IdContext id) {
            List<Node.Step> steps = new ArrayList<>();
            steps.add(new Node.Step(new Node.Name(name(id.ID().getText()))));
            return steps;
        }
        if (context instanceof PathContext path) {
            List<Node.Step> steps = new ArrayList<>(stepsOf(path.expr(0)));
            steps.addAll(stepsOf(path.expr(1)));
            return steps;
        }
        if (context instanceof ArrayContext array) {
            List<Node.Step> steps = asPath(array.expr(0));
            if (steps == null) {
                return null;
            }
            steps.get(steps.size() - 1).stages.add(node(array.expr(1)));
            return steps;
        }
        return null;
    }

    private List<Node.Step> stepsOf(ExprContext context) {
        List<Node.Step> steps = asPath(context);
        if (steps != null) {
            return steps;
        }
        List<Node.Step> single = new ArrayList<>();
        if (context instanceof StringContext string) {
            single.add(new Node.Step(new Node.Name(unquote(string.STRING().getText()))));
        } else if (context instanceof NumberContext || context instanceof BooleanContext || context instanceof NullContext) {
            throw new NotCompiled("a literal number, boolean or null as a path step");
        } else if (context instanceof Array_constructorContext array) {
            single.add(new Node.Step(arrayConstructor(array, false)));
        } else {
            single.add(new Node.Step(node(context)));
        }
        return single;
    }

    private Node path(List<Node.Step> steps) {
        Node.Step first = steps.get(0);
        if (first.expr instanceof Node.ArrayConstructor array) {
            Node.Step cons = new Node.Step(array.asCons());
            cons.stages.addAll(first.stages);
            steps.set(0, cons);
        }
        Node.Step last = steps.get(steps.size() - 1);
        if (steps.size() > 1 && last.expr instanceof Node.ArrayConstructor array) {
            Node.Step cons = new Node.Step(array.asCons());
            cons.stages.addAll(last.stages);
            steps.set(steps.size() - 1, cons);
        }
        return new Node.Path(steps);
    }

    private static String name(String id) {
        return id.startsWith("`") ? id.substring(1, id.length() - 1) : id;
    }

    /** The pattern of a regex literal's source text ({@code /pattern/flags}). */
    private static String regexText(String literal) {
        int end = literal.lastIndexOf('/');
        return literal.substring(1, end);
    }

    /** A string token's value: quotes removed, JSON escapes resolved. */
    static String unquote(String token) {
        StringBuilder out = new StringBuilder(token.length());
        for (int i = 1; i < token.length() - 1; i++) {
            char c = token.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = token.charAt(++i);
            switch (next) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(token.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}
