package dev.kontract.core.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a record-to-record {@code TRANSFORM} does to the top-level fields of a record, when that is
 * all it does: keep the input's other fields (or not), drop some, and set others from a field of the
 * input or a constant. {@code $merge([$sift($, function($v, $k) {$k != 'ssn'}), {'national_id': $.'ssn'}])}
 * keeps every field but {@code ssn} and sets {@code national_id} from {@code ssn}.
 *
 * <p>Each assigned field has a list of sources: its value is the first that is defined. On an object,
 * {@link #apply} gives exactly what the expression gives: the kept fields in the input's order, then
 * each assigned field whose value is defined (replacing a kept field of that name in place). Mappings
 * of consecutive migration steps {@link #then compose} into one, which gives the same values (not
 * necessarily the same field order), so a chain of steps runs as one pass over a native record.
 * Immutable.
 */
public final class FieldMapping {

    /** Where an assigned field's value comes from: a field of the input, or a constant. */
    public sealed interface Source permits Copy, Constant {}

    /** The value of the input's field {@code field}; undefined when the input lacks it. */
    public record Copy(String field) implements Source {
        public Copy {
            Objects.requireNonNull(field, "field");
        }
    }

    /** A constant value. */
    public record Constant(JsonNode value) implements Source {
        public Constant {
            Objects.requireNonNull(value, "value");
        }
    }

    private final boolean keepRest;
    private final Set<String> dropped;
    private final Map<String, List<Source>> assignments;

    /**
     * @param keepRest whether the input's fields that are not dropped carry over
     * @param dropped fields that do not carry over when {@code keepRest}
     * @param assignments fields set from their first defined source, in order
     */
    public FieldMapping(boolean keepRest, Set<String> dropped, Map<String, List<Source>> assignments) {
        this.keepRest = keepRest;
        this.dropped = Collections.unmodifiableSet(new LinkedHashSet<>(dropped));
        Map<String, List<Source>> copy = new LinkedHashMap<>();
        assignments.forEach((field, sources) -> copy.put(field, List.copyOf(sources)));
        this.assignments = Collections.unmodifiableMap(copy);
    }

    public boolean keepRest() {
        return keepRest;
    }

    public Set<String> dropped() {
        return dropped;
    }

    public Map<String, List<Source>> assignments() {
        return assignments;
    }

    /** Whether the input's field {@code field} carries over under its own name when nothing is assigned to it. */
    public boolean carries(String field) {
        return keepRest && !dropped.contains(field);
    }

    /**
     * Where output field {@code field} takes its value from, given the fields the input always has
     * ({@code present}): the first of its sources that is a constant or a present field, else the
     * input's own field of that name when it carries over. Empty when the output lacks the field.
     */
    public java.util.Optional<Source> sourceOf(String field, Predicate<String> present) {
        for (Source source : assignments.getOrDefault(field, List.of())) {
            if (source instanceof Constant || present.test(((Copy) source).field())) {
                return java.util.Optional.of(source);
            }
        }
        return carries(field) && present.test(field) ? java.util.Optional.of(new Copy(field)) : java.util.Optional.empty();
    }

    /** Every source that may give output field {@code field} a value, in order (the field itself last when it carries over). */
    public List<Source> candidates(String field) {
        List<Source> candidates = new ArrayList<>(assignments.getOrDefault(field, List.of()));
        if (carries(field)) {
            candidates.add(new Copy(field));
        }
        return candidates;
    }

    /** Applies the mapping to a JSON object, sharing the input's field values. */
    public ObjectNode apply(ObjectNode input) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        if (keepRest) {
            for (Map.Entry<String, JsonNode> field : input.properties()) {
                if (!dropped.contains(field.getKey())) {
                    result.set(field.getKey(), field.getValue());
                }
            }
        }
        for (Map.Entry<String, List<Source>> assignment : assignments.entrySet()) {
            for (Source source : assignment.getValue()) {
                JsonNode value = source instanceof Copy copy ? input.get(copy.field()) : ((Constant) source).value();
                if (value != null && !value.isMissingNode()) {
                    result.set(assignment.getKey(), value);
                    break;
                }
            }
        }
        return result;
    }

    /** The mapping that keeps every field as it is. */
    public static FieldMapping identity() {
        return new FieldMapping(true, Set.of(), Map.of());
    }

    /**
     * Consecutive mappings as one, or empty when any of them is empty (that step is no field mapping)
     * or there are none.
     */
    public static java.util.Optional<FieldMapping> composeAll(List<java.util.Optional<FieldMapping>> steps) {
        FieldMapping composed = null;
        for (java.util.Optional<FieldMapping> step : steps) {
            if (step.isEmpty()) {
                return java.util.Optional.empty();
            }
            composed = composed == null ? step.get() : composed.then(step.get());
        }
        return java.util.Optional.ofNullable(composed);
    }

    /** This mapping, then {@code next} on its result, as one mapping (same values; field order may differ). */
    public FieldMapping then(FieldMapping next) {
        Map<String, List<Source>> composed = new LinkedHashMap<>();
        for (Map.Entry<String, List<Source>> assignment : next.assignments.entrySet()) {
            List<Source> chain = new ArrayList<>();
            for (Source source : assignment.getValue()) {
                if (source instanceof Constant) {
                    chain.add(source);
                    break;
                }
                chain.addAll(candidates(((Copy) source).field()));
            }
            if (next.carries(assignment.getKey())) {
                chain.addAll(assignments.getOrDefault(assignment.getKey(), List.of()));
            }
            composed.put(assignment.getKey(), chain);
        }
        for (Map.Entry<String, List<Source>> assignment : assignments.entrySet()) {
            if (!composed.containsKey(assignment.getKey()) && next.carries(assignment.getKey())) {
                composed.put(assignment.getKey(), assignment.getValue());
            }
        }
        Set<String> composedDropped = new LinkedHashSet<>(dropped);
        composedDropped.addAll(next.dropped);
        return new FieldMapping(keepRest && next.keepRest, composedDropped, composed);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FieldMapping that && keepRest == that.keepRest && dropped.equals(that.dropped)
                && assignments.equals(that.assignments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keepRest, dropped, assignments);
    }

    @Override
    public String toString() {
        return (keepRest ? "keep all" + (dropped.isEmpty() ? "" : " but " + dropped) : "keep none") + ", set "
                + assignments;
    }
}
