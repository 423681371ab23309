package dev.kontract.core.format.jsonschema;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.BinaryNode;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.NumericNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * One schema, compiled: the node's type is switched on once, the keywords of that type run (each
 * group {@code null} when the schema has none), then the keywords of any type ({@code enum},
 * {@code const}) and the applicators ({@code allOf}, {@code $ref}, ...). Immutable once the compiler
 * has resolved its {@code $ref}s.
 *
 * <p>{@link #test} also holds the value to the codec's limits: it is false for a container nested
 * deeper than the limit and for a NaN or infinite number, wherever they are in the value. Either a
 * keyword looks into a container's children (whose checks hold them to the limits in turn), or an
 * applicator that always runs does, or the check walks them itself.
 */
final class SchemaCheck {

    static final int NULL = 1;
    static final int BOOLEAN = 1 << 1;
    static final int OBJECT = 1 << 2;
    static final int ARRAY = 1 << 3;
    static final int STRING = 1 << 4;
    static final int NUMBER = 1 << 5;
    /** Numbers with an integral value; implied by {@link #NUMBER}. */
    static final int INTEGER = 1 << 6;
    static final int ANY = NULL | BOOLEAN | OBJECT | ARRAY | STRING | NUMBER;

    /** {@code true}, or {@code {}}. */
    static final SchemaCheck TRUE = new SchemaCheck(ANY, null, null, null, null, null, null, List.of());
    /** {@code false}. */
    static final SchemaCheck FALSE = new SchemaCheck(0, null, null, null, null, null, null, List.of());

    private final int types;
    private final ObjectKeywords objects;
    private final ArrayKeywords arrays;
    private final StringKeywords strings;
    private final NumberKeywords numbers;
    private final ValueSet allowedValues;
    private final JsonNode constant;
    private final Applicator[] applicators;
    /** Whether no keyword and no applicator that always runs looks into a container's children. */
    private final boolean walksChildren;

    SchemaCheck(int types, ObjectKeywords objects, ArrayKeywords arrays, StringKeywords strings, NumberKeywords numbers,
            ValueSet allowedValues, JsonNode constant, List<Applicator> applicators) {
        this.types = types;
        this.objects = objects;
        this.arrays = arrays;
        this.strings = strings;
        this.numbers = numbers;
        this.allowedValues = allowedValues;
        this.constant = constant;
        this.applicators = applicators.toArray(Applicator[]::new);
        this.walksChildren = applicators.stream().noneMatch(Applicator::looksIntoTheWholeValue);
    }

    /**
     * Whether the value meets the schema and the limits.
     *
     * @param remaining how many more levels of containers the value may nest, itself included: a
     *     container needs at least 0, its children get one less
     */
    boolean test(JsonNode value, int remaining) {
        if (value instanceof StringNode) {
            if ((types & STRING) == 0 || strings != null && !strings.test(value.stringValue())) {
                return false;
            }
        } else if (value instanceof NumericNode) {
            if (!JsonValues.isFinite(value) || !numberAllowed(value) || numbers != null && !numbers.test(value)) {
                return false;
            }
        } else if (value instanceof ObjectNode) {
            if ((types & OBJECT) == 0 || remaining < 0) {
                return false;
            }
            if (objects != null ? !objects.test(value, remaining - 1, remaining)
                    : walksChildren && !JsonValues.childrenWithinLimits(value, remaining - 1)) {
                return false;
            }
        } else if (value instanceof ArrayNode) {
            if ((types & ARRAY) == 0 || remaining < 0) {
                return false;
            }
            if (arrays != null ? !arrays.test(value, remaining - 1)
                    : walksChildren && !JsonValues.childrenWithinLimits(value, remaining - 1)) {
                return false;
            }
        } else if (value instanceof BooleanNode) {
            if ((types & BOOLEAN) == 0) {
                return false;
            }
        } else if (value instanceof BinaryNode) {
            if ((types & STRING) == 0 || strings != null && !strings.test(JsonValues.text(value))) {
                return false;
            }
        } else if ((types & NULL) == 0) {
            return false;
        }
        if (allowedValues != null && !allowedValues.contains(value)
                || constant != null && !JsonValues.equal(constant, value)) {
            return false;
        }
        for (Applicator applicator : applicators) {
            if (!applicator.test(value, remaining)) {
                return false;
            }
        }
        return true;
    }

    private boolean numberAllowed(JsonNode number) {
        return (types & NUMBER) != 0 || (types & INTEGER) != 0 && JsonValues.isIntegral(number);
    }

    /** The applicators, for the compiler's check for cycles that never leave a value. */
    List<Applicator> applicators() {
        return List.of(applicators);
    }

    /** The schemas {@code dependencies} applies to the value itself. */
    List<SchemaCheck> dependencySchemas() {
        return objects == null ? List.of() : objects.schemasOfTheObject();
    }
}
