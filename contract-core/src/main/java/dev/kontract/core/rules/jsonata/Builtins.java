package dev.kontract.core.rules.jsonata;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The JSONata functions compiled rules may call, each with its JSONata signature and the behaviour of
 * the jsonata-js reference implementation. A call to any other function keeps its rule interpreted.
 */
final class Builtins {

    @FunctionalInterface
    private interface Body {
        Object call(Object[] args, Env env);
    }

    @FunctionalInterface
    private interface UnaryBody {
        Object call(Object arg, Env env);
    }

    /** A built-in function: its signature validates the arguments, then its body runs. */
    static final class Builtin implements Fn {
        private final Signature signature;
        private final Body body;

        private final int arity;
        private final UnaryBody unary;

        Builtin(Signature signature, int arity, Body body, UnaryBody unary) {
            this.signature = signature;
            this.arity = arity;
            this.body = body;
            this.unary = unary;
        }

        @Override
        public Object apply(Object[] args, Object context, Env env) {
            return body.call(signature.validate(args, context), env);
        }

        /** A call with one argument: when the argument needs no change, no argument array is built. */
        Object applyOne(Object arg, Object context, Env env) {
            if (unary != null && signature.acceptsOne(arg)) {
                return unary.call(arg, env);
            }
            return apply(new Object[] {arg}, context, env);
        }

        @Override
        public int arity() {
            return arity;
        }
    }

    private static final Map<String, Builtin> FUNCTIONS = new LinkedHashMap<>();
    /** Higher-order functions pass a built-in as many arguments as jsonata-js declares for it. */
    private static final Map<String, Integer> DECLARED_ARITY = Map.of("string", 1);
    private static final Pattern DECIMAL = Pattern.compile("^-?[0-9]+(\\.[0-9]+)?([Ee][-+]?[0-9]+)?$");
    private static final Pattern RADIX = Pattern.compile("^0([xX][0-9A-Fa-f]+|[oO][0-7]+|[bB][01]+)$");

    static {
        defineUnary("exists", "<x:b>", (arg, env) -> arg != null);
        defineUnary("count", "<a:n>", (arg, env) -> arg == null ? 0 : Values.size(arg));
        define("sum", "<a<n>:n>", (a, env) -> {
            if (a[0] == null) {
                return null;
            }
            double total = 0;
            for (int i = 0; i < Values.size(a[0]); i++) {
                total += Values.num(Values.item(a[0], i));
            }
            return Values.number(total);
        });
        define("max", "<a<n>:n>", (a, env) -> extreme(a[0], true));
        define("min", "<a<n>:n>", (a, env) -> extreme(a[0], false));
        define("average", "<a<n>:n>", (a, env) -> {
            if (a[0] == null || Values.size(a[0]) == 0) {
                return null;
            }
            double total = 0;
            for (int i = 0; i < Values.size(a[0]); i++) {
                total += Values.num(Values.item(a[0], i));
            }
            return Values.number(total / Values.size(a[0]));
        });
        define("string", "<x-b?:s>", (a, env) -> a[0] == null ? null : Values.string(a[0]));
        define("number", "<(nsb)-:n>", (a, env) -> number(a[0]));
        defineUnary("boolean", "<x-:b>", (arg, env) -> Values.truthy(arg));
        defineUnary("not", "<x-:b>", (arg, env) -> arg == null ? null : !Values.isTrue(arg));
        defineUnary("length", "<s-:n>", (arg, env) -> arg == null ? null
                : ((String) arg).codePointCount(0, ((String) arg).length()));
        define("substring", "<s-nn?:s>", (a, env) -> substring((String) a[0], a[1], a[2]));
        defineUnary("uppercase", "<s-:s>", (arg, env) -> arg == null ? null : ((String) arg).toUpperCase(Locale.ROOT));
        defineUnary("lowercase", "<s-:s>", (arg, env) -> arg == null ? null : ((String) arg).toLowerCase(Locale.ROOT));
        define("trim", "<s-:s>", (a, env) -> a[0] == null ? null : trim((String) a[0]));
        define("pad", "<s-ns?:s>", (a, env) -> pad((String) a[0], a[1], (String) a[2], env));
        define("contains", "<s-(sf):b>", (a, env) -> {
            if (a[0] == null) {
                return null;
            }
            String text = (String) a[0];
            if (a[1] == null) {
                return null;
            }
            return a[1] instanceof String token ? text.contains(token) : regex(a[1]).test(text);
        });
        define("match", "<s-f<s:o>n?:a<o>>", (a, env) -> match(a[0], a[1], a[2]));
        define("replace", "<s-(sf)(sf)n?:s>", Builtins::replace);
        define("split", "<s-(sf)n?:a<s>>", (a, env) -> split(a[0], a[1], a[2]));
        define("join", "<a<s>s?:s>", (a, env) -> {
            if (a[0] == null) {
                return null;
            }
            StringBuilder out = new StringBuilder();
            String separator = a[1] == null ? "" : (String) a[1];
            for (int i = 0; i < Values.size(a[0]); i++) {
                if (i > 0) {
                    out.append(separator);
                }
                out.append((String) Values.item(a[0], i));
            }
            return out.toString();
        });
        define("keys", "<x-:a<s>>", (a, env) -> keys(a[0]));
        define("type", "<x:s>", (a, env) -> Values.typeName(a[0]));
        define("round", "<n-n?:n>", (a, env) -> round(a[0], a[1]));
        define("merge", "<a<o>:o>", (a, env) -> {
            if (a[0] == null) {
                return null;
            }
            Map<String, Object> merged = new LinkedHashMap<>();
            for (int i = 0; i < Values.size(a[0]); i++) {
                merged.putAll(Values.entries(Values.item(a[0], i)));
            }
            return merged;
        });
        define("sift", "<o-f?:o>", (a, env) -> sift(a[0], (Fn) a[1], env));
        define("map", "<af>", (a, env) -> higherOrder(a[0], (Fn) a[1], env, false));
        define("filter", "<af>", (a, env) -> higherOrder(a[0], (Fn) a[1], env, true));
    }

    private Builtins() {}

    private static void define(String name, String signature, Body body) {
        Signature parsed = new Signature("$" + name, signature);
        UnaryBody unary = parsed.arity() == 1 ? (arg, env) -> body.call(new Object[] {arg}, env) : null;
        FUNCTIONS.put(name, new Builtin(parsed, DECLARED_ARITY.getOrDefault(name, parsed.arity()), body, unary));
    }

    /** A one-argument built-in whose body needs no argument array. */
    private static void defineUnary(String name, String signature, UnaryBody body) {
        Signature parsed = new Signature("$" + name, signature);
        FUNCTIONS.put(name, new Builtin(parsed, DECLARED_ARITY.getOrDefault(name, parsed.arity()),
                (args, env) -> body.call(args[0], env), body));
    }

    /** The built-in bound to {@code $name}; {@code null} when Kontract does not compile it. */
    static Builtin get(String name) {
        return FUNCTIONS.get(name);
    }

    /** {@code $map} (the function's defined results) or {@code $filter} (the items it holds true for). */
    private static Object higherOrder(Object array, Fn fn, Env env, boolean filter) {
        if (array == null) {
            return null;
        }
        Seq result = new Seq(true);
        for (int i = 0; i < Values.size(array); i++) {
            env.run.tick();
            Object item = Values.item(array, i);
            Object value = Node.collapse(fn.apply(hofArgs(fn, item, i, array), null, env));
            if (filter ? Values.isTrue(value) : value != null) {
                result.add(filter ? item : value);
            }
        }
        return result;
    }

    private static Object[] hofArgs(Fn fn, Object value, Object key, Object whole) {
        int arity = fn.arity();
        if (arity >= 3) {
            return new Object[] {value, key instanceof Integer i ? (Object) i : key, whole};
        }
        if (arity == 2) {
            return new Object[] {value, key};
        }
        return new Object[] {value};
    }

    private static RegexFn regex(Object pattern) {
        if (pattern instanceof RegexFn regex) {
            return regex;
        }
        throw new JsonataError("T0410", "a compiled rule matches only regex literals");
    }

    private static Object extreme(Object array, boolean max) {
        if (array == null || Values.size(array) == 0) {
            return null;
        }
        double best = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        Object result = null;
        for (int i = 0; i < Values.size(array); i++) {
            Object item = Values.item(array, i);
            double d = Values.num(item);
            if (max ? d > best : d < best) {
                best = d;
                result = item;
            }
        }
        return result;
    }

    private static Object number(Object arg) {
        if (arg == null) {
            return null;
        }
        if (arg instanceof Number) {
            return arg;
        }
        if (arg instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (arg instanceof String s) {
            if (DECIMAL.matcher(s).matches()) {
                double d = Double.parseDouble(s);
                if (Double.isFinite(d)) {
                    return Values.number(d);
                }
            } else if (RADIX.matcher(s).matches()) {
                int radix = switch (Character.toLowerCase(s.charAt(1))) {
                    case 'x' -> 16;
                    case 'o' -> 8;
                    default -> 2;
                };
                return Values.number(new java.math.BigInteger(s.substring(2), radix).doubleValue());
            }
        }
        throw new JsonataError("D3030", "unable to cast value to a number");
    }

    /**
     * {@code $pad}: {@code text} widened to {@code |width|} code points with repeats of {@code fill}
     * (a space by default), on the right for a positive width, on the left for a negative one. The
     * padding is built in steps that check the time bound, so a huge width is a bound error, not a
     * thread held for seconds.
     */
    private static Object pad(String text, Object widthArg, String fill, Env env) {
        if (text == null) {
            return null;
        }
        double width = Values.num(widthArg);
        double missing = Math.floor(Math.abs(width) - text.codePointCount(0, text.length()));
        if (!(missing > 0)) {
            return text;
        }
        int[] fillCodePoints = (fill == null || fill.isEmpty() ? " " : fill).codePoints().toArray();
        StringBuilder padding = new StringBuilder();
        for (long i = 0; i < missing; i++) {
            if ((i & 0x3ff) == 0) {
                env.run.tick();
            }
            padding.appendCodePoint(fillCodePoints[(int) (i % fillCodePoints.length)]);
        }
        return width > 0 ? text + padding : padding + text;
    }

    private static Object substring(String text, Object startArg, Object lengthArg) {
        if (text == null) {
            return null;
        }
        int[] codePoints = text.codePoints().toArray();
        int length = codePoints.length;
        double start = Values.num(startArg);
        if (length + start < 0) {
            start = 0;
        }
        if (lengthArg != null) {
            double count = Values.num(lengthArg);
            if (count <= 0) {
                return "";
            }
            double end = start >= 0 ? start + count : length + start + count;
            return slice(codePoints, start, end);
        }
        return slice(codePoints, start, length);
    }

    /** JavaScript's {@code Array.prototype.slice} over code points, joined. */
    private static String slice(int[] codePoints, double startArg, double endArg) {
        int length = codePoints.length;
        int start = relative(startArg, length);
        int end = relative(endArg, length);
        StringBuilder out = new StringBuilder();
        for (int i = start; i < end; i++) {
            out.appendCodePoint(codePoints[i]);
        }
        return out.toString();
    }

    private static int relative(double position, int length) {
        double integer = Double.isNaN(position) ? 0 : position < 0 ? Math.ceil(position) : Math.floor(position);
        if (integer < 0) {
            return (int) Math.max(length + integer, 0);
        }
        return (int) Math.min(integer, length);
    }

    private static String trim(String text) {
        String result = text.replaceAll("[ \\t\\n\\r]+", " ");
        if (result.startsWith(" ")) {
            result = result.substring(1);
        }
        if (result.endsWith(" ")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }

    private static Object match(Object text, Object pattern, Object limit) {
        if (text == null) {
            return null;
        }
        if (limit != null && Values.num(limit) < 0) {
            throw new JsonataError("D3040", "third argument of $match must be a positive number");
        }
        Seq result = new Seq(true);
        int max = limit == null ? Integer.MAX_VALUE : (int) Math.ceil(Values.num(limit));
        if (max > 0) {
            for (RegexFn.Match match : regex(pattern).all((String) text, max)) {
                result.add(RegexFn.matchObject(match, false));
            }
        }
        return result;
    }

    private static Object replace(Object[] a, Env env) {
        if (a[0] == null) {
            return null;
        }
        String text = (String) a[0];
        Object pattern = a[1];
        Object replacement = a[2];
        if ("".equals(pattern)) {
            throw new JsonataError("D3010", "second argument of $replace cannot be an empty string");
        }
        if (a[3] != null && Values.num(a[3]) < 0) {
            throw new JsonataError("D3011", "fourth argument of $replace must evaluate to a positive number");
        }
        double limit = a[3] == null ? Double.POSITIVE_INFINITY : Values.num(a[3]);
        if (limit <= 0) {
            return text;
        }
        StringBuilder result = new StringBuilder();
        int position = 0;
        int count = 0;
        if (pattern instanceof String literal) {
            int index = text.indexOf(literal);
            while (index != -1 && count < limit) {
                result.append(text, position, index);
                if (!(replacement instanceof String)) {
                    throw new JsonataError("D3012", "a compiled rule replaces a string pattern only with a string");
                }
                result.append((String) replacement);
                position = index + literal.length();
                count++;
                index = text.indexOf(literal, position);
            }
            return result.append(text.substring(position)).toString();
        }
        List<RegexFn.Match> matches = regex(pattern).all(text, limit >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.ceil(limit));
        if (matches.isEmpty()) {
            return text;
        }
        for (RegexFn.Match match : matches) {
            result.append(text, position, match.start());
            Object substitute;
            if (replacement instanceof String template) {
                substitute = substitute(template, match);
            } else {
                Fn fn = (Fn) replacement;
                substitute = Node.collapse(fn.apply(new Object[] {RegexFn.matchObject(match, true)}, null, env));
            }
            if (!(substitute instanceof String s)) {
                throw new JsonataError("D3012", "attempted to replace a matched string with a non-string value");
            }
            result.append(s);
            position = match.start() + match.match().length();
        }
        return result.append(text.substring(position)).toString();
    }

    /** JSONata's {@code $0}, {@code $n} and {@code $$} in a replacement string. */
    private static String substitute(String replacement, RegexFn.Match match) {
        StringBuilder out = new StringBuilder();
        List<String> groups = match.groups();
        int position = 0;
        int index = replacement.indexOf('$', position);
        while (index != -1 && position < replacement.length()) {
            out.append(replacement, position, index);
            position = index + 1;
            char next = position < replacement.length() ? replacement.charAt(position) : '\0';
            if (next == '$') {
                out.append('$');
                position++;
            } else if (next == '0') {
                out.append(match.match());
                position++;
            } else {
                int maxDigits = groups.isEmpty() ? 1 : (int) Math.floor(Math.log10(groups.size())) + 1;
                Integer group = parseDigits(replacement, position, maxDigits);
                if (maxDigits > 1 && group != null && group > groups.size()) {
                    group = parseDigits(replacement, position, maxDigits - 1);
                }
                if (group != null) {
                    if (!groups.isEmpty() && group - 1 >= 0 && group - 1 < groups.size() && groups.get(group - 1) != null) {
                        out.append(groups.get(group - 1));
                    }
                    position += group.toString().length();
                } else {
                    out.append('$');
                }
            }
            index = replacement.indexOf('$', position);
        }
        return out.append(replacement.substring(Math.min(position, replacement.length()))).toString();
    }

    /** JavaScript's {@code parseInt} of up to {@code digits} characters: leading digits, or {@code null}. */
    private static Integer parseDigits(String text, int from, int digits) {
        int end = Math.min(text.length(), from + digits);
        int i = from;
        while (i < end && Character.isDigit(text.charAt(i)) && text.charAt(i) < 128) {
            i++;
        }
        return i == from ? null : Integer.parseInt(text.substring(from, i));
    }

    private static Object split(Object textArg, Object separator, Object limitArg) {
        if (textArg == null) {
            return null;
        }
        if (limitArg != null && Values.num(limitArg) < 0) {
            throw new JsonataError("D3020", "third argument of $split must evaluate to a positive number");
        }
        String text = (String) textArg;
        Seq result = new Seq(false);
        long limit = limitArg == null ? Long.MAX_VALUE : (long) Math.floor(Values.num(limitArg));
        if (limit == 0) {
            return result;
        }
        if (separator instanceof String literal) {
            if (literal.isEmpty()) {
                for (int i = 0; i < text.length() && result.size() < limit; i++) {
                    result.add(String.valueOf(text.charAt(i)));
                }
                return result;
            }
            int start = 0;
            int index = text.indexOf(literal);
            while (index != -1 && result.size() < limit) {
                result.add(text.substring(start, index));
                start = index + literal.length();
                index = text.indexOf(literal, start);
            }
            if (result.size() < limit) {
                result.add(text.substring(start));
            }
            return result;
        }
        List<RegexFn.Match> matches = regex(separator).all(text, limit >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) limit);
        int start = 0;
        for (RegexFn.Match match : matches) {
            result.add(text.substring(start, match.start()));
            start = match.end();
        }
        if (matches.isEmpty() || result.size() < limit) {
            result.add(text.substring(start));
        }
        return result;
    }

    private static Object keys(Object value) {
        Seq result = new Seq(true);
        if (Values.isArray(value)) {
            Set<String> merged = new LinkedHashSet<>();
            for (int i = 0; i < Values.size(value); i++) {
                Object item = Values.item(value, i);
                if (Values.isObject(item)) {
                    merged.addAll(Values.keys(item));
                }
            }
            result.addAll(merged);
        } else if (Values.isObject(value)) {
            result.addAll(Values.keys(value));
        }
        return result;
    }

    private static Object round(Object arg, Object precisionArg) {
        if (arg == null) {
            return null;
        }
        double value = Values.num(arg);
        int precision = precisionArg == null ? 0 : (int) Values.num(precisionArg);
        if (precision != 0) {
            value = shift(value, precision);
        }
        double result = Math.abs(value) >= 4.503599627370496E15 ? value : (double) Math.round(value);
        double diff = result - value;
        if (Math.abs(diff) == 0.5 && Math.abs(result % 2) == 1) {
            result = result - 1;
        }
        if (precision != 0) {
            result = shift(result, -precision);
        }
        if (result == 0) {
            result = 0;
        }
        return Values.number(result);
    }

    /** {@code +(digits + 'e' + (exponent + by))}, as JSONata shifts the decimal point in a string. */
    private static double shift(double value, int by) {
        if (!Double.isFinite(value)) {
            return value;
        }
        return new BigDecimal(Values.format(value).replace("e+", "e")).scaleByPowerOfTen(by).doubleValue();
    }

    private static Object sift(Object object, Fn fn, Env env) {
        if (object == null) {
            return null;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : Values.entries(object).entrySet()) {
            env.run.tick();
            Object keep = Node.collapse(fn.apply(hofArgs(fn, entry.getValue(), entry.getKey(), object), null, env));
            if (Values.isTrue(keep)) {
                result.put(entry.getKey(), entry.getValue());
            }
        }
        return result.isEmpty() ? null : result;
    }

}
