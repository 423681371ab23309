package dev.kontract.core.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The official JSON Schema Test Suite in {@code shared/testdata/json-schema-test-suite} (MIT): its
 * draft-07 groups, each a schema and tests of data the schema should or should not accept.
 */
final class JsonSchemaSuite {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String DRAFT_7 = "http://json-schema.org/draft-07/schema#";

    /** One test; {@code file} is relative to the draft's folder ({@code optional/format/date.json}). */
    record Test(String file, String group, String description, JsonNode schema, JsonNode data, boolean valid) {

        String id() {
            return file + " / " + group + " / " + description;
        }
    }

    private JsonSchemaSuite() {}

    /** The draft-07 folder, found from the module upwards ({@code shared/} sits beside the repository). */
    static Path draft7() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/testdata/json-schema-test-suite/draft7");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/testdata/json-schema-test-suite not found above " + here
                + " (the repository's shared/ folder must sit beside the clone)");
    }

    /** The tests of the files under {@code folder} (relative to the draft's folder) that {@code select} picks. */
    static List<Test> tests(java.util.function.Predicate<String> select) {
        Path root = draft7();
        List<Test> tests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                String name = root.relativize(file).toString().replace('\\', '/');
                if (!select.test(name)) {
                    continue;
                }
                for (JsonNode group : JSON.readTree(file.toFile())) {
                    for (JsonNode test : group.get("tests")) {
                        tests.add(new Test(name, group.get("description").stringValue(),
                                test.get("description").stringValue(), group.get("schema"), test.get("data"),
                                test.get("valid").booleanValue()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tests;
    }

    /** The schema as draft-07 says it is: the suite's schemas leave {@code $schema} out. */
    static JsonNode declaredDraft7(JsonNode schema) {
        if (!schema.isObject() || schema.has("$schema")) {
            return schema;
        }
        ObjectNode declared = JSON.createObjectNode().put("$schema", DRAFT_7);
        declared.setAll((ObjectNode) schema);
        return declared;
    }
}
