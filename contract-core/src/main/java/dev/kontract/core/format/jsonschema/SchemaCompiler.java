package dev.kontract.core.format.jsonschema;

import static org.everit.json.schema.loader.SpecificationVersion.DRAFT_4;
import static org.everit.json.schema.loader.SpecificationVersion.DRAFT_6;
import static org.everit.json.schema.loader.SpecificationVersion.DRAFT_7;

import com.google.re2j.Pattern;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.everit.json.schema.loader.SpecificationVersion;
import tools.jackson.databind.JsonNode;

/**
 * Compiles a schema document into {@link SchemaCheck}s, each subschema once (a subschema reached by
 * {@code $ref} and in place is one check). {@code $ref}s are resolved after the schema around them
 * is built, so recursive schemas compile to cycles of checks.
 *
 * <p>The draft is the one everit reads: draft-07, draft-06 or draft-04 by {@code $schema}, draft-04
 * without it. Draft-06 has no {@code if}, draft-04 no {@code const}, {@code contains} or
 * {@code propertyNames} either, and its {@code exclusiveMinimum} and {@code exclusiveMaximum} are
 * booleans that make {@code minimum} and {@code maximum} exclusive; its {@code id} is draft-06's
 * {@code $id}. Keywords a draft does not define are ignored, as the drafts and everit ignore them.
 *
 * <p>Throws {@link CompiledJsonSchema.NotCompiled} for what it does not compile: a draft everit does
 * not know, a remote {@code $ref}, a pattern RE2/J cannot run, a {@code $ref} cycle that never leaves
 * the value, or a keyword whose value the draft does not allow.
 */
final class SchemaCompiler {

    private record PendingRef(Applicator.Ref ref, String target, URI base, String pointer) {}

    private final SpecificationVersion draft;
    private final Function<String, Pattern> patterns;
    private final SchemaResources resources;
    private final Map<JsonNode, SchemaCheck> compiled = new IdentityHashMap<>();
    private final Map<SchemaCheck, String> pointers = new IdentityHashMap<>();
    private final Map<String, Optional<Format>> formats = new HashMap<>();
    private final Deque<PendingRef> pending = new ArrayDeque<>();

    private SchemaCompiler(SpecificationVersion draft, Function<String, Pattern> patterns, SchemaResources resources) {
        this.draft = draft;
        this.patterns = patterns;
        this.resources = resources;
    }

    static SchemaCheck compile(JsonNode document, Function<String, Pattern> patterns) {
        SpecificationVersion draft = document.isObject() ? draft(document.get("$schema")) : DRAFT_7;
        SchemaResources resources = SchemaResources.of(document, draft.idKeyword());
        SchemaCompiler compiler = new SchemaCompiler(draft, patterns, resources);
        SchemaCheck root = compiler.schema(resources.root().node(), resources.root().base(), "#");
        while (!compiler.pending.isEmpty()) {
            PendingRef next = compiler.pending.poll();
            SchemaResources.Located target = resources.resolve(next.target, next.base, next.pointer);
            next.ref.resolve(compiler.schema(target.node(), target.base(), target.pointer()));
        }
        compiler.requireNoCycleWithinAValue();
        return root;
    }

    /** The draft everit reads a document as. */
    private static SpecificationVersion draft(JsonNode declared) {
        if (declared == null) {
            return DRAFT_4;
        }
        if (!declared.isString()) {
            throw new CompiledJsonSchema.NotCompiled("$schema", "#", "not a string");
        }
        return SpecificationVersion.lookupByMetaSchemaUrl(declared.stringValue()).orElseThrow(() ->
                new CompiledJsonSchema.NotCompiled("$schema", "#", declared.stringValue()
                        + " is not a draft everit knows"));
    }

    private SchemaCheck schema(JsonNode node, URI parentBase, String pointer) {
        if (node.isBoolean()) {
            return node.booleanValue() ? SchemaCheck.TRUE : SchemaCheck.FALSE;
        }
        if (!node.isObject()) {
            throw new CompiledJsonSchema.NotCompiled("schema", pointer, "not a schema (an object or a boolean)");
        }
        SchemaCheck known = compiled.get(node);
        if (known != null) {
            return known;
        }
        SchemaCheck check = node.has("$ref") ? reference(node.get("$ref"), parentBase, pointer)
                : keywords(node, resources.baseOf(node, parentBase, pointer), pointer);
        compiled.put(node, check);
        pointers.put(check, pointer);
        return check;
    }

    private SchemaCheck reference(JsonNode target, URI base, String pointer) {
        if (!target.isString()) {
            throw new CompiledJsonSchema.NotCompiled("$ref", pointer, "not a string");
        }
        Applicator.Ref ref = new Applicator.Ref();
        pending.add(new PendingRef(ref, target.stringValue(), base, pointer));
        return new SchemaCheck(SchemaCheck.ANY, null, null, null, null, null, null, List.of(ref));
    }

    /** The keywords of a schema without {@code $ref}; {@code base} is its own base URI. */
    private SchemaCheck keywords(JsonNode schema, URI base, String pointer) {
        Keywords keywords = new Keywords(schema, base, pointer);
        int types = keywords.types();
        List<Applicator> applicators = new ArrayList<>();
        keywords.schemaList("allOf").ifPresent(all -> applicators.add(new Applicator.AllOf(all)));
        keywords.schemaList("anyOf").ifPresent(any -> applicators.add(new Applicator.AnyOf(any)));
        keywords.schemaList("oneOf").ifPresent(one -> applicators.add(new Applicator.OneOf(one)));
        keywords.schema("not").ifPresent(not -> applicators.add(new Applicator.Not(not)));
        if (draft.isAtLeast(DRAFT_7)) {
            keywords.schema("if").ifPresent(condition -> applicators.add(new Applicator.Conditional(condition,
                    keywords.schema("then").orElse(null), keywords.schema("else").orElse(null))));
        }
        JsonNode enumValues = schema.get("enum");
        if (enumValues != null && !enumValues.isArray()) {
            throw keywords.invalid("enum", "not an array");
        }
        return new SchemaCheck(types, objectKeywords(keywords), arrayKeywords(keywords), stringKeywords(keywords),
                numberKeywords(keywords), enumValues == null ? null : new ValueSet(elements(enumValues)),
                draft.isAtLeast(DRAFT_6) ? schema.get("const") : null, applicators);
    }

    private ObjectKeywords objectKeywords(Keywords keywords) {
        if (!keywords.hasAny("properties", "required", "patternProperties", "additionalProperties", "dependencies",
                "minProperties", "maxProperties") && !(draft.isAtLeast(DRAFT_6) && keywords.hasAny("propertyNames"))) {
            return null;
        }
        Map<String, ObjectKeywords.Property> named = new LinkedHashMap<>();
        keywords.schemaMap("properties").forEach((name, schema) ->
                named.put(name, new ObjectKeywords.Property(schema, false)));
        for (String name : keywords.names("required")) {
            ObjectKeywords.Property declared = named.get(name);
            named.put(name, new ObjectKeywords.Property(declared == null ? null : declared.schema(), true));
        }
        List<ObjectKeywords.PatternProperty> patternProperties = new ArrayList<>();
        keywords.schemaMap("patternProperties").forEach((regex, schema) -> patternProperties.add(
                new ObjectKeywords.PatternProperty(keywords.pattern("patternProperties", regex), schema)));
        List<ObjectKeywords.Dependency> dependencies = new ArrayList<>();
        JsonNode dependencyNode = keywords.get("dependencies");
        if (dependencyNode != null) {
            if (!dependencyNode.isObject()) {
                throw keywords.invalid("dependencies", "not an object");
            }
            for (Map.Entry<String, JsonNode> dependency : dependencyNode.properties()) {
                String property = dependency.getKey();
                JsonNode value = dependency.getValue();
                dependencies.add(value.isArray()
                        ? new ObjectKeywords.Dependency(property,
                                keywords.names(value, "dependencies").toArray(String[]::new), null)
                        : new ObjectKeywords.Dependency(property, null,
                                keywords.subschema(value, "dependencies/" + SchemaResources.escape(property))));
            }
        }
        SchemaCheck additionalProperties = keywords.schema("additionalProperties").map(SchemaCompiler::checking)
                .orElse(null);
        SchemaCheck propertyNames = draft.isAtLeast(DRAFT_6)
                ? keywords.schema("propertyNames").map(SchemaCompiler::checking).orElse(null) : null;
        return new ObjectKeywords(keywords.count("minProperties", 0), keywords.count("maxProperties", Long.MAX_VALUE),
                named, patternProperties, additionalProperties, propertyNames, dependencies);
    }

    private ArrayKeywords arrayKeywords(Keywords keywords) {
        if (!keywords.hasAny("items", "additionalItems", "minItems", "maxItems", "uniqueItems")
                && !(draft.isAtLeast(DRAFT_6) && keywords.hasAny("contains"))) {
            return null;
        }
        List<SchemaCheck> tuple = List.of();
        SchemaCheck rest = null;
        JsonNode items = keywords.get("items");
        if (items != null && items.isArray()) {
            tuple = keywords.schemaList("items").orElseThrow();
            rest = keywords.schema("additionalItems").map(SchemaCompiler::checking).orElse(null);
        } else if (items != null) {
            rest = keywords.schema("items").map(SchemaCompiler::checking).orElse(null);
        }
        JsonNode unique = keywords.get("uniqueItems");
        if (unique != null && !unique.isBoolean()) {
            throw keywords.invalid("uniqueItems", "not a boolean");
        }
        return new ArrayKeywords(keywords.count("minItems", 0), keywords.count("maxItems", Long.MAX_VALUE), tuple, rest,
                draft.isAtLeast(DRAFT_6) ? keywords.schema("contains").orElse(null) : null,
                unique != null && unique.booleanValue());
    }

    private StringKeywords stringKeywords(Keywords keywords) {
        if (!keywords.hasAny("minLength", "maxLength", "pattern", "format")) {
            return null;
        }
        JsonNode pattern = keywords.get("pattern");
        if (pattern != null && !pattern.isString()) {
            throw keywords.invalid("pattern", "not a string");
        }
        JsonNode formatName = keywords.get("format");
        if (formatName != null && !formatName.isString()) {
            throw keywords.invalid("format", "not a string");
        }
        Format format = formatName == null ? null
                : formats.computeIfAbsent(formatName.stringValue(),
                        name -> Optional.ofNullable(Format.of(name, draft))).orElse(null);
        return new StringKeywords(keywords.count("minLength", 0), keywords.count("maxLength", Long.MAX_VALUE),
                pattern == null ? null : keywords.pattern("pattern", pattern.stringValue()), format);
    }

    private NumberKeywords numberKeywords(Keywords keywords) {
        if (!keywords.hasAny("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")) {
            return null;
        }
        BigDecimal multipleOf = keywords.number("multipleOf");
        if (multipleOf != null && multipleOf.signum() <= 0) {
            throw keywords.invalid("multipleOf", "not greater than 0");
        }
        BigDecimal minimum = keywords.number("minimum");
        BigDecimal maximum = keywords.number("maximum");
        if (draft.isAtLeast(DRAFT_6)) {
            return new NumberKeywords(minimum, maximum, keywords.number("exclusiveMinimum"),
                    keywords.number("exclusiveMaximum"), multipleOf);
        }
        boolean exclusiveMinimum = keywords.flag("exclusiveMinimum");
        boolean exclusiveMaximum = keywords.flag("exclusiveMaximum");
        return new NumberKeywords(exclusiveMinimum ? null : minimum, exclusiveMaximum ? null : maximum,
                exclusiveMinimum ? minimum : null, exclusiveMaximum ? maximum : null, multipleOf);
    }

    private static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> elements = new ArrayList<>();
        array.forEach(elements::add);
        return elements;
    }

    /** {@code null} for {@code true}: a schema that checks nothing need not run (the limits are held anyway). */
    private static SchemaCheck checking(SchemaCheck schema) {
        return schema == SchemaCheck.TRUE ? null : schema;
    }

    private void requireNoCycleWithinAValue() {
        Map<SchemaCheck, Boolean> finished = new IdentityHashMap<>();
        for (SchemaCheck check : pointers.keySet()) {
            visit(check, finished);
        }
    }

    /** Depth-first over the schemas applied to one value: a schema met again before it is finished closes a cycle. */
    private void visit(SchemaCheck check, Map<SchemaCheck, Boolean> finished) {
        Boolean state = finished.get(check);
        if (state != null) {
            if (!state) {
                throw new CompiledJsonSchema.NotCompiled("$ref", pointers.getOrDefault(check, "#"),
                        "a cycle of schemas that applies to the same value forever");
            }
            return;
        }
        finished.put(check, false);
        for (Applicator applicator : check.applicators()) {
            for (SchemaCheck applied : applicator.schemas()) {
                visit(applied, finished);
            }
        }
        for (SchemaCheck applied : check.dependencySchemas()) {
            visit(applied, finished);
        }
        finished.put(check, true);
    }

    /** The keywords of one schema object, read with the checks draft-07 puts on their values. */
    private final class Keywords {
        private final JsonNode schema;
        private final URI base;
        private final String pointer;

        Keywords(JsonNode schema, URI base, String pointer) {
            this.schema = schema;
            this.base = base;
            this.pointer = pointer;
        }

        JsonNode get(String keyword) {
            return schema.get(keyword);
        }

        boolean hasAny(String... keywords) {
            for (String keyword : keywords) {
                if (schema.has(keyword)) {
                    return true;
                }
            }
            return false;
        }

        CompiledJsonSchema.NotCompiled invalid(String keyword, String why) {
            return new CompiledJsonSchema.NotCompiled(keyword, pointer, why);
        }

        private String at(String path) {
            return pointer + "/" + path;
        }

        SchemaCheck subschema(JsonNode node, String path) {
            return SchemaCompiler.this.schema(node, base, at(path));
        }

        Optional<SchemaCheck> schema(String keyword) {
            JsonNode node = schema.get(keyword);
            return node == null ? Optional.empty() : Optional.of(subschema(node, keyword));
        }

        Optional<List<SchemaCheck>> schemaList(String keyword) {
            JsonNode node = schema.get(keyword);
            if (node == null) {
                return Optional.empty();
            }
            if (!node.isArray() || node.isEmpty()) {
                throw invalid(keyword, "not a non-empty array of schemas");
            }
            List<SchemaCheck> schemas = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                schemas.add(subschema(node.get(i), keyword + "/" + i));
            }
            return Optional.of(schemas);
        }

        Map<String, SchemaCheck> schemaMap(String keyword) {
            JsonNode node = schema.get(keyword);
            if (node == null) {
                return Map.of();
            }
            if (!node.isObject()) {
                throw invalid(keyword, "not an object of schemas");
            }
            Map<String, SchemaCheck> schemas = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                String name = entry.getKey();
                schemas.put(name, subschema(entry.getValue(), keyword + "/" + SchemaResources.escape(name)));
            }
            return schemas;
        }

        List<String> names(String keyword) {
            JsonNode node = schema.get(keyword);
            return node == null ? List.of() : names(node, keyword);
        }

        List<String> names(JsonNode node, String keyword) {
            List<String> names = new ArrayList<>();
            if (!node.isArray()) {
                throw invalid(keyword, "not an array of strings");
            }
            for (JsonNode name : node) {
                if (!name.isString()) {
                    throw invalid(keyword, "not an array of strings");
                }
                names.add(name.stringValue());
            }
            return names;
        }

        int types() {
            JsonNode node = schema.get("type");
            if (node == null) {
                return SchemaCheck.ANY;
            }
            if (node.isString()) {
                return type(node.stringValue());
            }
            if (!node.isArray()) {
                throw invalid("type", "not a type name or an array of them");
            }
            int types = 0;
            for (JsonNode name : node) {
                if (!name.isString()) {
                    throw invalid("type", "not a type name or an array of them");
                }
                types |= type(name.stringValue());
            }
            return types;
        }

        private int type(String name) {
            return switch (name) {
                case "null" -> SchemaCheck.NULL;
                case "boolean" -> SchemaCheck.BOOLEAN;
                case "object" -> SchemaCheck.OBJECT;
                case "array" -> SchemaCheck.ARRAY;
                case "string" -> SchemaCheck.STRING;
                case "number" -> SchemaCheck.NUMBER;
                case "integer" -> SchemaCheck.INTEGER;
                default -> throw invalid("type", "'" + name + "' is not a type");
            };
        }

        /** A non-negative integer keyword (2.0 is one), or {@code absent}. */
        long count(String keyword, long absent) {
            JsonNode node = schema.get(keyword);
            if (node == null) {
                return absent;
            }
            boolean nonNegativeInteger = node.isNumber() && JsonValues.isFinite(node) && JsonValues.isIntegral(node)
                    && node.doubleValue() >= 0;
            if (!nonNegativeInteger) {
                throw invalid(keyword, "not a non-negative integer");
            }
            BigDecimal value = JsonValues.decimal(node);
            return value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : value.longValue();
        }

        /** A draft-04 boolean keyword, false when absent. */
        boolean flag(String keyword) {
            JsonNode node = schema.get(keyword);
            if (node != null && !node.isBoolean()) {
                throw invalid(keyword, "not a boolean");
            }
            return node != null && node.booleanValue();
        }

        BigDecimal number(String keyword) {
            JsonNode node = schema.get(keyword);
            if (node == null) {
                return null;
            }
            if (!node.isNumber() || !JsonValues.isFinite(node)) {
                throw invalid(keyword, "not a number");
            }
            return JsonValues.decimal(node);
        }

        Pattern pattern(String keyword, String regex) {
            Pattern pattern = patterns.apply(regex);
            if (pattern == null) {
                throw invalid(keyword, "RE2/J cannot run the pattern " + regex);
            }
            return pattern;
        }
    }
}
