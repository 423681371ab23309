package dev.kontract.core.format;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Numbers in the JSON view take the node type a JSON parser would give them, so a view built from
 * a record equals the same JSON parsed from text: integers that fit in 32 bits are int nodes, floats
 * are doubles of their shortest decimal form.
 */
final class JsonNumbers {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonNumbers() {}

    static JsonNode integral(long value) {
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE
                ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    static JsonNode floating(float value) {
        return Float.isFinite(value) ? NODES.numberNode(Double.parseDouble(Float.toString(value))) : NODES.numberNode(value);
    }
}
