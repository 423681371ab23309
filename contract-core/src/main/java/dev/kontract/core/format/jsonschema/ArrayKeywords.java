package dev.kontract.core.format.jsonschema;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The array keywords of one schema: {@code items} as one schema for every item or as a tuple with
 * {@code additionalItems} for the rest, {@code contains}, {@code minItems}, {@code maxItems} and
 * {@code uniqueItems}. An item no schema looks into is only held to the depth limit.
 */
final class ArrayKeywords {

    private final long minItems;
    private final long maxItems;
    private final SchemaCheck[] tuple;
    /** The schema of the items after the tuple (every item when there is no tuple); {@code null}: no check. */
    private final SchemaCheck rest;
    private final SchemaCheck contains;
    private final boolean uniqueItems;

    ArrayKeywords(long minItems, long maxItems, List<SchemaCheck> tuple, SchemaCheck rest, SchemaCheck contains,
            boolean uniqueItems) {
        this.minItems = minItems;
        this.maxItems = maxItems;
        this.tuple = tuple.toArray(SchemaCheck[]::new);
        this.rest = rest;
        this.contains = contains;
        this.uniqueItems = uniqueItems;
    }

    /** @param remaining the depth limit left for the items */
    boolean test(JsonNode array, int remaining) {
        int size = array.size();
        if (size < minItems || size > maxItems) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            JsonNode item = array.get(i);
            SchemaCheck schema = i < tuple.length ? tuple[i] : rest;
            if (schema != null ? !schema.test(item, remaining) : !JsonValues.withinLimits(item, remaining)) {
                return false;
            }
        }
        if (contains != null && !anyItemMeets(array, size, remaining)) {
            return false;
        }
        return !uniqueItems || JsonValues.allDistinct(array);
    }

    private boolean anyItemMeets(JsonNode array, int size, int remaining) {
        for (int i = 0; i < size; i++) {
            if (contains.test(array.get(i), remaining)) {
                return true;
            }
        }
        return false;
    }
}
