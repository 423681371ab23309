package dev.kontract.core.format.jsonschema;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A keyword that applies other schemas to the value itself: {@code allOf}, {@code anyOf},
 * {@code oneOf}, {@code not}, {@code if} and {@code $ref}.
 */
abstract class Applicator {

    abstract boolean test(JsonNode value, int remaining);

    /** The schemas it applies to the value, for the compiler's check for cycles that never leave a value. */
    abstract List<SchemaCheck> schemas();

    /**
     * Whether, when it passes, some schema it applied passed on the whole value, so that the value's
     * children were held to the limits.
     */
    abstract boolean looksIntoTheWholeValue();

    /** {@code allOf}, {@code anyOf} and {@code oneOf}: a list of schemas, each applied to the whole value. */
    abstract static class OverSchemas extends Applicator {
        final SchemaCheck[] schemas;

        OverSchemas(List<SchemaCheck> schemas) {
            this.schemas = schemas.toArray(SchemaCheck[]::new);
        }

        @Override
        final List<SchemaCheck> schemas() {
            return List.of(schemas);
        }

        @Override
        final boolean looksIntoTheWholeValue() {
            return true;
        }
    }

    static final class AllOf extends OverSchemas {

        AllOf(List<SchemaCheck> schemas) {
            super(schemas);
        }

        @Override
        boolean test(JsonNode value, int remaining) {
            for (SchemaCheck schema : schemas) {
                if (!schema.test(value, remaining)) {
                    return false;
                }
            }
            return true;
        }
    }

    static final class AnyOf extends OverSchemas {

        AnyOf(List<SchemaCheck> schemas) {
            super(schemas);
        }

        @Override
        boolean test(JsonNode value, int remaining) {
            for (SchemaCheck schema : schemas) {
                if (schema.test(value, remaining)) {
                    return true;
                }
            }
            return false;
        }
    }

    static final class OneOf extends OverSchemas {

        OneOf(List<SchemaCheck> schemas) {
            super(schemas);
        }

        @Override
        boolean test(JsonNode value, int remaining) {
            boolean matched = false;
            for (SchemaCheck schema : schemas) {
                if (schema.test(value, remaining)) {
                    if (matched) {
                        return false;
                    }
                    matched = true;
                }
            }
            return matched;
        }
    }

    static final class Not extends Applicator {
        private final SchemaCheck schema;

        Not(SchemaCheck schema) {
            this.schema = schema;
        }

        @Override
        boolean test(JsonNode value, int remaining) {
            return !schema.test(value, remaining);
        }

        @Override
        List<SchemaCheck> schemas() {
            return List.of(schema);
        }

        @Override
        boolean looksIntoTheWholeValue() {
            return false;
        }
    }

    /** {@code if} with {@code then} and {@code else}, either of which may be missing ({@code null}). */
    static final class Conditional extends Applicator {
        private final SchemaCheck condition;
        private final SchemaCheck then;
        private final SchemaCheck otherwise;

        Conditional(SchemaCheck condition, SchemaCheck then, SchemaCheck otherwise) {
            this.condition = condition;
            this.then = then;
            this.otherwise = otherwise;
        }

        @Override
        boolean test(JsonNode value, int remaining) {
            if (condition.test(value, remaining)) {
                return then == null || then.test(value, remaining);
            }
            return otherwise == null || otherwise.test(value, remaining);
        }

        @Override
        List<SchemaCheck> schemas() {
            List<SchemaCheck> schemas = new ArrayList<>(List.of(condition));
            if (then != null) {
                schemas.add(then);
            }
            if (otherwise != null) {
                schemas.add(otherwise);
            }
            return schemas;
        }

        @Override
        boolean looksIntoTheWholeValue() {
            return otherwise != null;
        }
    }

    /** {@code $ref}: its target is set once, by the compiler, after the schema holding it is built. */
    static final class Ref extends Applicator {
        private SchemaCheck target;

        void resolve(SchemaCheck target) {
            if (this.target != null) {
                throw new IllegalStateException("resolved twice");
            }
            this.target = target;
        }

        @Override
        boolean test(JsonNode value, int remaining) {
            return target.test(value, remaining);
        }

        @Override
        List<SchemaCheck> schemas() {
            return List.of(target);
        }

        @Override
        boolean looksIntoTheWholeValue() {
            return true;
        }
    }
}
