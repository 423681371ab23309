package dev.kontract.core.rules.jsonata;

import com.api.jsonata4java.expressions.regex.RegexEngine;
import com.api.jsonata4java.expressions.regex.RegexFlags;
import com.api.jsonata4java.expressions.regex.RegexMatch;
import com.api.jsonata4java.expressions.regex.RegexPattern;
import dev.kontract.core.internal.DeadlineChars;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The interpreter's regex engine: {@code java.util.regex}, as JSONata4Java's default, but matching over
 * a {@code CharSequence} that checks the evaluation's deadline as the matcher reads it, so that a
 * backtracking pattern cannot hold a thread past the rule's time bound. JSONata4Java checks its own
 * clock only between expression nodes; one regex call could otherwise run unbounded.
 */
final class BoundedRegexEngine implements RegexEngine {

    /** The deadline of the evaluation running on this thread, in {@code System.nanoTime()} terms. */
    private static final ThreadLocal<long[]> DEADLINE = ThreadLocal.withInitial(() -> new long[] {Long.MAX_VALUE, 0});

    /** A match ran past the evaluation's deadline. */
    static final class RegexTimeout extends RuntimeException {
        RegexTimeout() {
            super("regular expression ran past the rule's time bound", null, false, false);
        }
    }

    static void start(long timeoutNanos) {
        long[] deadline = DEADLINE.get();
        deadline[0] = timeoutNanos;
        deadline[1] = System.nanoTime();
    }

    static void finish() {
        DEADLINE.get()[0] = Long.MAX_VALUE;
    }

    @Override
    public RegexPattern compile(String pattern, RegexFlags flags) {
        int javaFlags = (flags.isCaseInsensitive() ? Pattern.CASE_INSENSITIVE : 0) | (flags.isMultiline() ? Pattern.MULTILINE : 0);
        return new Bounded(Pattern.compile(pattern, javaFlags));
    }

    /** The input as a matcher reads it, checking the evaluation's deadline (if one runs on this thread). */
    private static DeadlineChars deadlineChars(String input) {
        long[] deadline = DEADLINE.get();
        return new DeadlineChars(input, deadline[1], deadline[0], RegexTimeout::new);
    }

    private static final class Bounded implements RegexPattern {
        private final Pattern pattern;

        Bounded(Pattern pattern) {
            this.pattern = pattern;
        }

        private Matcher matcher(String input) {
            return pattern.matcher(deadlineChars(input));
        }

        @Override
        public boolean test(String input) {
            return matcher(input).find();
        }

        @Override
        public Optional<RegexMatch> findFirst(String input, int fromIndex) {
            if (fromIndex < 0 || fromIndex > input.length()) {
                return Optional.empty();
            }
            Matcher matcher = matcher(input);
            return matcher.find(fromIndex) ? Optional.of(match(matcher)) : Optional.empty();
        }

        @Override
        public List<RegexMatch> findAll(String input) {
            List<RegexMatch> matches = new ArrayList<>();
            Matcher matcher = matcher(input);
            while (matcher.find()) {
                matches.add(match(matcher));
            }
            return matches;
        }

        @Override
        public String[] split(String input) {
            return pattern.split(deadlineChars(input));
        }

        private static RegexMatch match(Matcher matcher) {
            List<String> groups = new ArrayList<>();
            for (int i = 1; i <= matcher.groupCount(); i++) {
                groups.add(matcher.group(i));
            }
            return new RegexMatch(matcher.group(), matcher.start(), groups);
        }
    }
}
