package dev.kontract.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kontract.core.format.jsonschema.CompiledJsonSchema;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Conformance of the compiled JSON Schema validator: every test of the official suite's draft-07
 * folder outside {@code optional/} passes compiled, and only schemas with a remote {@code $ref} are
 * left to everit; on the suite's format tests, compiled and everit give the same verdicts.
 */
class JsonSchemaConformanceTest {

    private static final int MAX_DEPTH = DecodeLimits.DEFAULTS.maxNestingDepth();

    @Test
    void compiledValidator_passesEveryDraft7TestOutsideOptional() {
        List<JsonSchemaSuite.Test> tests = JsonSchemaSuite.tests(file -> !file.startsWith("optional/"));
        Map<JsonNode, Object> compiledBySchema = new IdentityHashMap<>();
        int compiled = 0;
        int pass = 0;
        List<String> failures = new ArrayList<>();
        Map<String, String> notCompiled = new TreeMap<>();
        for (JsonSchemaSuite.Test test : tests) {
            Object result = compiledBySchema.computeIfAbsent(test.schema(), JsonSchemaConformanceTest::compile);
            if (result instanceof CompiledJsonSchema.NotCompiled e) {
                notCompiled.put(test.file() + " / " + test.group(), e.getMessage());
                continue;
            }
            compiled++;
            boolean valid = ((CompiledJsonSchema) result).isValid(test.data(), MAX_DEPTH);
            if (valid == test.valid()) {
                pass++;
            } else {
                failures.add(test.id() + ": compiled says " + (valid ? "valid" : "invalid"));
            }
        }
        int remote = tests.size() - compiled;
        System.out.println("JSON Schema Test Suite draft7: " + tests.size() + " tests, " + compiled + " compiled, "
                + pass + " pass (" + remote + " not compiled, each with a remote $ref, run by everit)");
        notCompiled.forEach((group, reason) -> System.out.println("  not compiled: " + group + ": " + reason));

        assertThat(tests).hasSizeGreaterThan(800);
        assertThat(failures).as("tests the compiled validator fails").isEmpty();
        assertThat(pass).isEqualTo(compiled);
        assertThat(notCompiled.values()).as("why schemas are not compiled").allMatch(reason -> reason.contains("remote $ref"));
        assertThat(notCompiled.keySet()).as("the groups not compiled").allMatch(group -> group.startsWith("refRemote.json")
                || REMOTE_OUTSIDE_REF_REMOTE.contains(group));
    }

    /** The groups outside refRemote.json whose schemas reach a document outside themselves: the draft-07 meta-schema. */
    private static final Set<String> REMOTE_OUTSIDE_REF_REMOTE = Set.of(
            "definitions.json / validate definition against metaschema",
            "ref.json / remote ref, containing refs itself");

    @Test
    void compiledFormats_agreeWithEveritOnEveryFormatTest() {
        List<JsonSchemaSuite.Test> tests = JsonSchemaSuite.tests(file -> file.startsWith("optional/format/"));
        Map<String, int[]> byFile = new LinkedHashMap<>();
        List<String> disagreements = new ArrayList<>();
        Set<String> notCompiled = new LinkedHashSet<>();
        Map<JsonNode, JsonRecordCodec> codecs = new IdentityHashMap<>();
        for (JsonSchemaSuite.Test test : tests) {
            JsonRecordCodec codec = codecs.computeIfAbsent(test.schema(), schema -> new JsonRecordCodec(
                    JsonContractSchema.parse(JsonSchemaSuite.declaredDraft7(schema).toString()), DecodeLimits.DEFAULTS));
            JsonContractSchema schema = (JsonContractSchema) codec.schema();
            int[] counts = byFile.computeIfAbsent(test.file(), file -> new int[3]);
            counts[0]++;
            if (schema.compiled().isEmpty()) {
                notCompiled.add(test.file() + ": " + schema.notCompiledBecause().orElseThrow());
                continue;
            }
            boolean compiled = schema.compiled().get().isValid(test.data(), MAX_DEPTH);
            boolean everit = everitAccepts(codec, test.data());
            if (compiled == everit) {
                counts[1]++;
            } else {
                disagreements.add(test.id() + ": compiled " + compiled + ", everit " + everit);
            }
            if (compiled == test.valid()) {
                counts[2]++;
            }
        }
        int total = byFile.values().stream().mapToInt(c -> c[0]).sum();
        int agree = byFile.values().stream().mapToInt(c -> c[1]).sum();
        int asSuite = byFile.values().stream().mapToInt(c -> c[2]).sum();
        System.out.println("JSON Schema Test Suite draft7 optional/format: " + total + " tests, " + agree
                + " with everit's verdict, " + asSuite + " with the suite's");
        byFile.forEach((file, c) -> System.out.println("  " + file + ": " + c[0] + " tests, " + c[1] + " as everit, "
                + c[2] + " as the suite"));

        assertThat(notCompiled).as("format schemas not compiled").isEmpty();
        assertThat(disagreements).as("format tests where compiled and everit disagree").isEmpty();
    }

    /**
     * Where everit departs from the suite on a schema the compiler compiles. The compiled validator
     * passes these; the codec gives everit's verdict where compiled says invalid, and compiled's where
     * it says valid (the second test below, a schema no contract should have).
     */
    private static final Set<String> EVERIT_DEPARTURES = Set.of(
            // everit resolves the $ref against its sibling $id, which draft-07 ignores
            "ref.json / $ref prevents a sibling $id from changing the base uri / $ref resolves to /definitions/base_foo,"
                    + " data does not validate",
            "ref.json / $ref prevents a sibling $id from changing the base uri / $ref resolves to /definitions/base_foo,"
                    + " data validates",
            // everit does not find the schema at "#/definitions//definitions/"
            "ref.json / empty tokens in $ref json-pointer / non-number is invalid");

    /**
     * Under each draft everit reads (the suite's schemas declared draft-07, draft-06 and draft-04 in
     * turn), on every suite test whose schema everit loads and the compiler compiles, compiled and
     * everit give the same verdict, but where everit departs from the suite.
     */
    @Test
    void compiledVerdicts_areEveritVerdicts_onTheSuiteUnderEachDraft() {
        List<JsonSchemaSuite.Test> tests = JsonSchemaSuite.tests(file -> !file.startsWith("optional/"));
        List<String> disagreements = new ArrayList<>();
        for (String draft : List.of(JsonSchemaSuite.DRAFT_7, "http://json-schema.org/draft-06/schema#", "")) {
            Map<JsonNode, Object> codecs = new IdentityHashMap<>();
            int compared = 0;
            for (JsonSchemaSuite.Test test : tests) {
                Object codec = codecs.computeIfAbsent(test.schema(), schema -> codec(schema, draft));
                if (!(codec instanceof JsonRecordCodec jsonCodec)) {
                    continue;
                }
                compared++;
                boolean compiled = ((JsonContractSchema) jsonCodec.schema()).compiled().orElseThrow()
                        .isValid(test.data(), MAX_DEPTH);
                boolean everit = everitAccepts(jsonCodec, test.data());
                if (compiled != everit && !(EVERIT_DEPARTURES.contains(test.id()) && compiled == test.valid())) {
                    disagreements.add((draft.isEmpty() ? "draft-04" : draft.contains("06") ? "draft-06" : "draft-07")
                            + ": " + test.id() + ": compiled " + compiled + ", everit " + everit + ", suite " + test.valid());
                }
            }
            System.out.println("JSON Schema Test Suite draft7 read as " + (draft.isEmpty() ? "draft-04" : draft) + ": "
                    + compared + " tests compiled and compared with everit");
        }
        assertThat(disagreements).as("tests where compiled and everit disagree, but for everit's known departures").isEmpty();
    }

    /** A codec for the schema declared as {@code draft} (absent when empty), or null when everit refuses it or it is not compiled. */
    private static Object codec(JsonNode schema, String draft) {
        if (!schema.isObject()) {
            return null;
        }
        tools.jackson.databind.node.ObjectNode declared = JsonSchemaSuite.JSON.createObjectNode();
        if (!draft.isEmpty()) {
            declared.put("$schema", draft);
        }
        schema.properties().forEach(entry -> {
            if (!entry.getKey().equals("$schema")) {
                declared.set(entry.getKey(), entry.getValue());
            }
        });
        try {
            JsonContractSchema parsed = JsonContractSchema.parse(declared.toString());
            return parsed.compiled().isPresent() ? new JsonRecordCodec(parsed, DecodeLimits.DEFAULTS) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static boolean everitAccepts(JsonRecordCodec codec, JsonNode data) {
        try {
            codec.validateWithEverit(data);
            return true;
        } catch (InvalidRecordException e) {
            return false;
        }
    }

    private static Object compile(JsonNode schema) {
        try {
            return CompiledJsonSchema.compile(JsonSchemaSuite.declaredDraft7(schema), JsonSchemaPatterns::linear);
        } catch (CompiledJsonSchema.NotCompiled e) {
            return e;
        }
    }
}
