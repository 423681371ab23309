package dev.kontract.core.rules.jsonata;

import java.util.HashMap;
import java.util.Map;

/**
 * A variable scope of one evaluation, and the evaluation's bounds: a block or a lambda call opens a
 * child scope. Every lambda call and every loop step checks the time bound; lambda calls also count
 * the call depth.
 */
final class Env {

    /** The bounds and root of one evaluation. */
    static final class Run {

        final Object root;
        private final long start;
        private final long timeoutNanos;
        private final long timeoutMillis;
        private final int maxDepth;
        private int depth;
        private int ticks;

        Run(Object root, long timeoutMillis, int maxDepth) {
            this.root = root;
            this.timeoutMillis = timeoutMillis;
            this.start = System.nanoTime();
            this.timeoutNanos = timeoutMillis >= Long.MAX_VALUE / 1_000_000L ? Long.MAX_VALUE : timeoutMillis * 1_000_000L;
            this.maxDepth = maxDepth;
        }

        void tick() {
            if ((++ticks & 0x3f) == 0 && System.nanoTime() - start > timeoutNanos) {
                throw new BoundExceeded("evaluation exceeded the " + timeoutMillis
                        + " ms time bound (check for an infinite loop)");
            }
        }

        void enter() {
            if (++depth > maxDepth) {
                throw new BoundExceeded("evaluation exceeded the call depth bound of " + maxDepth
                        + " (check for non-terminating recursion)");
            }
            if (System.nanoTime() - start > timeoutNanos) {
                throw new BoundExceeded("evaluation exceeded the " + timeoutMillis
                        + " ms time bound (check for an infinite loop)");
            }
        }

        void exit() {
            depth--;
        }
    }

    /** An evaluation went past its time or depth bound. */
    static final class BoundExceeded extends RuntimeException {

        BoundExceeded(String message) {
            super(message, null, false, false);
        }
    }

    final Run run;
    private final Env parent;
    private Map<String, Object> variables;

    Env(Run run, Env parent) {
        this.run = run;
        this.parent = parent;
    }

    Env child() {
        return new Env(run, this);
    }

    void bind(String name, Object value) {
        if (variables == null) {
            variables = new HashMap<>();
        }
        variables.put(name, value);
    }

    /** The variable's value; built-in functions when no scope binds the name. */
    Object lookup(String name) {
        for (Env env = this; env != null; env = env.parent) {
            if (env.variables != null && env.variables.containsKey(name)) {
                return env.variables.get(name);
            }
        }
        return Builtins.get(name);
    }
}
