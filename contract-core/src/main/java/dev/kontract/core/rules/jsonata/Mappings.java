package dev.kontract.core.rules.jsonata;

import dev.kontract.core.rules.FieldMapping;
import dev.kontract.core.rules.FieldMapping.Constant;
import dev.kontract.core.rules.FieldMapping.Copy;
import dev.kontract.core.rules.FieldMapping.Source;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises the compiled transforms that are field mappings: an object constructor with literal keys
 * ({@code {'a': b, 'c': 'constant'}}) and {@code $merge([$ or $sift($, function($v, $k) {KEYTEST}),
 * {...}])}, where each value is a field of the input ({@code b},
 * {@code $.b}, {@code $.'b'}) or a literal, and KEYTEST compares only the key with string literals
 * to drop fields ({@code $k != 'a'}, {@code $k != 'a' and $k != 'b'}, {@code $not($k in ['a', 'b'])}).
 */
final class Mappings {

    private Mappings() {}

    static Optional<FieldMapping> of(Node root) {
        try {
            return Optional.ofNullable(mapping(root));
        } catch (ClassCastException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    private static FieldMapping mapping(Node node) {
        if (node instanceof Node.ObjectConstructor object) {
            Map<String, List<Source>> assignments = assignments(object);
            return assignments == null ? null : new FieldMapping(false, Set.of(), assignments);
        }
        // a lone $sift is no mapping: on a record it keeps nothing of, it is undefined, not {}
        if (isCall(node, "merge")) {
            Node.Call merge = (Node.Call) node;
            if (merge.args.length != 1 || !(merge.args[0] instanceof Node.ArrayConstructor array) || array.items.length != 2
                    || array.nested[0] || array.nested[1] || !(array.items[1] instanceof Node.ObjectConstructor object)) {
                return null;
            }
            FieldMapping base;
            if (array.items[0] instanceof Node.Context) {
                base = new FieldMapping(true, Set.of(), Map.of());
            } else if (isCall(array.items[0], "sift")) {
                base = sift((Node.Call) array.items[0]);
            } else {
                return null;
            }
            if (base == null) {
                return null;
            }
            Map<String, List<Source>> assignments = new LinkedHashMap<>(base.assignments());
            Map<String, List<Source>> added = assignments(object);
            if (added == null) {
                return null;
            }
            added.forEach((key, sources) -> {
                List<Source> chain = new java.util.ArrayList<>(sources);
                chain.addAll(assignments.getOrDefault(key, List.of()));
                assignments.put(key, chain);
            });
            return new FieldMapping(base.keepRest(), base.dropped(), assignments);
        }
        return null;
    }

    private static boolean isCall(Node node, String function) {
        return node instanceof Node.Call call && call.function instanceof Node.Literal literal
                && literal.value == Builtins.get(function) && literal.value != null;
    }

    private static Map<String, List<Source>> assignments(Node.ObjectConstructor object) {
        Map<String, List<Source>> assignments = new LinkedHashMap<>();
        for (int i = 0; i < object.keys.length; i++) {
            if (!(object.keys[i] instanceof Node.Literal key) || !(key.value instanceof String name)
                    || assignments.containsKey(name)) {
                return null;
            }
            Source source = source(object.values[i]);
            if (source == null) {
                return null;
            }
            assignments.put(name, List.of(source));
        }
        return assignments;
    }

    private static Source source(Node value) {
        if (value instanceof Node.Literal literal && !(literal.value instanceof Fn)) {
            return new Constant(Values.toJson(literal.value));
        }
        if (value instanceof Node.Path path) {
            Node.Step[] steps = path.steps;
            int first = steps.length == 2 && steps[0].expr instanceof Node.Context && steps[0].stages.isEmpty() ? 1 : 0;
            if (steps.length - first == 1 && steps[first].expr instanceof Node.Name name && steps[first].stages.isEmpty()) {
                return new Copy(name.key);
            }
        }
        return null;
    }

    /** {@code $sift($, function($v, $k) {KEYTEST})}: the fields KEYTEST keeps. */
    private static FieldMapping sift(Node.Call call) {
        if (call.args.length != 2 || !(call.args[0] instanceof Node.Context)
                || !(call.args[1] instanceof Node.LambdaDefinition lambda) || lambda.params.length != 2) {
            return null;
        }
        String key = lambda.params[1];
        Set<String> dropped = new LinkedHashSet<>();
        if (droppedKeys(lambda.body, key, lambda.params[0], dropped)) {
            return new FieldMapping(true, dropped, Map.of());
        }
        return null;
    }

    /** {@code $k != 'a'}, conjunctions of those, and {@code $not($k in [...])}. */
    private static boolean droppedKeys(Node test, String key, String value, Set<String> dropped) {
        if (test instanceof Node.Equality equality && !equality.equal) {
            String literal = keyComparison(equality.lhs, equality.rhs, key);
            if (literal != null) {
                dropped.add(literal);
                return true;
            }
            return false;
        }
        if (test instanceof Node.And and) {
            return droppedKeys(and.lhs, key, value, dropped) && droppedKeys(and.rhs, key, value, dropped);
        }
        if (isCall(test, "not") && ((Node.Call) test).args.length == 1 && ((Node.Call) test).args[0] instanceof Node.In in) {
            return membership(in, key, dropped);
        }
        return false;
    }

    private static boolean membership(Node.In in, String key, Set<String> into) {
        if (!(in.lhs instanceof Node.Variable variable) || !variable.name.equals(key)
                || !(in.rhs instanceof Node.Literal literal) || !(literal.value instanceof List<?> list)) {
            return false;
        }
        Set<String> names = new HashSet<>();
        for (Object item : list) {
            if (!(item instanceof String s)) {
                return false;
            }
            names.add(s);
        }
        into.addAll(names);
        return true;
    }

    private static String keyComparison(Node lhs, Node rhs, String key) {
        if (lhs instanceof Node.Variable variable && variable.name.equals(key) && rhs instanceof Node.Literal literal
                && literal.value instanceof String s) {
            return s;
        }
        if (rhs instanceof Node.Variable variable && variable.name.equals(key) && lhs instanceof Node.Literal literal
                && literal.value instanceof String s) {
            return s;
        }
        return null;
    }
}
