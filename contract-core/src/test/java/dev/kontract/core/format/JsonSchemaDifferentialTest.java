package dev.kontract.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Differential proof of the compiled JSON Schema validator: on documents generated for the
 * benchmark's, the examples' and this module's JSON Schemas (and one that uses every keyword the
 * compiler compiles), read as draft-07 and, where everit loads them so, as draft-06 and draft-04, the
 * compiled verdict is everit's verdict as the codec gets it.
 */
class JsonSchemaDifferentialTest {

    /** Small, so that generated documents nest around it. */
    private static final int MAX_DEPTH = 10;
    private static final String DRAFT_6 = "http://json-schema.org/draft-06/schema#";

    /** A schema as one draft reads it, compiled, with the codec whose everit path is the reference. */
    record Subject(String name, JsonNode document, JsonContractSchema schema, JsonRecordCodec codec) {}

    /** A document generated for one subject. */
    record Case(Subject subject, JsonNode document) {
        @Override
        public String toString() {
            return subject.name + ": " + document;
        }
    }

    private static final List<Subject> SUBJECTS = subjects();
    private static final AtomicInteger VALID = new AtomicInteger();
    private static final AtomicInteger INVALID = new AtomicInteger();

    private static List<Subject> subjects() {
        List<String> names = new ArrayList<>(List.of("contracts/schemas/order-v1.schema.json", "hostile/tree.schema.json",
                "jsonschema/benchmark-order-v3.schema.json", "jsonschema/shipment.schema.json"));
        List<Subject> subjects = new ArrayList<>();
        for (String name : names) {
            addDrafts(subjects, name, resource(name));
        }
        try (Stream<Path> files = Files.list(examplesSchemas())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                addDrafts(subjects, "examples/" + file.getFileName(), Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return subjects;
    }

    /** The schema as it is (draft-07), and as draft-06 and draft-04 where everit loads it so. */
    private static void addDrafts(List<Subject> subjects, String name, String text) {
        ObjectNode document = (ObjectNode) JsonSchemaSuite.JSON.readTree(text);
        subjects.add(subject(name, document));
        ObjectNode draft6 = document.deepCopy().put("$schema", DRAFT_6);
        subjects.add(subject(name + " (draft-06)", draft6));
        ObjectNode draft4 = document.deepCopy();
        draft4.remove("$schema");
        try {
            subjects.add(subject(name + " (draft-04)", draft4));
        } catch (IllegalArgumentException e) {
            // draft-04's exclusiveMinimum is a boolean: everit refuses the schema
        }
    }

    private static Subject subject(String name, JsonNode document) {
        JsonContractSchema schema = JsonContractSchema.parse(document.toString());
        assertThat(schema.notCompiledBecause()).as(name + " is compiled").isEmpty();
        return new Subject(name, document, schema, new JsonRecordCodec(schema, DecodeLimits.DEFAULTS.withMaxNestingDepth(MAX_DEPTH)));
    }

    @Provide
    Arbitrary<Case> documents() {
        return Arbitraries.of(SUBJECTS).flatMap(subject -> Arbitraries.randomValue(random ->
                new Case(subject, new JsonSchemaDocuments(subject.document(), random, MAX_DEPTH).next())));
    }

    @Property(tries = 10000)
    void compiledVerdict_isEveritVerdict(@ForAll("documents") Case generated) {
        boolean compiled = generated.subject.schema.compiled().orElseThrow().isValid(generated.document, MAX_DEPTH);
        boolean everit = JsonSchemaConformanceTest.everitAccepts(generated.subject.codec, generated.document);
        (everit ? VALID : INVALID).incrementAndGet();

        assertThat(compiled).as("compiled verdict (everit: %s)", everit ? "valid" : "invalid").isEqualTo(everit);
    }

    @AfterContainer
    static void report() {
        System.out.println("JSON Schema differential: " + (VALID.get() + INVALID.get()) + " documents over "
                + SUBJECTS.size() + " schemas (by draft), " + VALID.get() + " valid and " + INVALID.get()
                + " invalid to everit, compiled agrees on each");
    }

    @Test
    void documents_coverValidAndInvalidRecordsOfEverySchema() {
        for (Subject subject : SUBJECTS) {
            JsonSchemaDocuments documents = new JsonSchemaDocuments(subject.document, new java.util.Random(1), MAX_DEPTH);
            int valid = 0;
            for (int i = 0; i < 300; i++) {
                JsonNode document = documents.next();
                try {
                    subject.codec.validateWithEverit(document);
                    valid++;
                } catch (InvalidRecordException e) {
                    if (System.getenv("DEBUG_DOCS") != null) {
                        System.out.println(subject.name + " " + e.getMessage() + " <- " + document);
                    }
                }
            }
            assertThat(valid).as(subject.name + ": valid documents of 300").isBetween(20, 290);
        }
    }

    @Test
    void schemaWithABacktrackingPattern_isNotCompiled() {
        JsonContractSchema schema = JsonContractSchema.parse(resource("hostile/patterns.schema.json"));

        assertThat(schema.compiled()).isEmpty();
        assertThat(schema.notCompiledBecause()).hasValue("'pattern' at #/properties/backreference: RE2/J cannot run the pattern"
                + " ^(a+)*\\1$");
    }

    private static Path examplesSchemas() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples/src/main/resources/contracts/schemas");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("examples/src/main/resources/contracts/schemas not found above " + here);
    }

    static String resource(String name) {
        try (InputStream in = JsonSchemaDifferentialTest.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
