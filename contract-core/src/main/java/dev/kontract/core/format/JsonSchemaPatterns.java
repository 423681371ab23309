package dev.kontract.core.format;

import dev.kontract.core.internal.DeadlineChars;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.Set;
import org.everit.json.schema.regexp.JavaUtilRegexpFactory;
import org.everit.json.schema.regexp.Regexp;
import org.everit.json.schema.regexp.RegexpFactory;
import org.everit.json.schema.regexp.RegexpMatchingFailure;

/**
 * The regular expressions of one JSON Schema ({@code pattern}, {@code patternProperties}), matched
 * as everit's default matches them, {@code java.util.regex}'s {@code find()}, but never for longer
 * than a time bound, whatever the value.
 *
 * <p>A pattern is translated to RE2/J syntax with the same meaning and runs there, in time linear in
 * the value. The translation keeps {@code java.util.regex}'s meaning where the two differ ({@code .}
 * excludes every line terminator, {@code $} also matches before a final line terminator, {@code \s}
 * includes {@code \x0B}, {@code \\uXXXX}) and gives up on anything whose meaning it cannot keep exactly
 * (inline flags, {@code \b}, class unions and intersections, {@code $} before more pattern, escapes it
 * does not know). A pattern it gives up on, or that RE2/J cannot run (backreferences, lookaround,
 * possessive quantifiers, repetitions over 1,000), runs on {@code java.util.regex} over a string that
 * checks a deadline as it is read: all such matches of one record's validation share {@link #BOUND},
 * past which the validation fails with {@link PatternTimeout} (naming the pattern, not the value).
 * Patterns {@code java.util.regex} rejects are rejected at load, as before.
 */
final class JsonSchemaPatterns implements RegexpFactory {

    /** How long the {@code java.util.regex} matches of one record's validation may run together. */
    static final Duration BOUND = Duration.ofMillis(100);

    private static final long BOUND_NANOS = BOUND.toNanos();
    private static final long NOT_VALIDATING = Long.MIN_VALUE;
    /** When the validation running on this thread started, in {@code System.nanoTime()} terms. */
    private static final ThreadLocal<long[]> VALIDATION_START = ThreadLocal.withInitial(() -> new long[] {NOT_VALIDATING});
    /** everit's "does not match" (its constructor is not public): the same value whoever returns it. */
    private static final Optional<RegexpMatchingFailure> MISMATCH =
            new JavaUtilRegexpFactory().createHandler("a").patternMatchingFailure("b");

    private static final String LINE_TERMINATORS = "\\n\\r\\x{85}\\x{2028}\\x{2029}";
    private static final String JAVA_DOT = "[^" + LINE_TERMINATORS + "]";
    private static final String JAVA_DOLLAR = "(?:\\r\\n|[" + LINE_TERMINATORS + "])?\\z";
    private static final String JAVA_SPACE = "\\t\\n\\x{0B}\\f\\r ";

    private final Set<String> backtracking = new LinkedHashSet<>();

    /** A match ran past the validation's bound. */
    static final class PatternTimeout extends RuntimeException {
        PatternTimeout(String pattern) {
            super("pattern " + pattern + " ran past the " + BOUND.toMillis() + " ms bound of one record's validation"
                    + " (it runs on java.util.regex: RE2/J cannot run it)", null, false, false);
        }
    }

    /** Starts the bound of one record's validation on this thread; {@link #endValidation} ends it. */
    static void startValidation() {
        VALIDATION_START.get()[0] = System.nanoTime();
    }

    static void endValidation() {
        VALIDATION_START.get()[0] = NOT_VALIDATING;
    }

    /** The patterns that run on {@code java.util.regex}, in the order the schema loaded them. */
    Set<String> backtracking() {
        return backtracking;
    }

    @Override
    public Regexp createHandler(String pattern) {
        java.util.regex.Pattern backtracking = java.util.regex.Pattern.compile(pattern); // rejects what everit's default rejects
        com.google.re2j.Pattern linear = linear(pattern);
        if (linear != null) {
            return new Linear(pattern, linear);
        }
        this.backtracking.add(pattern);
        return new Bounded(pattern, backtracking);
    }

    /**
     * {@code pattern} as an RE2/J program with {@code java.util.regex}'s meaning for {@code find()},
     * or {@code null} when RE2/J cannot run it: what the compiled validator matches with, as everit does here.
     */
    static com.google.re2j.Pattern linear(String pattern) {
        String translated = toRe2(pattern);
        if (translated == null) {
            return null;
        }
        try {
            return com.google.re2j.Pattern.compile(translated);
        } catch (com.google.re2j.PatternSyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * {@code pattern} (valid for {@code java.util.regex}) in RE2/J syntax with the same meaning for
     * {@code find()}, or {@code null} when it has a construct whose meaning this cannot keep.
     */
    static String toRe2(String pattern) {
        StringBuilder out = new StringBuilder(pattern.length() + 32);
        boolean inClass = false;
        boolean quantified = false;
        int groups = 0;
        int n = pattern.length();
        for (int i = 0; i < n; i++) {
            char c = pattern.charAt(i);
            boolean afterQuantifier = quantified;
            quantified = false;
            if (c == '\\') {
                if (++i >= n) {
                    return null;
                }
                char e = pattern.charAt(i);
                switch (e) {
                    case 'd', 'D', 'w', 'W' -> {
                        if (inClass && nextToRange(pattern, i)) {
                            return null;
                        }
                        out.append('\\').append(e);
                    }
                    case 't', 'n', 'r', 'f', 'a' -> out.append('\\').append(e);
                    case 's' -> {
                        if (inClass && nextToRange(pattern, i)) {
                            return null;
                        }
                        out.append(inClass ? JAVA_SPACE : "[" + JAVA_SPACE + "]");
                    }
                    case 'S' -> {
                        if (inClass) {
                            return null;
                        }
                        out.append("[^").append(JAVA_SPACE).append(']');
                    }
                    case 'A', 'z' -> {
                        if (inClass) {
                            return null;
                        }
                        out.append('\\').append(e);
                    }
                    case 'x' -> {
                        int end = i + 1 < n && pattern.charAt(i + 1) == '{' ? pattern.indexOf('}', i) : i + 2;
                        if (end < 0 || end >= n) {
                            return null;
                        }
                        out.append('\\').append(pattern, i, end + 1);
                        i = end;
                    }
                    case 'u' -> {
                        // Java joins an escaped surrogate pair into one code point; RE2/J would not
                        if (i + 4 >= n || Character.isSurrogate((char) Integer.parseInt(pattern.substring(i + 1, i + 5), 16))) {
                            return null;
                        }
                        out.append("\\x{").append(pattern, i + 1, i + 5).append('}');
                        i += 4;
                    }
                    case 'p', 'P' -> {
                        int end = generalCategoryEnd(pattern, i + 1);
                        if (end < 0 || inClass && (nextToRange(pattern, i) || end < n && pattern.charAt(end) == '-')) {
                            return null;
                        }
                        out.append('\\').append(pattern, i, end);
                        i = end - 1;
                    }
                    default -> {
                        // an escaped ASCII symbol is itself in both; letters and digits mean different things
                        if (e >= 128 || Character.isLetterOrDigit(e)) {
                            return null;
                        }
                        out.append('\\').append(e);
                    }
                }
                continue;
            }
            if (inClass) {
                if (c == '[' || c == '&' && i + 1 < n && pattern.charAt(i + 1) == '&') {
                    return null; // Java's class union and intersection
                }
                if (c == ']') {
                    inClass = false;
                }
                out.append(c);
                continue;
            }
            switch (c) {
                case '[' -> {
                    inClass = true;
                    out.append('[');
                    if (i + 1 < n && pattern.charAt(i + 1) == '^') {
                        out.append('^');
                        i++;
                    }
                    if (i + 1 < n && pattern.charAt(i + 1) == ']') {
                        return null;
                    }
                }
                case '.' -> out.append(JAVA_DOT);
                case '$' -> {
                    // consumes the final line terminator: the same for find() only where nothing may follow
                    boolean last = i + 1 == n || groups == 0 && pattern.charAt(i + 1) == '|';
                    if (!last) {
                        return null;
                    }
                    out.append(JAVA_DOLLAR);
                }
                case '(' -> {
                    groups++;
                    if (i + 1 < n && pattern.charAt(i + 1) == '?') {
                        if (i + 2 < n && pattern.charAt(i + 2) == ':') {
                            out.append("(?:");
                            i += 2;
                        } else {
                            return null; // inline flags, lookaround, named and atomic groups
                        }
                    } else {
                        out.append('(');
                    }
                }
                case ')' -> {
                    groups--;
                    out.append(')');
                }
                case '*', '+', '?', '}' -> {
                    if (c == '+' && afterQuantifier) {
                        return null; // possessive: RE2/J has no such thing
                    }
                    quantified = true;
                    out.append(c);
                }
                default -> out.append(c);
            }
        }
        return inClass ? null : out.toString();
    }

    /**
     * Whether the class escape whose letter is at {@code letter} touches a {@code -}: Java reads a
     * range's end there where RE2/J (once {@code \s} is spelled out) would read another range.
     */
    private static boolean nextToRange(String pattern, int letter) {
        return letter + 1 < pattern.length() && pattern.charAt(letter + 1) == '-'
                || letter >= 2 && pattern.charAt(letter - 2) == '-';
    }

    /** Where {@code \p} or {@code \P} ends when it names a Unicode general category ({@code L}, {@code {Lu}}), else -1. */
    private static int generalCategoryEnd(String pattern, int at) {
        if (at < pattern.length() && "LMNPSZC".indexOf(pattern.charAt(at)) >= 0) {
            return at + 1;
        }
        int close = pattern.indexOf('}', at);
        if (at >= pattern.length() || pattern.charAt(at) != '{' || close < 0) {
            return -1;
        }
        String name = pattern.substring(at + 1, close);
        boolean category = (name.length() == 1 || name.length() == 2 && Character.isLowerCase(name.charAt(1)))
                && "LMNPSZC".indexOf(name.charAt(0)) >= 0;
        return category ? close + 1 : -1;
    }

    private abstract static class Handler implements Regexp {
        final String source;

        Handler(String source) {
            this.source = source;
        }

        /** Whether the pattern matches somewhere in {@code input}, as everit's {@code find()} does. */
        abstract boolean find(String input);

        @Override
        public Optional<RegexpMatchingFailure> patternMatchingFailure(String input) {
            return find(input) ? Optional.empty() : MISMATCH;
        }

        @Override
        public boolean equals(Object other) {
            return other != null && other.getClass() == getClass() && ((Handler) other).source.equals(source);
        }

        @Override
        public int hashCode() {
            return source.hashCode();
        }

        @Override
        public String toString() {
            return source;
        }
    }

    /** A pattern RE2/J runs. */
    private static final class Linear extends Handler {
        private final com.google.re2j.Pattern pattern;

        Linear(String source, com.google.re2j.Pattern pattern) {
            super(source);
            this.pattern = pattern;
        }

        @Override
        boolean find(String input) {
            return pattern.matcher(input).find();
        }
    }

    /** A pattern {@code java.util.regex} runs, within the bound. */
    private static final class Bounded extends Handler {
        private final java.util.regex.Pattern pattern;

        private final Supplier<PatternTimeout> timeout;

        Bounded(String source, java.util.regex.Pattern pattern) {
            super(source);
            this.pattern = pattern;
            this.timeout = () -> new PatternTimeout(source);
        }

        @Override
        boolean find(String input) {
            long start = VALIDATION_START.get()[0];
            return pattern.matcher(new DeadlineChars(input, start == NOT_VALIDATING ? System.nanoTime() : start,
                    BOUND_NANOS, timeout)).find();
        }
    }
}
