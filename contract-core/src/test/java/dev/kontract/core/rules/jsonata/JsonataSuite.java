package dev.kontract.core.rules.jsonata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The jsonata-js test suite in {@code shared/testdata/jsonata-test-suite} (MIT): every case with its
 * input, bindings, bounds and expected result, undefined result or error code.
 */
final class JsonataSuite {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** One case; {@code input} is {@code null} for an undefined input. */
    record Case(String id, String expr, JsonNode input, Map<String, JsonNode> bindings, JsonNode result,
            boolean undefinedResult, String code, Long timeLimit, Integer depth) {

        boolean expectsError() {
            return code != null;
        }
    }

    private JsonataSuite() {}

    /** The suite's folder, found from the module upwards ({@code shared/} sits beside the repository). */
    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/testdata/jsonata-test-suite");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/testdata/jsonata-test-suite not found above " + here
                + " (the repository's shared/ folder must sit beside the clone)");
    }

    static List<Case> cases() {
        Path root = root();
        Map<String, JsonNode> datasets = new LinkedHashMap<>();
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("groups"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode node = JSON.readTree(file.toFile());
                String id = root.resolve("groups").relativize(file).toString().replace(".json", "");
                if (node.isArray()) {
                    for (int i = 0; i < node.size(); i++) {
                        cases.add(parse(id + "[" + i + "]", file, node.get(i), root, datasets));
                    }
                } else {
                    cases.add(parse(id, file, node, root, datasets));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    private static Case parse(String id, Path file, JsonNode node, Path root, Map<String, JsonNode> datasets) {
        JsonNode input;
        if (node.has("data")) {
            input = node.get("data");
        } else if (node.hasNonNull("dataset")) {
            String name = node.get("dataset").stringValue();
            input = datasets.computeIfAbsent(name, n -> JSON.readTree(root.resolve("datasets/" + n + ".json").toFile()));
        } else {
            input = null;
        }
        Map<String, JsonNode> bindings = new LinkedHashMap<>();
        if (node.has("bindings")) {
            node.get("bindings").properties().forEach(e -> bindings.put(e.getKey(), e.getValue()));
        }
        String code = node.has("code") ? node.get("code").stringValue()
                : node.has("error") && node.get("error").has("code") ? node.get("error").get("code").stringValue() : null;
        String expr;
        if (node.has("expr-file")) {
            try {
                expr = Files.readString(file.resolveSibling(node.get("expr-file").stringValue()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            expr = node.get("expr").stringValue();
        }
        return new Case(id, expr, input, bindings, node.get("result"),
                node.path("undefinedResult").asBoolean(false), code,
                node.has("timelimit") ? node.get("timelimit").asLong() : null,
                node.has("depth") ? node.get("depth").asInt() : null);
    }

    /** Equality of JSON results as the suite means it: numbers by value, objects regardless of key order. */
    static boolean same(JsonNode expected, JsonNode actual) {
        if (expected == null || actual == null) {
            return expected == actual;
        }
        if (expected.isNumber() && actual.isNumber()) {
            return expected.doubleValue() == actual.doubleValue();
        }
        if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                return false;
            }
            for (int i = 0; i < expected.size(); i++) {
                if (!same(expected.get(i), actual.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isObject() && actual.isObject()) {
            if (expected.size() != actual.size()) {
                return false;
            }
            for (var entry : expected.properties()) {
                if (!same(entry.getValue(), actual.get(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return expected.equals(actual);
    }
}
