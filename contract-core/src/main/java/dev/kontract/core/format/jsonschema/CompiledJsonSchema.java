package dev.kontract.core.format.jsonschema;

import com.google.re2j.Pattern;
import java.util.Objects;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * A JSON Schema compiled into checks over Jackson trees, the fast path of JSON validation: it
 * answers only whether a record is valid, and everit, the reference, says why one is not.
 *
 * <p><b>How it works.</b> Each subschema becomes one immutable check object, built once: a bitmask
 * of the types it allows, then its keywords grouped by the type they apply to (object, array,
 * string, number), each group resolved at compile time ({@code properties} to a map from name to
 * check that also counts {@code required} names, an {@code enum} of strings to a set, patterns to
 * RE2/J programs, bounds to precomputed long and double forms), then the keywords of any type and
 * the applicators ({@code allOf}, {@code anyOf}, {@code oneOf}, {@code not}, {@code if},
 * {@code $ref}, resolved within the document, recursion included). Validating switches on a node's
 * type once, walks an object's properties once, and allocates nothing on the valid path but what
 * {@code pattern}, {@code patternProperties}, {@code propertyNames}, long {@code uniqueItems} arrays
 * and decimal {@code multipleOf} need.
 *
 * <p><b>Semantics.</b> Those of the draft everit reads the schema as (draft-07, draft-06 or draft-04
 * by {@code $schema}, draft-04 without it), as the JSON Schema Test Suite checks draft-07, with the
 * choices everit makes where Kontract relies on it: {@code pattern} is Java's dialect, matched with
 * {@code find()}; a {@code format} is valid exactly when everit's validator for it says so (with fast
 * checks for well-formed dates, times and IPv4 addresses), and a format everit does not know asserts
 * nothing; a number compares by value (1 is 1.0), a double as the decimal {@link Double#toString}
 * gives it. The record is also held to the codec's limits: containers at most {@code maxDepth} levels
 * below it, finite numbers.
 *
 * <p><b>What is not compiled</b> ({@link #compile} throws {@link NotCompiled}, naming the keyword and
 * where): a {@code $schema} everit does not know, a {@code $ref} out of the document, a pattern RE2/J
 * cannot run, a cycle of {@code $ref}s that would apply to one value forever, a keyword whose value
 * the draft does not allow. Instances are immutable and thread-safe.
 */
public final class CompiledJsonSchema {

    private final SchemaCheck root;

    private CompiledJsonSchema(SchemaCheck root) {
        this.root = root;
    }

    /**
     * Compiles a schema document.
     *
     * @param patterns a {@code pattern} or {@code patternProperties} regex as an RE2/J program with
     *     the meaning the schema's validator gives it, or {@code null} when RE2/J cannot run it
     * @throws NotCompiled when the schema uses what is not compiled
     */
    public static CompiledJsonSchema compile(JsonNode document, Function<String, Pattern> patterns) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(patterns, "patterns");
        return new CompiledJsonSchema(SchemaCompiler.compile(document, patterns));
    }

    /**
     * Whether a record meets the schema, nests containers at most {@code maxDepth} levels below itself
     * and holds only finite numbers.
     */
    public boolean isValid(JsonNode record, int maxDepth) {
        return root.test(record, maxDepth);
    }

    /** A schema uses what the compiler does not compile; the message names the keyword, where, and why. */
    public static final class NotCompiled extends RuntimeException {

        private final String keyword;
        private final String pointer;

        NotCompiled(String keyword, String pointer, String reason) {
            super("'" + keyword + "' at " + pointer + ": " + reason, null, false, false);
            this.keyword = keyword;
            this.pointer = pointer;
        }

        /** The keyword that is not compiled. */
        public String keyword() {
            return keyword;
        }

        /** Where it is: a JSON pointer into the schema document, as a URI fragment ({@code #/properties/a}). */
        public String pointer() {
            return pointer;
        }
    }
}
