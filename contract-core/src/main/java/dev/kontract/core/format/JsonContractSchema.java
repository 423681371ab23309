package dev.kontract.core.format;

import dev.kontract.core.SchemaType;
import dev.kontract.core.format.jsonschema.CompiledJsonSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.everit.json.schema.Schema;
import org.everit.json.schema.SchemaException;
import org.everit.json.schema.loader.SchemaLoader;
import org.json.JSONException;
import org.json.JSONObject;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON Schema of a contract version, validated with everit-json-schema (drafts 4, 6 and 7, picked
 * by {@code $schema}). Remote {@code $ref}s are refused so loading never reaches the network.
 *
 * <p>A draft-07 schema is also compiled, once, into a {@link CompiledJsonSchema}: the codec's fast
 * path, which says only valid or not; everit, the reference, runs when that says not, and gives the
 * message. A schema the compiler does not compile is validated by everit alone, and
 * {@link #notCompiledBecause()} says which keyword made it so.
 *
 * <p>{@code pattern} and {@code patternProperties} match as everit's default matches them
 * ({@code java.util.regex}, {@code find()}), but no value can make a match run long: a pattern runs
 * on RE2/J, in time linear in the value, translated so that it means what it means to
 * {@code java.util.regex}; a pattern RE2/J cannot run (backreferences, lookaround, possessive
 * quantifiers, inline flags) runs on {@code java.util.regex} over a string that checks a deadline, and
 * all such matches of one record's validation share a 100 ms bound, past which the record is invalid
 * ("pattern P ran past the 100 ms bound of one record's validation"). {@link #boundedPatterns()} lists
 * those patterns. The dialect is Java's, as before, not ECMA-262's.
 */
public final class JsonContractSchema implements ContractSchema {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JsonNode document;
    private final Schema schema;
    private final List<String> boundedPatterns;
    private final CompiledJsonSchema compiled;
    private final String notCompiledBecause;

    private JsonContractSchema(JsonNode document, Schema schema, List<String> boundedPatterns,
            CompiledJsonSchema compiled, String notCompiledBecause) {
        this.document = Objects.requireNonNull(document);
        this.schema = Objects.requireNonNull(schema);
        this.boundedPatterns = List.copyOf(boundedPatterns);
        this.compiled = compiled;
        this.notCompiledBecause = notCompiledBecause;
    }

    /**
     * Parses a JSON Schema document.
     *
     * @throws IllegalArgumentException when the text is not JSON or not a valid schema
     */
    public static JsonContractSchema parse(String schemaJson) {
        JsonNode document;
        try {
            document = JSON.readTree(schemaJson);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("invalid JSON Schema: not JSON: " + e.getOriginalMessage(), e);
        }
        if (document == null || !document.isObject()) {
            throw new IllegalArgumentException("invalid JSON Schema: the document must be a JSON object");
        }
        JsonSchemaPatterns patterns = new JsonSchemaPatterns();
        Schema schema;
        try {
            schema = SchemaLoader.builder()
                    .schemaJson(EveritNumbers.canonical(new JSONObject(schemaJson)))
                    .schemaClient(url -> {
                        throw new java.io.UncheckedIOException(new IOException(
                                "remote $ref " + url + " is not supported; inline the schema"));
                    })
                    .regexpFactory(patterns)
                    .build()
                    .load()
                    .build();
        } catch (SchemaException | JSONException e) {
            throw new IllegalArgumentException("invalid JSON Schema: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("invalid JSON Schema: " + cause.getMessage(), e);
        }
        CompiledJsonSchema compiled = null;
        String notCompiledBecause = null;
        try {
            compiled = CompiledJsonSchema.compile(document, JsonSchemaPatterns::linear);
        } catch (CompiledJsonSchema.NotCompiled e) {
            notCompiledBecause = e.getMessage();
        }
        return new JsonContractSchema(document, schema, new ArrayList<>(patterns.backtracking()), compiled,
                notCompiledBecause);
    }

    /**
     * The everit validator. Its {@code java.util.regex} patterns are bounded per match when it runs
     * outside a codec, per record inside one.
     */
    public Schema schema() {
        return schema;
    }

    /**
     * The schema's patterns that RE2/J cannot run, which run on {@code java.util.regex} within the
     * validation's time bound; empty for most schemas.
     */
    public List<String> boundedPatterns() {
        return boundedPatterns;
    }

    /** The compiled validator, empty when the schema is validated by everit alone ({@link #notCompiledBecause()}). */
    public Optional<CompiledJsonSchema> compiled() {
        return Optional.ofNullable(compiled);
    }

    /**
     * Why the schema is not compiled: the keyword, where it is and why ("'$ref' at #/properties/a:
     * remote $ref ..."); empty when it is.
     */
    public Optional<String> notCompiledBecause() {
        return Optional.ofNullable(notCompiledBecause);
    }

    /** The schema document as a JSON tree. */
    public JsonNode document() {
        return document;
    }

    @Override
    public SchemaType type() {
        return SchemaType.JSON;
    }

    @Override
    public String name() {
        String title = document.path("title").asString("");
        return title.isEmpty() ? document.path("$id").asString("JSON Schema") : title;
    }

    /**
     * Compares the obvious breaking cases over {@code properties}, recursively: a changed type, a
     * field required here that the writer may leave out, a field the writer may send that this schema
     * forbids ({@code additionalProperties: false}). {@code $ref}s are not followed.
     */
    @Override
    public List<String> readProblems(ContractSchema writer) {
        List<String> problems = new ArrayList<>();
        compare(document, ((JsonContractSchema) writer).document, "", problems);
        return problems;
    }

    private static void compare(JsonNode reader, JsonNode writer, String path, List<String> problems) {
        Set<String> readerTypes = types(reader);
        Set<String> writerTypes = types(writer);
        String where = path.isEmpty() ? "the record" : "field '" + path + "'";
        if (!readerTypes.isEmpty() && !writerTypes.isEmpty() && !covers(readerTypes, writerTypes)) {
            problems.add(where + " changed type from " + String.join("|", writerTypes) + " to "
                    + String.join("|", readerTypes));
            return;
        }
        Set<String> writerRequired = names(writer.path("required"));
        for (String required : names(reader.path("required"))) {
            if (!writerRequired.contains(required)) {
                problems.add("field '" + join(path, required) + "' is required on one side but not on the other");
            }
        }
        JsonNode readerProperties = reader.path("properties");
        JsonNode writerProperties = writer.path("properties");
        boolean closed = reader.path("additionalProperties").isBoolean() && !reader.path("additionalProperties").asBoolean();
        for (String name : writerProperties.propertyNames()) {
            JsonNode readerProperty = readerProperties.get(name);
            if (readerProperty != null) {
                compare(readerProperty, writerProperties.get(name), join(path, name), problems);
            } else if (closed) {
                problems.add("field '" + join(path, name) + "' exists on one side but the other forbids it"
                        + " (additionalProperties: false)");
            }
        }
        if (reader.has("items") && writer.has("items")) {
            compare(reader.get("items"), writer.get("items"), path + "[]", problems);
        }
    }

    private static boolean covers(Set<String> readerTypes, Set<String> writerTypes) {
        for (String type : writerTypes) {
            boolean covered = readerTypes.contains(type) || (type.equals("integer") && readerTypes.contains("number"));
            if (!covered) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> types(JsonNode schema) {
        return names(schema.path("type"));
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        if (node.isString()) {
            names.add(node.asString());
        } else if (node.isArray()) {
            node.forEach(item -> names.add(item.asString()));
        }
        return names;
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JsonContractSchema that && document.equals(that.document);
    }

    @Override
    public int hashCode() {
        return document.hashCode();
    }

    @Override
    public String toString() {
        return "JSON " + name();
    }
}
