package dev.kontract.core.rules.jsonata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A compiled JSONata expression node: evaluates against an input value in a scope, with JSONata's
 * semantics (see the jsonata-js reference implementation, whose behaviour each node follows). Every
 * node returns its value with one-item result sequences collapsed, as JSONata's {@code evaluate}
 * does. Nodes are immutable and shared by all threads.
 */
abstract class Node {

    abstract Object eval(Object input, Env env);

    /** JSONata's end-of-evaluate rule: an empty sequence is undefined, a one-item sequence its item. */
    static Object collapse(Object result) {
        if (result instanceof Seq seq && seq.sequence) {
            if (seq.isEmpty()) {
                return null;
            }
            if (seq.size() == 1 && !seq.keepSingleton) {
                return seq.get(0);
            }
        }
        return result;
    }

    /** Iterates an array value: a {@code Seq} holds values already, other arrays are read through {@link Values}. */
    static Object itemOf(Object array, int i) {
        return Values.item(array, i);
    }

    // ---- leaves ----

    static final class Literal extends Node {
        final Object value;

        Literal(Object value) {
            this.value = value;
        }

        @Override
        Object eval(Object input, Env env) {
            return value;
        }
    }

    /** A field name: looked up in an object, or in every object of an array, flattened. */
    static final class Name extends Node {
        final String key;
        /** The Protobuf field of this name in the message type read last: looking it up by name allocates. */
        private volatile ProtobufField lastProtobufField;

        /** Keyed by the generated class, or by the descriptor for dynamic messages. */
        private record ProtobufField(Object type, ProtobufAccessors.Accessor accessor) {}

        Name(String key) {
            this.key = key;
        }

        @Override
        Object eval(Object input, Env env) {
            return collapse(lookup(input));
        }

        Object lookup(Object input) {
            if (input instanceof JsonNode node) {
                if (node instanceof tools.jackson.databind.node.ObjectNode) {
                    return Values.ofNode(node.get(key));
                }
                if (!(node instanceof tools.jackson.databind.node.ArrayNode)) {
                    return null;
                }
            } else if (input instanceof org.apache.avro.generic.GenericData.Record record) {
                org.apache.avro.Schema.Field field = record.getSchema().getField(key);
                return field == null ? null : Values.of(record.get(field.pos()));
            } else if (input instanceof com.google.protobuf.GeneratedMessage generated) {
                ProtobufField last = lastProtobufField;
                return last != null && last.type() == generated.getClass() ? last.accessor().read(generated)
                        : protobufField(generated);
            } else if (input instanceof com.google.protobuf.Message message) {
                return protobufField(message);
            }
            if (Values.isArray(input)) {
                return lookupEach(input);
            }
            return Values.isObject(input) ? Values.field(input, key) : null;
        }

        /** The field of every item of an array, arrays among them flattened. */
        private Seq lookupEach(Object array) {
            Seq result = new Seq(true);
            int size = Values.size(array);
            for (int i = 0; i < size; i++) {
                Object found = lookup(itemOf(array, i));
                if (found != null) {
                    if (Values.isArray(found)) {
                        Values.addAll(result, found);
                    } else {
                        result.add(found);
                    }
                }
            }
            return result;
        }

        /**
         * A field of a Protobuf message, through the accessor of its message type, bound on the first read of
         * that type (kept apart from {@link Name#lookup}, whose common path stays small enough to inline).
         */
        private Object protobufField(com.google.protobuf.Message message) {
            ProtobufField last = lastProtobufField;
            Object type = message instanceof com.google.protobuf.DynamicMessage ? message.getDescriptorForType()
                    : message.getClass();
            if (last == null || last.type() != type) {
                var field = message.getDescriptorForType().findFieldByName(key);
                last = new ProtobufField(type, field == null ? m -> null : ProtobufAccessors.of(message.getClass(), field));
                lastProtobufField = last;
            }
            return last.accessor().read(message);
        }
    }

    /** {@code *}: the values of an object's fields, arrays flattened. */
    static final class Wildcard extends Node {
        @Override
        Object eval(Object input, Env env) {
            Object value = input;
            if (value instanceof Seq seq && seq.sequence && seq.outerWrapper && !seq.isEmpty()) {
                value = seq.get(0);
            }
            Object results = new Seq(true);
            if (Values.isArray(value)) {
                int size = Values.size(value);
                for (int i = 0; i < size; i++) {
                    results = wildcardAdd(results, itemOf(value, i));
                }
            } else if (Values.isObject(value)) {
                for (String key : Values.keys(value)) {
                    results = wildcardAdd(results, Values.field(value, key));
                }
            }
            return collapse(results);
        }

        private static Object wildcardAdd(Object results, Object value) {
            if (Values.isArray(value)) {
                return Values.append(results, flatten(value, new Seq(false)));
            }
            ((Seq) results).add(value);
            return results;
        }

        private static Seq flatten(Object array, Seq into) {
            int size = Values.size(array);
            for (int i = 0; i < size; i++) {
                Object item = itemOf(array, i);
                if (Values.isArray(item)) {
                    flatten(item, into);
                } else {
                    into.add(item);
                }
            }
            return into;
        }
    }

    /** {@code $}: the context item. */
    static final class Context extends Node {
        @Override
        Object eval(Object input, Env env) {
            return collapse(input);
        }
    }

    /** {@code $$}: the evaluation's input. */
    static final class Root extends Node {
        @Override
        Object eval(Object input, Env env) {
            return collapse(env.run.root);
        }
    }

    static final class Variable extends Node {
        final String name;

        Variable(String name) {
            this.name = name;
        }

        @Override
        Object eval(Object input, Env env) {
            return collapse(env.lookup(name));
        }
    }

    // ---- paths and predicates ----

    /** One step of a path, with the predicates ({@code [...]}) that filter its results. */
    static final class Step {
        final Node expr;
        final List<Node> stages = new ArrayList<>();

        Step(Node expr) {
            this.expr = expr;
        }
    }

    static final class Path extends Node {
        final Step[] steps;
        final boolean firstIsVariable;
        final boolean firstIsConsArray;
        /** Every step is a plain field name: objects are walked without building sequences. */
        private final Name[] plainNames;

        Path(List<Step> steps) {
            this.steps = steps.toArray(new Step[0]);
            Node first = this.steps[0].expr;
            this.firstIsVariable = first instanceof Variable || first instanceof Context || first instanceof Root;
            this.firstIsConsArray = first instanceof ArrayConstructor array && array.cons;
            boolean plain = true;
            for (Step step : this.steps) {
                plain &= step.expr instanceof Name && step.stages.isEmpty();
            }
            if (plain) {
                plainNames = new Name[this.steps.length];
                for (int i = 0; i < plainNames.length; i++) {
                    plainNames[i] = (Name) this.steps[i].expr;
                }
            } else {
                plainNames = null;
            }
        }

        @Override
        Object eval(Object input, Env env) {
            if (plainNames != null && plainNames.length == 1 && Values.isObject(input)) {
                return collapse(plainNames[0].lookup(input));
            }
            if (plainNames != null && !Values.isArray(input)) {
                Object current = input;
                for (int i = 0; i < plainNames.length; i++) {
                    current = collapse(plainNames[i].lookup(current));
                    if (current == null) {
                        return null;
                    }
                    if (Values.isArray(current) && i < plainNames.length - 1) {
                        return collapse(walk(current, i + 1, env));
                    }
                }
                return current;
            }
            Object sequence = Values.isArray(input) && !firstIsVariable ? input : Seq.sequenceOf(input);
            return collapse(walk(sequence, 0, env));
        }

        private Object walk(Object sequence, int from, Env env) {
            Object result = null;
            for (int i = from; i < steps.length; i++) {
                if (i == 0 && firstIsConsArray) {
                    result = steps[0].expr.eval(sequence, env);
                } else {
                    result = step(steps[i], sequence, env, i == steps.length - 1);
                }
                if (result == null || Values.size(result) == 0) {
                    break;
                }
                sequence = result;
            }
            return result;
        }

        private static Object step(Step step, Object input, Env env, boolean last) {
            int size = Values.size(input);
            List<Object> results = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                Object result = step.expr.eval(itemOf(input, i), env);
                for (Node stage : step.stages) {
                    result = Filter.filter(stage, result, env);
                }
                if (result != null) {
                    results.add(result);
                }
            }
            if (last && results.size() == 1 && Values.isArray(results.get(0)) && !Values.isSequence(results.get(0))) {
                return results.get(0);
            }
            Seq flat = new Seq(true, results.size());
            for (Object result : results) {
                if (!Values.isArray(result) || result instanceof Seq seq && seq.cons) {
                    flat.add(result);
                } else {
                    Values.addAll(flat, result);
                }
            }
            return flat;
        }
    }

    /** A predicate on an expression that is not a path step. */
    static final class Filter extends Node {
        final Node expr;
        final List<Node> predicates;

        Filter(Node expr, List<Node> predicates) {
            this.expr = expr;
            this.predicates = predicates;
        }

        @Override
        Object eval(Object input, Env env) {
            Object result = expr.eval(input, env);
            for (Node predicate : predicates) {
                result = filter(predicate, result, env);
            }
            return collapse(result);
        }

        static Object filter(Node predicate, Object input, Env env) {
            Object items = Values.isArray(input) ? input : Seq.sequenceOf(input);
            int size = input == null ? 0 : Values.size(items);
            if (input == null) {
                items = Seq.sequenceOf(null);
                size = 1;
            }
            Seq results = new Seq(true);
            if (predicate instanceof Literal literal && literal.value instanceof Number number) {
                int index = (int) Math.floor(number.doubleValue());
                if (index < 0) {
                    index = size + index;
                }
                if (index >= 0 && index < size) {
                    Object item = itemOf(items, index);
                    if (item != null) {
                        if (Values.isArray(item)) {
                            return item;
                        }
                        results.add(item);
                    }
                }
                return results;
            }
            for (int index = 0; index < size; index++) {
                Object item = itemOf(items, index);
                env.run.tick();
                Object result = predicate.eval(item, env);
                if (Values.isNumeric(result)) {
                    result = Seq.sequenceOf(result);
                }
                if (isArrayOfNumbers(result)) {
                    int count = Values.size(result);
                    for (int j = 0; j < count; j++) {
                        int wanted = (int) Math.floor(Values.num(itemOf(result, j)));
                        if (wanted < 0) {
                            wanted = size + wanted;
                        }
                        if (wanted == index) {
                            results.add(item);
                        }
                    }
                } else if (Values.isTrue(result)) {
                    results.add(item);
                }
            }
            return results;
        }

        private static boolean isArrayOfNumbers(Object value) {
            if (!Values.isArray(value)) {
                return false;
            }
            int size = Values.size(value);
            for (int i = 0; i < size; i++) {
                if (!Values.isNumeric(itemOf(value, i))) {
                    return false;
                }
            }
            return true;
        }
    }

    // ---- constructors ----

    static final class ArrayConstructor extends Node {
        final Node[] items;
        final boolean[] nested;
        final boolean cons;

        ArrayConstructor(Node[] items, boolean[] nested, boolean cons) {
            this.items = items;
            this.nested = nested;
            this.cons = cons;
        }

        ArrayConstructor asCons() {
            return new ArrayConstructor(items, nested, true);
        }

        @Override
        Object eval(Object input, Env env) {
            Seq result = new Seq(false, items.length);
            for (int i = 0; i < items.length; i++) {
                Object value = items[i].eval(input, env);
                if (value != null) {
                    if (nested[i]) {
                        result.add(value);
                    } else {
                        Values.addAll(result, value);
                    }
                }
            }
            result.cons = cons;
            return result;
        }
    }

    static final class Range extends Node {
        final Node from;
        final Node to;

        Range(Node from, Node to) {
            this.from = from;
            this.to = to;
        }

        @Override
        Object eval(Object input, Env env) {
            Object lo = from.eval(input, env);
            Object hi = to.eval(input, env);
            if (lo != null && !isInteger(lo)) {
                throw new JsonataError("T2003", "the left side of the range operator (..) must evaluate to an integer");
            }
            if (hi != null && !isInteger(hi)) {
                throw new JsonataError("T2004", "the right side of the range operator (..) must evaluate to an integer");
            }
            if (lo == null || hi == null) {
                return null;
            }
            long low = (long) Values.num(lo);
            long high = (long) Values.num(hi);
            if (low > high) {
                return null;
            }
            if (high - low + 1 > 10_000_000L) {
                throw new JsonataError("D2014", "the size of the sequence allocated by the range operator (..) must not exceed 1e7");
            }
            Seq result = new Seq(false, (int) (high - low + 1));
            for (long i = low; i <= high; i++) {
                if ((i & 0xfff) == 0) {
                    env.run.tick();
                }
                result.add(Values.number((double) i));
            }
            return result;
        }

        private static boolean isInteger(Object value) {
            return value instanceof Number n && Values.isNumeric(value) && n.doubleValue() == Math.rint(n.doubleValue());
        }
    }

    /** An object constructor, grouping an array input by key as JSONata does. */
    static final class ObjectConstructor extends Node {
        final Node[] keys;
        final Node[] values;

        ObjectConstructor(Node[] keys, Node[] values) {
            this.keys = keys;
            this.values = values;
        }

        private static final class Group {
            Object data;
            final int index;

            Group(Object data, int index) {
                this.data = data;
                this.index = index;
            }
        }

        @Override
        Object eval(Object input, Env env) {
            Object items = Values.isArray(input) ? input : Seq.sequenceOf(input);
            int size = Values.size(items);
            if (size == 0) {
                items = Seq.sequenceOf(null);
                size = 1;
            }
            Map<String, Group> groups = new LinkedHashMap<>();
            for (int i = 0; i < size; i++) {
                Object item = itemOf(items, i);
                for (int k = 0; k < keys.length; k++) {
                    Object key = keys[k].eval(item, env);
                    if (key == null) {
                        continue;
                    }
                    if (!(key instanceof String name)) {
                        throw new JsonataError("T1003", "key in object structure must evaluate to a string");
                    }
                    Group group = groups.get(name);
                    if (group == null) {
                        groups.put(name, new Group(item, k));
                    } else {
                        if (group.index != k) {
                            throw new JsonataError("D1009", "multiple key definitions evaluate to the same key");
                        }
                        group.data = Values.append(group.data, item);
                    }
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            for (Map.Entry<String, Group> entry : groups.entrySet()) {
                Object value = values[entry.getValue().index].eval(entry.getValue().data, env);
                if (value != null) {
                    result.put(entry.getKey(), value);
                }
            }
            return result;
        }
    }

    // ---- operators ----

    /** An operator with two operands. */
    abstract static class Binary extends Node {
        final Node lhs;
        final Node rhs;

        Binary(Node lhs, Node rhs) {
            this.lhs = lhs;
            this.rhs = rhs;
        }
    }

    static final class Arithmetic extends Binary {
        final char op;

        Arithmetic(char op, Node lhs, Node rhs) {
            super(lhs, rhs);
            this.op = op;
        }

        @Override
        Object eval(Object input, Env env) {
            Object left = lhs.eval(input, env);
            Object right = rhs.eval(input, env);
            if (left != null && !Values.isNumeric(left)) {
                throw new JsonataError("T2001", "the left side of the " + op + " operator must evaluate to a number");
            }
            if (right != null && !Values.isNumeric(right)) {
                throw new JsonataError("T2002", "the right side of the " + op + " operator must evaluate to a number");
            }
            if (left == null || right == null) {
                return null;
            }
            double a = Values.num(left);
            double b = Values.num(right);
            double result = switch (op) {
                case '+' -> a + b;
                case '-' -> a - b;
                case '*' -> a * b;
                case '/' -> a / b;
                default -> a % b;
            };
            return Values.number(result);
        }
    }

    static final class Negate extends Node {
        final Node operand;

        Negate(Node operand) {
            this.operand = operand;
        }

        @Override
        Object eval(Object input, Env env) {
            Object value = operand.eval(input, env);
            if (value == null) {
                return null;
            }
            if (!Values.isNumeric(value)) {
                throw new JsonataError("D1002", "cannot negate a non-numeric value");
            }
            return Values.number(-Values.num(value));
        }
    }

    static final class Equality extends Binary {
        final boolean equal;

        Equality(boolean equal, Node lhs, Node rhs) {
            super(lhs, rhs);
            this.equal = equal;
        }

        @Override
        Object eval(Object input, Env env) {
            Object left = lhs.eval(input, env);
            Object right = rhs.eval(input, env);
            if (left == null || right == null) {
                return Boolean.FALSE;
            }
            return Values.deepEquals(left, right) == equal;
        }
    }

    static final class Comparison extends Binary {
        final String op;

        Comparison(String op, Node lhs, Node rhs) {
            super(lhs, rhs);
            this.op = op;
        }

        @Override
        Object eval(Object input, Env env) {
            Object left = lhs.eval(input, env);
            Object right = rhs.eval(input, env);
            boolean leftComparable = left == null || left instanceof String || left instanceof Number;
            boolean rightComparable = right == null || right instanceof String || right instanceof Number;
            if (!leftComparable || !rightComparable) {
                throw new JsonataError("T2010", "the expressions either side of operator " + op
                        + " must evaluate to numeric or string values");
            }
            if (left == null || right == null) {
                return null;
            }
            int order;
            if (left instanceof Number a && right instanceof Number b) {
                double x = a.doubleValue();
                double y = b.doubleValue();
                switch (op) {
                    case "<": return x < y;
                    case "<=": return x <= y;
                    case ">": return x > y;
                    default: return x >= y;
                }
            } else if (left instanceof String a && right instanceof String b) {
                order = a.compareTo(b);
            } else {
                throw new JsonataError("T2009", "the values either side of operator " + op + " must be of the same data type");
            }
            switch (op) {
                case "<": return order < 0;
                case "<=": return order <= 0;
                case ">": return order > 0;
                default: return order >= 0;
            }
        }
    }

    static final class And extends Binary {

        And(Node lhs, Node rhs) {
            super(lhs, rhs);
        }

        @Override
        Object eval(Object input, Env env) {
            return Values.isTrue(lhs.eval(input, env)) && Values.isTrue(rhs.eval(input, env));
        }
    }

    static final class Or extends Binary {

        Or(Node lhs, Node rhs) {
            super(lhs, rhs);
        }

        @Override
        Object eval(Object input, Env env) {
            return Values.isTrue(lhs.eval(input, env)) || Values.isTrue(rhs.eval(input, env));
        }
    }

    static final class In extends Binary {

        /** The strings of a literal array on the right, for a lookup instead of a scan. */
        private final java.util.Set<String> constantStrings;

        In(Node lhs, Node rhs) {
            super(lhs, rhs);
            java.util.Set<String> strings = null;
            if (rhs instanceof Literal literal && literal.value instanceof List<?> list
                    && list.stream().allMatch(item -> item instanceof String)) {
                strings = new java.util.HashSet<>();
                for (Object item : list) {
                    strings.add((String) item);
                }
            }
            constantStrings = strings;
        }

        @Override
        Object eval(Object input, Env env) {
            Object left = lhs.eval(input, env);
            if (constantStrings != null) {
                return left instanceof String s && constantStrings.contains(s);
            }
            Object right = rhs.eval(input, env);
            if (left == null || right == null) {
                return Boolean.FALSE;
            }
            if (!Values.isArray(right)) {
                return Values.strictEquals(left, right);
            }
            int size = Values.size(right);
            for (int i = 0; i < size; i++) {
                if (Values.strictEquals(itemOf(right, i), left)) {
                    return Boolean.TRUE;
                }
            }
            return Boolean.FALSE;
        }
    }

    static final class Concat extends Binary {

        Concat(Node lhs, Node rhs) {
            super(lhs, rhs);
        }

        @Override
        Object eval(Object input, Env env) {
            Object left = lhs.eval(input, env);
            Object right = rhs.eval(input, env);
            return (left == null ? "" : Values.string(left)) + (right == null ? "" : Values.string(right));
        }
    }

    static final class Conditional extends Node {
        final Node condition;
        final Node then;
        final Node otherwise;

        Conditional(Node condition, Node then, Node otherwise) {
            this.condition = condition;
            this.then = then;
            this.otherwise = otherwise;
        }

        @Override
        Object eval(Object input, Env env) {
            if (Values.isTrue(condition.eval(input, env))) {
                return then.eval(input, env);
            }
            return otherwise == null ? null : otherwise.eval(input, env);
        }
    }

    // ---- blocks, variables, functions ----

    static final class Block extends Node {
        final Node[] expressions;

        Block(Node[] expressions) {
            this.expressions = expressions;
        }

        @Override
        Object eval(Object input, Env env) {
            Env scope = env.child();
            Object result = null;
            for (Node expression : expressions) {
                result = expression.eval(input, scope);
            }
            return result;
        }
    }

    static final class Assign extends Node {
        final String name;
        final Node value;

        Assign(String name, Node value) {
            this.name = name;
            this.value = value;
        }

        @Override
        Object eval(Object input, Env env) {
            Object result = value.eval(input, env);
            env.bind(name, result);
            return result;
        }
    }

    static final class LambdaDefinition extends Node {
        final String[] params;
        final Node body;

        LambdaDefinition(String[] params, Node body) {
            this.params = params;
            this.body = body;
        }

        @Override
        Object eval(Object input, Env env) {
            return new Lambda(this, input, env);
        }
    }

    /** A lambda closed over its scope and context item. */
    static final class Lambda implements Fn {
        private final LambdaDefinition definition;
        private final Object input;
        private final Env closure;

        Lambda(LambdaDefinition definition, Object input, Env closure) {
            this.definition = definition;
            this.input = input;
            this.closure = closure;
        }

        @Override
        public Object apply(Object[] args, Object context, Env env) {
            Env.Run run = closure.run;
            run.enter();
            try {
                Env scope = closure.child();
                String[] params = definition.params;
                for (int i = 0; i < params.length; i++) {
                    scope.bind(params[i], i < args.length ? args[i] : null);
                }
                return definition.body.eval(input, scope);
            } finally {
                run.exit();
            }
        }

        @Override
        public int arity() {
            return definition.params.length;
        }
    }

    static final class Call extends Node {
        final Node function;
        final Node[] args;

        Call(Node function, Node[] args) {
            this.function = function;
            this.args = args;
        }

        @Override
        Object eval(Object input, Env env) {
            Object callee = function.eval(input, env);
            if (args.length == 1 && callee instanceof Builtins.Builtin builtin) {
                return collapse(builtin.applyOne(args[0].eval(input, env), input, env));
            }
            Object[] values = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                values[i] = args[i].eval(input, env);
            }
            return invoke(callee, values, input, env);
        }

        static Object invoke(Object callee, Object[] values, Object input, Env env) {
            if (!(callee instanceof Fn fn)) {
                throw new JsonataError("T1006", "attempted to invoke a non-function");
            }
            return collapse(fn.apply(values, input, env));
        }
    }

    /** {@code $f ~> $g}: a function of one argument applying {@code $f}, then {@code $g}. */
    static final class Composition implements Fn {
        private final Fn first;
        private final Fn second;

        Composition(Fn first, Fn second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public Object apply(Object[] args, Object context, Env env) {
            Object intermediate = collapse(first.apply(new Object[] {args.length > 0 ? args[0] : null}, null, env));
            return collapse(second.apply(new Object[] {intermediate}, null, env));
        }

        @Override
        public int arity() {
            return 1;
        }
    }

    /** {@code value ~> $f(args)}: calls {@code $f(value, args)}. */
    static final class Chain extends Binary {

        Chain(Node lhs, Node rhs) {
            super(lhs, rhs);
        }

        @Override
        Object eval(Object input, Env env) {
            Object value = lhs.eval(input, env);
            if (rhs instanceof Call call) {
                Object callee = call.function.eval(input, env);
                Object[] values = new Object[call.args.length + 1];
                values[0] = value;
                for (int i = 0; i < call.args.length; i++) {
                    values[i + 1] = call.args[i].eval(input, env);
                }
                return Call.invoke(callee, values, input, env);
            }
            Object function = rhs.eval(input, env);
            if (!(function instanceof Fn second)) {
                throw new JsonataError("T2006", "the right side of the function application operator ~> must be a function");
            }
            if (value instanceof Fn first) {
                return new Composition(first, second);
            }
            return Call.invoke(function, new Object[] {value}, input, env);
        }
    }
}
