package dev.kontract.core.rules.jsonata;

import java.util.ArrayList;
import java.util.List;

/**
 * A built-in function's JSONata signature ({@code <s-nn?:s>}), validating arguments exactly as
 * JSONata does: the same matching of argument types, the context item for a missing {@code -}
 * argument, a single value for an array parameter wrapped in an array, and the errors T0410, T0411
 * and T0412.
 */
final class Signature {

    private static final class Param {
        final char type;
        String allowed;
        String contextAllowed;
        boolean optional;
        boolean plus;
        String subtype;

        Param(char type, String allowed) {
            this.type = type;
            this.allowed = allowed;
        }
    }

    private final String function;
    private final Param[] params;

    Signature(String function, String signature) {
        this.function = function;
        List<Param> parsed = new ArrayList<>();
        String body = signature.substring(1, signature.indexOf(':') > 0 ? signature.lastIndexOf(':') : signature.length() - 1);
        Param previous = null;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            Param param = null;
            switch (c) {
                case 's', 'n', 'b', 'l', 'o' -> param = new Param(c, c + "m");
                case 'a' -> param = new Param('a', "asnblfom");
                case 'f' -> param = new Param('f', "f");
                case 'j' -> param = new Param('j', "asnblom");
                case 'x' -> param = new Param('x', "asnblfom");
                case '-' -> {
                    previous.contextAllowed = previous.allowed;
                    previous.optional = true;
                }
                case '?' -> previous.optional = true;
                case '+' -> previous.plus = true;
                case '(' -> {
                    int end = body.indexOf(')', i);
                    param = new Param('(', body.substring(i + 1, end) + "m");
                    i = end;
                }
                case '<' -> {
                    int depth = 0;
                    int end = i;
                    for (; end < body.length(); end++) {
                        if (body.charAt(end) == '<') {
                            depth++;
                        } else if (body.charAt(end) == '>' && --depth == 0) {
                            break;
                        }
                    }
                    previous.subtype = body.substring(i + 1, end);
                    i = end;
                }
                default -> throw new IllegalArgumentException("bad signature " + signature);
            }
            if (param != null) {
                parsed.add(param);
                previous = param;
            }
        }
        this.params = parsed.toArray(new Param[0]);
    }

    int arity() {
        return params.length;
    }

    /**
     * The arguments as they are when they need no change: one per parameter, each of an allowed type,
     * arrays where arrays are expected and of the expected item type. Most calls take this path, which
     * allocates nothing.
     */
    private boolean acceptsAsGiven(Object[] args) {
        if (args.length != params.length) {
            return false;
        }
        for (int p = 0; p < params.length; p++) {
            Param param = params[p];
            Object arg = args[p];
            char symbol = Values.symbol(arg);
            if (param.plus || param.allowed.indexOf(symbol) < 0 || symbol == 'm' && param.contextAllowed != null) {
                return false;
            }
            if (param.type == 'a' && symbol != 'a' && symbol != 'm') {
                return false;
            }
            if (param.type == 'a' && param.subtype != null && symbol == 'a') {
                int size = Values.size(arg);
                char itemType = size > 0 ? Values.symbol(Values.item(arg, 0)) : 0;
                if (size > 0 && itemType != param.subtype.charAt(0)) {
                    return false;
                }
                for (int i = 1; i < size; i++) {
                    if (Values.symbol(Values.item(arg, i)) != itemType) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** {@link #acceptsAsGiven} for a call with one argument. */
    boolean acceptsOne(Object arg) {
        if (params.length != 1) {
            return false;
        }
        Param param = params[0];
        char symbol = Values.symbol(arg);
        if (param.plus || param.allowed.indexOf(symbol) < 0 || symbol == 'm' && param.contextAllowed != null
                || param.type == 'a' && symbol != 'a' && symbol != 'm') {
            return false;
        }
        return param.type != 'a' || param.subtype == null || symbol != 'a' || acceptsAsGiven(new Object[] {arg});
    }

    /** The arguments the function receives, or the JSONata error the call is. */
    Object[] validate(Object[] args, Object context) {
        if (acceptsAsGiven(args)) {
            return args;
        }
        char[] symbols = new char[args.length];
        for (int i = 0; i < args.length; i++) {
            symbols[i] = Values.symbol(args[i]);
        }
        int[] counts = new int[params.length];
        if (!match(0, symbols, 0, counts, params.length, true)) {
            throw mismatch(args, symbols);
        }
        Object[] validated = new Object[params.length];
        int argIndex = 0;
        int symbolIndex = 0;
        List<Object> extra = null;
        for (int p = 0; p < params.length; p++) {
            Param param = params[p];
            int count = counts[p];
            if (count == 0) {
                if (param.contextAllowed != null) {
                    if (param.contextAllowed.indexOf(Values.symbol(context)) < 0) {
                        throw new JsonataError("T0411", "context value is not a compatible type with argument "
                                + (argIndex + 1) + " of function " + function);
                    }
                    validated[p] = context;
                } else {
                    validated[p] = argIndex < args.length ? args[argIndex] : null;
                    argIndex++;
                }
                continue;
            }
            String group = new String(symbols, symbolIndex, count);
            for (int s = 0; s < count; s++) {
                char single = symbols[symbolIndex + s];
                Object arg = argIndex < args.length ? args[argIndex] : null;
                if (param.type == 'a') {
                    if (single == 'm') {
                        arg = null;
                    } else {
                        boolean arrayOk = true;
                        if (param.subtype != null) {
                            if (single != 'a' && !group.equals(param.subtype)) {
                                arrayOk = false;
                            } else if (single == 'a' && Values.size(arg) > 0) {
                                char itemType = Values.symbol(Values.item(arg, 0));
                                if (itemType != param.subtype.charAt(0)) {
                                    arrayOk = false;
                                } else {
                                    for (int i = 0; i < Values.size(arg); i++) {
                                        if (Values.symbol(Values.item(arg, i)) != itemType) {
                                            arrayOk = false;
                                            break;
                                        }
                                    }
                                }
                            }
                        }
                        if (!arrayOk) {
                            throw new JsonataError("T0412", "argument " + (argIndex + 1) + " of function " + function
                                    + " must be an array of " + typeName(param.subtype));
                        }
                        if (single != 'a') {
                            Seq wrapped = new Seq(false, 1);
                            wrapped.add(arg);
                            arg = wrapped;
                        }
                    }
                }
                if (s == 0) {
                    validated[p] = arg;
                } else {
                    if (extra == null) {
                        extra = new ArrayList<>();
                    }
                    extra.add(arg);
                }
                argIndex++;
            }
            symbolIndex += count;
        }
        if (extra != null) {
            List<Object> all = new ArrayList<>(List.of(validated));
            all.addAll(extra);
            return all.toArray();
        }
        return validated;
    }

    private static String typeName(String subtype) {
        return switch (subtype.charAt(0)) {
            case 'n' -> "numbers";
            case 's' -> "strings";
            case 'b' -> "booleans";
            case 'o' -> "objects";
            case 'a' -> "arrays";
            default -> "values";
        };
    }

    /** Greedy matching with backtracking, as a regular expression of the parameters would match. */
    private boolean match(int p, char[] symbols, int at, int[] counts, int upTo, boolean whole) {
        if (p == upTo) {
            return !whole || at == symbols.length;
        }
        Param param = params[p];
        int max = 0;
        while (at + max < symbols.length && param.allowed.indexOf(symbols[at + max]) >= 0 && (param.plus || max < 1)) {
            max++;
        }
        int min = param.optional ? 0 : 1;
        for (int n = max; n >= min; n--) {
            counts[p] = n;
            if (match(p + 1, symbols, at + n, counts, upTo, whole)) {
                return true;
            }
        }
        return false;
    }

    private JsonataError mismatch(Object[] args, char[] symbols) {
        int goodTo = 0;
        for (int p = 0; p < params.length; p++) {
            int[] counts = new int[params.length];
            if (!match(0, symbols, 0, counts, p + 1, false)) {
                break;
            }
            int consumed = 0;
            for (int i = 0; i <= p; i++) {
                consumed += counts[i];
            }
            goodTo = consumed;
        }
        return new JsonataError("T0410", "argument " + (goodTo + 1) + " of function " + function
                + " does not match the function signature");
    }
}
