package dev.kontract.core.format.jsonschema;

import com.google.re2j.Pattern;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * The object keywords of one schema, checked in one pass over the object's properties: one lookup
 * per property finds its {@code properties} schema and whether it is {@code required} (the required
 * ones are counted, not looked up), then {@code patternProperties}, else
 * {@code additionalProperties}; a property no schema looks into is only held to the depth limit.
 */
final class ObjectKeywords {

    /** What {@code properties} and {@code required} say of one name. */
    record Property(SchemaCheck schema, boolean required) {}

    record PatternProperty(Pattern pattern, SchemaCheck schema) {}

    /** {@code dependencies}: the names the property requires, or the schema the object must then meet. */
    record Dependency(String property, String[] requiredNames, SchemaCheck schema) {}

    private final long minProperties;
    private final long maxProperties;
    private final Map<String, Property> named;
    private final int requiredCount;
    private final PatternProperty[] patternProperties;
    /** {@code null} when additional properties are allowed without a check. */
    private final SchemaCheck additionalProperties;
    private final SchemaCheck propertyNames;
    private final Dependency[] dependencies;

    ObjectKeywords(long minProperties, long maxProperties, Map<String, Property> named,
            List<PatternProperty> patternProperties, SchemaCheck additionalProperties, SchemaCheck propertyNames,
            List<Dependency> dependencies) {
        this.minProperties = minProperties;
        this.maxProperties = maxProperties;
        this.named = Map.copyOf(named);
        this.requiredCount = (int) named.values().stream().filter(Property::required).count();
        this.patternProperties = patternProperties.toArray(PatternProperty[]::new);
        this.additionalProperties = additionalProperties;
        this.propertyNames = propertyNames;
        this.dependencies = dependencies.toArray(Dependency[]::new);
    }

    /**
     * @param remaining the depth limit left for the properties' values
     * @param object the object being validated, for {@code dependencies}' schemas
     * @param objectRemaining the depth limit left for the object itself
     */
    boolean test(JsonNode object, int remaining, int objectRemaining) {
        int size = object.size();
        if (size < minProperties || size > maxProperties) {
            return false;
        }
        int requiredSeen = 0;
        for (Map.Entry<String, JsonNode> property : object.properties()) {
            String name = property.getKey();
            JsonNode value = property.getValue();
            if (propertyNames != null && !propertyNames.test(StringNode.valueOf(name), remaining)) {
                return false;
            }
            boolean checked = false;
            Property declared = named.isEmpty() ? null : named.get(name);
            if (declared != null) {
                if (declared.required) {
                    requiredSeen++;
                }
                if (declared.schema != null) {
                    if (!declared.schema.test(value, remaining)) {
                        return false;
                    }
                    checked = true;
                }
            }
            boolean matchedPattern = false;
            for (PatternProperty pattern : patternProperties) {
                if (pattern.pattern.matcher(name).find()) {
                    if (!pattern.schema.test(value, remaining)) {
                        return false;
                    }
                    matchedPattern = true;
                }
            }
            if (additionalProperties != null && !checked && !matchedPattern) {
                if (!additionalProperties.test(value, remaining)) {
                    return false;
                }
                checked = true;
            }
            if (!checked && !matchedPattern && !JsonValues.withinLimits(value, remaining)) {
                return false;
            }
        }
        if (requiredSeen != requiredCount) {
            return false;
        }
        for (Dependency dependency : dependencies) {
            if (object.get(dependency.property) != null && !meets(dependency, object, objectRemaining)) {
                return false;
            }
        }
        return true;
    }

    private static boolean meets(Dependency dependency, JsonNode object, int objectRemaining) {
        if (dependency.schema != null) {
            return dependency.schema.test(object, objectRemaining);
        }
        for (String name : dependency.requiredNames) {
            if (object.get(name) == null) {
                return false;
            }
        }
        return true;
    }

    /** The schemas that {@code dependencies} applies to the object itself. */
    List<SchemaCheck> schemasOfTheObject() {
        return Arrays.stream(dependencies).map(Dependency::schema).filter(Objects::nonNull).toList();
    }
}
