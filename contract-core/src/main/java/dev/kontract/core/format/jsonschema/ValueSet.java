package dev.kontract.core.format.jsonschema;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** The values of {@code enum}: a set of strings when they are all strings, else compared one by one. */
final class ValueSet {

    private final JsonNode[] values;
    /** {@code null} unless every value is a string. */
    private final Set<String> strings;

    ValueSet(List<JsonNode> values) {
        this.values = values.toArray(JsonNode[]::new);
        List<String> texts = new ArrayList<>();
        for (JsonNode value : values) {
            if (value.isString()) {
                texts.add(value.stringValue());
            }
        }
        this.strings = texts.size() == values.size() ? Set.copyOf(texts) : null;
    }

    boolean contains(JsonNode value) {
        if (strings != null) {
            return value.isString() ? strings.contains(value.stringValue())
                    : value.isBinary() && strings.contains(JsonValues.text(value));
        }
        for (JsonNode allowed : values) {
            if (JsonValues.equal(allowed, value)) {
                return true;
            }
        }
        return false;
    }
}
