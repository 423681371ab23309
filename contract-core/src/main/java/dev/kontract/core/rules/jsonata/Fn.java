package dev.kontract.core.rules.jsonata;

/** A function value of a compiled expression: a lambda, a built-in function or a regex. */
interface Fn {

    /**
     * Applies the function.
     *
     * @param args the arguments, as many as the caller supplied
     * @param context the caller's context item, for built-ins whose signature takes it ({@code -})
     */
    Object apply(Object[] args, Object context, Env env);

    /** How many parameters it declares; higher-order functions pass it that many arguments. */
    int arity();
}
