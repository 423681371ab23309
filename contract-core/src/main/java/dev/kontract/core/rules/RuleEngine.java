package dev.kontract.core.rules;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kontract.core.ContractException;
import dev.kontract.core.Rule;
import dev.kontract.core.RulePhase;
import dev.kontract.core.RuleSet;
import dev.kontract.core.rules.RuleChain.BoundRule;
import dev.kontract.core.rules.jsonata.JsonataRuleExecutor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compiles and runs contract rules. Holds the rule executors (by {@code type}) and actions (by
 * name): the built-in {@code JSONATA} executor and {@code ERROR}/{@code NONE}/{@code DLQ} actions,
 * those found through {@link ServiceLoader}, and those added to the {@link Builder}.
 *
 * <p>Compiled expressions are cached (bounded, by rule type, kind, expression and params) so a rule is compiled
 * once however many clients and versions use it. Thread-safe.
 */
public final class RuleEngine {

    private static final int MAX_CACHED_EXPRESSIONS = 10_000;

    private final Map<String, RuleExecutor> executors;
    private final Map<String, RuleAction> actions;
    private final EvaluationLimits limits;
    private final Cache<CompileKey, CompiledRule> compiled =
            Caffeine.newBuilder().maximumSize(MAX_CACHED_EXPRESSIONS).build();

    private RuleEngine(Map<String, RuleExecutor> executors, Map<String, RuleAction> actions, EvaluationLimits limits) {
        // sorted, so that messages listing the known names read the same in every run
        this.executors = Collections.unmodifiableMap(new TreeMap<>(executors));
        this.actions = Collections.unmodifiableMap(new TreeMap<>(actions));
        this.limits = limits;
    }

    /** The engine with the built-ins, what {@link ServiceLoader} finds, and the default limits. */
    public static RuleEngine defaults() {
        return Defaults.ENGINE;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Set<String> ruleTypes() {
        return executors.keySet();
    }

    public Set<String> actionNames() {
        return actions.keySet();
    }

    public Optional<RuleAction> action(String name) {
        return Optional.ofNullable(name == null ? null : actions.get(name.toUpperCase(Locale.ROOT)));
    }

    public EvaluationLimits limits() {
        return limits;
    }

    /**
     * Compiles a rule's expression, or returns the cached compilation.
     *
     * @throws ContractException naming the rule when its type is unknown or its expression invalid
     */
    public CompiledRule compile(Rule rule) {
        RuleExecutor executor = executors.get(rule.type().toUpperCase(Locale.ROOT));
        if (executor == null) {
            throw new ContractException("rule " + rule.name() + ": unknown rule type '" + rule.type()
                    + "' (known: " + String.join(", ", executors.keySet()) + ")");
        }
        if (rule.expr() == null || rule.expr().isBlank()) {
            throw new ContractException("rule " + rule.name() + ": expr is empty");
        }
        try {
            return compiled.get(new CompileKey(executor.type(), rule.kind(), rule.expr(), rule.params()),
                    key -> executor.compile(rule, limits));
        } catch (ContractException e) {
            throw new ContractException("rule " + rule.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The enabled rules of {@code ruleSet} that run in {@code phase}, compiled and bound to their
     * actions. Build it once per (product, version, phase) and keep it.
     *
     * @throws ContractException naming the rule when it cannot be compiled or names an unknown action
     */
    public RuleChain chain(RuleSet ruleSet, RulePhase phase) {
        List<Rule> rules = ruleSet.rulesFor(phase);
        if (rules.isEmpty()) {
            return RuleChain.empty();
        }
        List<BoundRule> bound = new ArrayList<>(rules.size());
        for (Rule rule : rules) {
            bound.add(new BoundRule(rule, phase, compile(rule),
                    requireAction(rule, rule.onSuccessIn(phase)), requireAction(rule, rule.onFailureIn(phase))));
        }
        return new RuleChain(phase, bound);
    }

    private RuleAction requireAction(Rule rule, String name) {
        return action(name).orElseThrow(() -> new ContractException("rule " + rule.name() + ": unknown action '" + name
                + "' (known: " + String.join(", ", actions.keySet()) + ")"));
    }

    /** What a compilation depends on: a custom executor may read the rule's kind and params. */
    private record CompileKey(String type, dev.kontract.core.RuleKind kind, String expr, Map<String, String> params) {}

    private static final class Defaults {
        static final RuleEngine ENGINE = builder().build();
    }

    /** Builds a {@link RuleEngine}; every executor type and action name must be unique. */
    public static final class Builder {

        private final List<RuleExecutor> executors = new ArrayList<>();
        private final List<RuleAction> actions = new ArrayList<>();
        private EvaluationLimits limits = EvaluationLimits.DEFAULT;
        private ClassLoader classLoader;
        private boolean discover = true;

        private Builder() {}

        public Builder executor(RuleExecutor executor) {
            executors.add(Objects.requireNonNull(executor, "executor"));
            return this;
        }

        public Builder action(RuleAction action) {
            actions.add(Objects.requireNonNull(action, "action"));
            return this;
        }

        public Builder limits(EvaluationLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** The class loader {@link ServiceLoader} searches; the thread's context loader by default. */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = classLoader;
            return this;
        }

        /** Whether to add what {@link ServiceLoader} finds (default {@code true}). */
        public Builder discover(boolean discover) {
            this.discover = discover;
            return this;
        }

        /**
         * @throws IllegalStateException when two executors share a type or two actions a name, or a
         *     discovered service cannot be instantiated
         */
        public RuleEngine build() {
            Map<String, RuleExecutor> executorsByType = new LinkedHashMap<>();
            Map<String, RuleAction> actionsByName = new LinkedHashMap<>();
            register(executorsByType, new JsonataRuleExecutor(), RuleExecutor::type, "rule executor for type");
            for (BuiltInAction action : BuiltInAction.values()) {
                register(actionsByName, action, RuleAction::name, "rule action named");
            }
            executors.forEach(e -> register(executorsByType, e, RuleExecutor::type, "rule executor for type"));
            actions.forEach(a -> register(actionsByName, a, RuleAction::name, "rule action named"));
            if (discover) {
                ClassLoader loader = classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader();
                try {
                    for (RuleExecutor executor : ServiceLoader.load(RuleExecutor.class, loader)) {
                        register(executorsByType, executor, RuleExecutor::type, "rule executor for type");
                    }
                    for (RuleAction action : ServiceLoader.load(RuleAction.class, loader)) {
                        register(actionsByName, action, RuleAction::name, "rule action named");
                    }
                } catch (ServiceConfigurationError e) {
                    throw new IllegalStateException("cannot load a rule executor or action: " + e.getMessage(), e);
                }
            }
            return new RuleEngine(executorsByType, actionsByName, limits);
        }

        private static <T> void register(
                Map<String, T> registry, T plugin, java.util.function.Function<T, String> key, String what) {
            String name = Objects.requireNonNull(key.apply(plugin), what + " of " + plugin.getClass().getName())
                    .toUpperCase(Locale.ROOT);
            T existing = registry.get(name);
            if (existing == null) {
                registry.put(name, plugin);
            } else if (existing.getClass() != plugin.getClass()) {
                throw new IllegalStateException("two of a kind: " + what + " " + name + " is both "
                        + existing.getClass().getName() + " and " + plugin.getClass().getName());
            }
        }
    }
}
