package dev.kontract.core.rules.jsonata;

import static org.assertj.core.api.Assertions.assertThat;

import com.api.jsonata4java.expressions.Expressions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Where the reference interpreter, JSONata4Java, departs from the jsonata-js test suite among the cases
 * the compiler compiles: the compiled path follows the suite, and docs/jsonata4java-deviations.md lists
 * these case ids. The test keeps that list exact. Error cases count as agreeing when JSONata4Java fails
 * at all (its messages carry no JSONata codes).
 */
class Jsonata4JavaSuiteTest {

    private static final Pattern CASE_ID = Pattern.compile("^\\| `([^`]+)` \\|", Pattern.MULTILINE);

    @Test
    void deviationsOfJsonata4JavaAreTheDocumentedOnes() throws IOException {
        Set<String> deviations = new TreeSet<>();
        for (JsonataSuite.Case c : JsonataSuite.cases()) {
            if (!c.bindings().isEmpty() || !compiles(c)) {
                continue;
            }
            if (!agrees(c)) {
                deviations.add(c.id());
            }
        }
        Path doc = Path.of("").toAbsolutePath().getParent().resolve("docs/jsonata4java-deviations.md");
        Set<String> documented = new TreeSet<>();
        Matcher matcher = CASE_ID.matcher(Files.readString(doc));
        while (matcher.find()) {
            documented.add(matcher.group(1));
        }
        System.out.println("JSONata4Java departs from the suite on " + deviations.size() + " compiled cases: " + deviations);
        assertThat(documented).isEqualTo(deviations);
    }

    private static boolean compiles(JsonataSuite.Case c) {
        try {
            JsonataCompiler.compile(c.expr());
            return true;
        } catch (JsonataCompiler.NotCompiled e) {
            return false;
        }
    }

    private static boolean agrees(JsonataSuite.Case c) {
        JsonNode result;
        try {
            Expressions expressions = Expressions.parse(c.expr());
            result = expressions.evaluate(c.input(), c.timeLimit() != null ? c.timeLimit() : 5_000,
                    c.depth() != null ? c.depth() : 1_000);
        } catch (Exception | StackOverflowError e) {
            return c.expectsError();
        }
        if (c.expectsError()) {
            return false;
        }
        if (c.undefinedResult() || c.result() == null) {
            return result == null;
        }
        return JsonataSuite.same(c.result(), result);
    }

}
