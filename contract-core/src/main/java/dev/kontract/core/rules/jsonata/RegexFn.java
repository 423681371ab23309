package dev.kontract.core.rules.jsonata;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A regex literal of a compiled rule, run on RE2/J so that matching takes time linear in the input
 * whatever the pattern and the value. JavaScript's dialect is translated where the two differ
 * ({@code .}, {@code \s}, {@code \\uXXXX}, {@code \/}); a pattern RE2/J cannot run
 * (backreferences, lookaround) does not compile, and its rule runs interpreted.
 */
final class RegexFn implements Fn {

    /** One match: the matched text, where it starts and ends, and the groups ({@code null} when unmatched). */
    record Match(String match, int start, int end, List<String> groups) {}

    private static final String JS_SPACE =
            "\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";

    private final String source;
    private final Pattern pattern;

    private RegexFn(String source, Pattern pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    /**
     * @throws JsonataCompiler.NotCompiled when RE2/J cannot run the pattern
     */
    static RegexFn compile(String jsPattern, boolean caseInsensitive, boolean multiline) {
        int flags = (caseInsensitive ? Pattern.CASE_INSENSITIVE : 0) | (multiline ? Pattern.MULTILINE : 0);
        try {
            return new RegexFn(jsPattern, Pattern.compile(translate(jsPattern), flags));
        } catch (PatternSyntaxException | IllegalArgumentException e) {
            throw new JsonataCompiler.NotCompiled("regex /" + jsPattern + "/ (syntax RE2/J cannot run in linear time,"
                    + " such as a backreference or lookaround)");
        }
    }

    /** JavaScript regex syntax to RE2 syntax, where they differ. */
    static String translate(String js) {
        StringBuilder out = new StringBuilder(js.length() + 16);
        boolean inClass = false;
        for (int i = 0; i < js.length(); i++) {
            char c = js.charAt(i);
            if (c == '\\' && i + 1 < js.length()) {
                char next = js.charAt(++i);
                switch (next) {
                    case 's' -> out.append(inClass ? JS_SPACE : "[" + JS_SPACE + "]");
                    case 'S' -> {
                        if (inClass) {
                            throw new IllegalArgumentException("\\S in a class");
                        }
                        out.append("[^").append(JS_SPACE).append(']');
                    }
                    case 'u' -> {
                        if (isHex(js, i + 1, 4)) {
                            out.append("\\x{").append(js, i + 1, i + 5).append('}');
                            i += 4;
                        } else {
                            throw new IllegalArgumentException("bad \\u escape");
                        }
                    }
                    case '/' -> out.append('/');
                    case 'd', 'D', 'w', 'W', 'b', 'B', 'n', 'r', 't', 'f', 'v', '\\', '.', '*', '+', '?', '(', ')',
                            '[', ']', '{', '}', '|', '^', '$', '-' -> {
                        if (next == 'v') {
                            out.append("\\x{0B}");
                        } else {
                            out.append('\\').append(next);
                        }
                    }
                    case 'x' -> {
                        if (isHex(js, i + 1, 2)) {
                            out.append("\\x{").append(js, i + 1, i + 3).append('}');
                            i += 2;
                        } else {
                            throw new IllegalArgumentException("bad \\x escape");
                        }
                    }
                    default -> {
                        if (Character.isLetterOrDigit(next)) {
                            throw new IllegalArgumentException("escape \\" + next);
                        }
                        out.append('\\').append(next);
                    }
                }
                continue;
            }
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
                out.append(c);
            } else if (c == '[') {
                inClass = true;
                out.append(c);
                if (i + 1 < js.length() && js.charAt(i + 1) == '^') {
                    out.append('^');
                    i++;
                }
                if (i + 1 < js.length() && js.charAt(i + 1) == ']') {
                    throw new IllegalArgumentException("empty class");
                }
            } else if (c == '.') {
                out.append("[^\\n\\r\\x{2028}\\x{2029}]");
            } else if (c == '(' && i + 2 < js.length() && js.charAt(i + 1) == '?' && js.charAt(i + 2) == '<'
                    && i + 3 < js.length() && js.charAt(i + 3) != '=' && js.charAt(i + 3) != '!') {
                out.append("(?P<");
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isHex(String s, int from, int count) {
        if (from + count > s.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    boolean test(String input) {
        return pattern.matcher(input).find();
    }

    /** The first match at or after {@code from}; {@code null} when there is none. */
    Match find(String input, int from) {
        if (from > input.length()) {
            return null;
        }
        Matcher matcher = pattern.matcher(input);
        if (!matcher.find(from)) {
            return null;
        }
        List<String> groups = new ArrayList<>(matcher.groupCount());
        for (int g = 1; g <= matcher.groupCount(); g++) {
            groups.add(matcher.group(g));
        }
        return new Match(matcher.group(), matcher.start(), matcher.end(), groups);
    }

    /**
     * Every match, as JSONata's regex closure yields them: the next search starts where the last
     * match ended, and a later match of the empty string is error D1004.
     */
    List<Match> all(String input, int limit) {
        List<Match> matches = new ArrayList<>();
        Match match = find(input, 0);
        while (match != null && matches.size() < limit) {
            matches.add(match);
            if (match.end() >= input.length()) {
                break;
            }
            match = find(input, match.end());
            if (match != null && match.match().isEmpty()) {
                throw new JsonataError("D1004", "regular expression matches zero length string");
            }
        }
        return matches;
    }

    static Map<String, Object> matchObject(Match match, boolean withEnd) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("match", match.match());
        if (withEnd) {
            object.put("start", match.start());
            object.put("end", match.end());
        } else {
            object.put("index", match.start());
        }
        Seq groups = new Seq(false);
        for (String group : match.groups()) {
            groups.add(group == null ? Values.NULL : group);
        }
        object.put("groups", groups);
        return object;
    }

    @Override
    public Object apply(Object[] args, Object context, Env env) {
        Object input = args.length > 0 ? args[0] : null;
        if (!(input instanceof String text)) {
            return null;
        }
        Match match = find(text, 0);
        return match == null ? null : matchObject(match, true);
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public String toString() {
        return "/" + source + "/";
    }
}
