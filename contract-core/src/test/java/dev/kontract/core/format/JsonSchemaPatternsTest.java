package dev.kontract.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.everit.json.schema.loader.SchemaLoader;
import org.json.JSONObject;
import org.json.JSONTokener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON Schema {@code pattern}s run in bounded time whatever the value (issue #11, point 5) and mean
 * what they meant with everit's default ({@code java.util.regex}).
 */
class JsonSchemaPatternsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Where java.util.regex takes about two minutes (measured: 40 'a's then '!', JDK 17). */
    private static final String HOSTILE = "a".repeat(40) + "!";

    // ---- hostile values ----

    @Test
    void pattern_backtrackingForMinutesOnJavaUtilRegex_failsAtOnce() {
        RecordCodec codec = RecordCodec.of(HostileInputTest.json("patterns.schema.json"));

        for (String field : new String[] {"nested", "classic"}) {
            JsonNode record = record("{\"" + field + "\": \"" + HOSTILE + "\"}");
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThatThrownBy(() -> codec.fromJson(record, null))
                    .isInstanceOf(InvalidRecordException.class)
                    .hasMessage("does not match JSON Schema Patterns: #/" + field + ": violates 'pattern'"));
        }
        assertThat(codec.fromJson(record("{\"nested\": \"" + "a".repeat(12) + "\", \"classic\": \"aaa\"}"), null)).isNotNull();
    }

    @Test
    void patternProperties_backtrackingForMinutesOnJavaUtilRegex_failsAtOnce() {
        RecordCodec codec = RecordCodec.of(HostileInputTest.json("patterns.schema.json"));
        JsonNode matching = record("{\"" + "x".repeat(12) + "\": \"not a number\"}");
        JsonNode hostile = record("{\"" + "x".repeat(40) + "!\": \"anything\"}");

        assertThatThrownBy(() -> codec.fromJson(matching, null))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("does not match JSON Schema Patterns: #/xxxxxxxxxxxx: expected type: Number, found: String");
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThat(codec.fromJson(hostile, null)).isNotNull());
    }

    /** A backreference RE2/J cannot run: java.util.regex, cut off at the validation's bound. */
    @Test
    void pattern_backreference_runsWithinTheValidationBound() {
        JsonContractSchema schema = HostileInputTest.json("patterns.schema.json");
        RecordCodec codec = RecordCodec.of(schema);
        JsonNode record = record("{\"backreference\": \"" + HOSTILE + "\"}");

        assertThat(schema.boundedPatterns()).containsExactly("^(a+)*\\1$");
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThatThrownBy(() -> codec.fromJson(record, null))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("does not match JSON Schema Patterns: pattern ^(a+)*\\1$ ran past the 100 ms bound of one"
                        + " record's validation (it runs on java.util.regex: RE2/J cannot run it)"));
        assertThat(codec.fromJson(record("{\"backreference\": \"aaaa\"}"), null)).isNotNull();
        assertThatThrownBy(() -> codec.fromJson(record("{\"backreference\": \"ab\"}"), null))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("does not match JSON Schema Patterns: #/backreference: violates 'pattern'");
    }

    /** everit's validator used directly, outside a codec: each match has the bound to itself. */
    @Test
    void pattern_backreferenceValidatedOutsideACodec_isStillBounded() {
        Schema everit = HostileInputTest.json("patterns.schema.json").schema();
        JSONObject record = new JSONObject("{\"backreference\": \"" + HOSTILE + "\"}");

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThatThrownBy(() -> everit.validate(record))
                .isInstanceOf(JsonSchemaPatterns.PatternTimeout.class));
    }

    // ---- the translation keeps java.util.regex's meaning ----

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', value = {
        "^abc$                => ^abc(?:\\r\\n|[\\n\\r\\x{85}\\x{2028}\\x{2029}])?\\z",
        "a.c                  => a[^\\n\\r\\x{85}\\x{2028}\\x{2029}]c",
        "\\s+\\S              => [\\t\\n\\x{0B}\\f\\r ]+[^\\t\\n\\x{0B}\\f\\r ]",
        "[\\sx]               => [\\t\\n\\x{0B}\\f\\r x]",
        "\\u00e9[\\u0041-\\u005A] => \\x{00e9}[\\x{0041}-\\x{005A}]",
        "^(?:ab)+\\.\\d{2,3}?$|^x => ^(?:ab)+\\.\\d{2,3}?(?:\\r\\n|[\\n\\r\\x{85}\\x{2028}\\x{2029}])?\\z|^x",
        "^\\p{Lu}\\pL*[^\\p{N}]   => ^\\p{Lu}\\pL*[^\\p{N}]",
    })
    void toRe2_translatesWhereTheDialectsDiffer(String java, String re2) {
        assertThat(JsonSchemaPatterns.toRe2(java)).isEqualTo(re2);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', value = {
        "(?i)abc", "(?=a)a", "(?<n>a)", "(a)\\1", "\\bword\\b", "a++b", "a?+", "\\Qa.b\\E", "[a-z&&[^b]]", "[a[b]]",
        "[]a]", "a$\\n", "(a$)b", "\\Z", "\\h", "\\v", "\\R", "\\e", "\\0101", "[\\s-x]", "[\\w-]", "\\p{Alpha}",
        "\\p{IsLatin}", "\\uD83D\\uDE00", "\\cC",
    })
    void toRe2_givesUpWhereItCannotKeepTheMeaning(String java) {
        assertThat(JsonSchemaPatterns.toRe2(java)).isNull();
    }

    /** Every pattern, translated or not, answers as java.util.regex's find() does. */
    @Test
    void patterns_matchAsJavaUtilRegexDoes() {
        List<String> patterns = List.of("^abc$", "abc$", "^a.c$", ".", "^.+$", "\\s", "\\S+", "[\\s]", "[^\\s]", "\\w+$",
                "^\\d+$", "^[a-z]+$", "^\\p{L}+$", "^\\P{L}$", "\\u00e9", "[\\u0041-\\u005A]+", "^$", "abc$|^b",
                "^(a|b)$", "^(?:ab)+$", "x{2,3}", "a*?b", "[^\\n]", "\\.", "\\x41", "\\x{1F600}", "😀", "^.$",
                "^\\p{Lu}", "[a-z&&[^b]]", "(?i)abc", "\\bword\\b", "(?=a)a", "(a)\\1", "a++b", "\\Qa.b\\E", "[\\w-]+",
                "\\Z", "\\h", "\\v", "a{1001}", "^[\\]\\-\\\\]+$", "\\/", "a\\ b", "[.$^]", "^\\t$", "\\A\\w\\z",
                "^[^a-z]$", "(x+x+)+y");
        List<String> inputs = List.of("", "abc", "abc\n", "abc\r\n", "abc\r", "abc\u2028", "abc\u0085", "abc\n\n", "a\nc",
                "a\rc", "a\u2028c", "axc", "a\u000Bb", "\u000B", " ", "\t", "é", "É", "😀", "a😀", "A", "ab", "abab",
                "xx", "xxx", "aab", "a.b", "word", "a word!", "ABC", "Abc", "123", "١٢٣", "-]\\", "a b", "/", "$", "b",
                "a".repeat(1001), "x".repeat(20) + "y");
        List<String> differences = new ArrayList<>();
        for (String pattern : patterns) {
            var handler = new JsonSchemaPatterns().createHandler(pattern);
            java.util.regex.Pattern reference = java.util.regex.Pattern.compile(pattern);
            for (String input : inputs) {
                boolean expected = reference.matcher(input).find();
                boolean actual = handler.patternMatchingFailure(input).isEmpty();
                if (expected != actual) {
                    differences.add(pattern + " on " + input.replace("\n", "\\n").replace("\r", "\\r") + ": " + actual);
                }
            }
        }
        assertThat(differences).isEmpty();
    }

    /**
     * The JSON-Schema-Test-Suite (draft 7, with its optional tests): every case validates as it did with
     * everit's default regex factory, whether or not that is what the suite expects (Java's dialect
     * is not ECMA-262's).
     */
    @Test
    void testSuite_validatesAsEveritsDefaultDid() throws IOException {
        Path root = suite();
        List<String> differences = new ArrayList<>();
        int compared = 0;
        int patternCases = 0;
        try (Stream<Path> files = Files.walk(root.resolve("draft7"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".json")).sorted().toList()) {
                String text = Files.readString(file);
                for (JsonNode group : JSON.readTree(text)) {
                    String schemaText = JSON.writeValueAsString(group.get("schema"));
                    Schema ours;
                    Schema before;
                    try {
                        ours = JsonContractSchema.parse(schemaText).schema();
                        before = SchemaLoader.builder().schemaJson(new JSONObject(schemaText))
                                .schemaClient(url -> {
                                    throw new UncheckedIOException(new IOException("remote"));
                                })
                                .build().load().build();
                    } catch (RuntimeException e) {
                        continue; // boolean schemas, remote refs: neither loads
                    }
                    boolean patterns = schemaText.contains("\"pattern");
                    for (JsonNode test : group.get("tests")) {
                        Object data = new JSONTokener(JSON.writeValueAsString(test.get("data"))).nextValue();
                        String outcome = outcome(ours, data);
                        if (!outcome.equals(outcome(before, data))) {
                            differences.add(root.relativize(file) + ": " + group.get("description").asString() + ": "
                                    + test.get("description").asString());
                        }
                        compared++;
                        patternCases += patterns ? 1 : 0;
                    }
                }
            }
        }
        assertThat(differences).isEmpty();
        assertThat(compared).isGreaterThan(500);
        assertThat(patternCases).isGreaterThan(50);
    }

    /** valid, invalid, or overflow: a schema whose $refs loop without reading the value recurses forever. */
    private static String outcome(Schema schema, Object data) {
        try {
            schema.validate(data);
            return "valid";
        } catch (ValidationException e) {
            return "invalid";
        } catch (StackOverflowError e) {
            return "overflow";
        }
    }

    private static Path suite() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/testdata/json-schema-test-suite");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/testdata/json-schema-test-suite not found above " + here);
    }

    private static JsonNode record(String json) {
        RecordCodec codec = RecordCodec.of(HostileInputTest.json("tree.schema.json"));
        return (JsonNode) codec.decode(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
    }
}
