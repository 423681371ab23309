package dev.kontract.serde.internal;

import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.kontract.core.ContractViolationException;
import dev.kontract.core.ContractViolationException.Stage;
import dev.kontract.core.Rule;
import dev.kontract.core.RulePhase;
import dev.kontract.core.format.InvalidRecordException;
import dev.kontract.core.metrics.ContractMeters;
import dev.kontract.core.metrics.RecordOutcome;
import dev.kontract.core.metrics.Side;
import dev.kontract.core.rules.RuleContext;
import dev.kontract.core.rules.RuleDecision;
import dev.kontract.core.rules.RuleOutcome;
import dev.kontract.core.rules.RuleRun;
import dev.kontract.serde.ContractConfig;
import dev.kontract.serde.ContractHeaders;
import dev.kontract.serde.internal.deadletter.DeadLetterRequest;
import dev.kontract.serde.internal.deadletter.DeadLetterRoute;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import tools.jackson.databind.JsonNode;

/**
 * The producer side of a contract, shared by {@code ContractSerializer} (which enforces) and
 * {@code ContractProducerInterceptor} (which routes {@code DLQ} rejects to the dead-letter topic
 * before serialization, the only point where a record can still change topic).
 *
 * <p>Per topic it builds a {@link Binding} once: the product and version written, the compiled
 * {@code WRITE} rules, the dead-letter topic and the meters. It keeps the contracts as they were at
 * {@code configure()}, also when they come from a contracts topic: a producer writes the version it
 * resolved then until it is configured again.
 */
public final class ContractWriter {

    /** The interceptor a producer needs for {@code DLQ} write rules. */
    public static final String PRODUCER_INTERCEPTOR = "dev.kontract.interceptors.ContractProducerInterceptor";

    /** Topics whose bindings are kept; an evicted binding's meters leave the registry unless another client holds them. */
    static final int MAX_BINDINGS = 10_000;

    private final ClientSettings settings;
    private final DeadLetterRoute route;
    private final LoadingCache<String, Binding> bindings;
    /** The binding used last: most producers write one topic. */
    private volatile Binding lastBinding;

    private ContractWriter(ClientSettings settings, DeadLetterRoute route) {
        this.settings = settings;
        this.route = route;
        this.bindings = MeterCaches.<String, Binding>releasingMeters(MAX_BINDINGS, binding -> binding.meters, binding -> {
            if (lastBinding == binding) {
                lastBinding = null;
            }
        }).build(this::bind);
    }

    /**
     * @param route how this client's dead letters reach their topic
     * @throws ConfigException naming the key and value that is wrong
     */
    public static ContractWriter of(Map<String, ?> clientConfig, DeadLetterRoute route) {
        ContractWriter writer = new ContractWriter(ClientSettings.of(clientConfig).pinned(), route);
        try {
            ProductRuntime bound = writer.settings.boundProduct();
            if (bound != null) {
                writer.writtenVersion(bound);
                writer.requireInterceptorFor(bound);
            }
            return writer;
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    /** Releases the contract source. */
    public void close() {
        settings.close();
    }

    public ClientSettings settings() {
        return settings;
    }

    /**
     * The binding of {@code topic}, built on first use.
     *
     * @throws ConfigException when no contract governs the topic or the configured version does not exist
     */
    public Binding binding(String topic) {
        Binding last = lastBinding;
        if (last != null && last.topic.equals(topic)) {
            return last;
        }
        Binding binding = bindings.get(topic);
        lastBinding = binding;
        return binding;
    }

    private Binding bind(String topic) {
        ProductRuntime product = settings.productFor(topic);
        VersionRuntime version = writtenVersion(product);
        requireInterceptorFor(product);
        return new Binding(product, version, topic, settings.dlqTopicFor(product, topic));
    }

    private VersionRuntime writtenVersion(ProductRuntime product) {
        return settings.version(product, ContractConfig.VERSION_CONFIG, settings.config().version());
    }

    private void requireInterceptorFor(ProductRuntime product) {
        String problem = deadLetteringProblem();
        if (problem == null) {
            return;
        }
        VersionRuntime version = writtenVersion(product);
        java.util.List<Rule> deadLettering = version.deadLetterRules(RulePhase.WRITE);
        if (!deadLettering.isEmpty()) {
            throw new ConfigException("Rule " + deadLettering.get(0).name() + " of " + product.name() + " "
                    + version.text() + " sends records to the dead-letter topic; " + route.where("producer")
                    + " that needs " + problem);
        }
    }

    /** What this producer lacks to dead-letter, or {@code null}. */
    private String deadLetteringProblem() {
        if (route != DeadLetterRoute.INTERCEPTORS) {
            return route.streamsProblem(false);
        }
        return settings.hasInterceptor(PRODUCER_INTERCEPTOR) ? null
                : PRODUCER_INTERCEPTOR + " in interceptor.classes (the serializer cannot change a record's topic)";
    }

    /**
     * Whether {@code topic} and {@code headers} are those of a record that
     * {@code ContractProducerInterceptor} redirected to its product's dead-letter topic. Only those pass
     * the serializer without rules: a {@code dp.error.*} header alone does not exempt a record bound
     * for any other topic.
     */
    public boolean isDeadLetter(String topic, Headers headers) {
        String sourceTopic = HeaderText.last(headers, ContractHeaders.ERROR_TOPIC);
        if (headers.lastHeader(ContractHeaders.ERROR_STAGE) == null || sourceTopic == null) {
            return false;
        }
        return deadLetterVersion(headers).map(version -> topic.equals(settings.dlqTopicFor(
                settings.contracts().product(version.product()).orElseThrow(), sourceTopic))).orElse(false);
    }

    /**
     * Serializes a record that {@code ContractProducerInterceptor} redirected to the dead-letter topic
     * ({@link #isDeadLetter}): the original value, encoded with the version its headers name, without
     * running rules.
     */
    public byte[] serializeDeadLetter(String topic, Headers headers, Object value) {
        if (value == null) {
            return null;
        }
        VersionRuntime version = deadLetterVersion(headers).orElseThrow();
        try {
            return version.codec().encode(value);
        } catch (InvalidRecordException e) {
            throw new ContractViolationException(Stage.WRITE, version.product(), version.text(),
                    HeaderText.last(headers, ContractHeaders.ERROR_TOPIC), null, null, ContractViolationException.SCHEMA,
                    "the record broke rule " + HeaderText.last(headers, ContractHeaders.ERROR_RULE)
                            + " and cannot be written to dead-letter topic " + topic + " either: " + e.getMessage(), e);
        }
    }

    private java.util.Optional<VersionRuntime> deadLetterVersion(Headers headers) {
        String product = HeaderText.last(headers, ContractHeaders.PRODUCT);
        return settings.contracts().product(product == null ? "" : product)
                .flatMap(runtime -> runtime.version(HeaderText.last(headers, ContractHeaders.VERSION)));
    }

    /**
     * The run of one version's {@code WRITE} rules over a value: over its JSON view ({@code input}), or
     * over the value read in place, in which case the value was encoded first ({@code bytes}, which the
     * write reuses) and {@code input} is {@code null}.
     */
    public record Evaluation(VersionRuntime version, JsonNode input, RuleRun run, byte[] bytes) {}

    /** The producer side of one topic. */
    public final class Binding {

        private final ProductRuntime product;
        private final VersionRuntime version;
        private final String topic;
        private final String dlqTopic;
        private final RuleContext context;
        private final Map<RecordOutcome, Counter> records;
        private final RuleMeters ruleMeters;
        private final boolean mayDeadLetter;
        private final ContractMeters meters = settings.meters().scoped();

        Binding(ProductRuntime product, VersionRuntime version, String topic, String dlqTopic) {
            this.product = product;
            this.version = version;
            this.topic = topic;
            this.dlqTopic = dlqTopic;
            this.context = new RuleContext(product.name(), version.version().version(), RulePhase.WRITE, topic);
            this.records = meters.records(product.name(), version.text(), topic, Side.PRODUCE);
            this.ruleMeters = new RuleMeters(meters, product.name(), List.of(version.writeRules()));
            this.mayDeadLetter = !version.deadLetterRules(RulePhase.WRITE).isEmpty();
        }

        public VersionRuntime version() {
            return version;
        }

        public String dlqTopic() {
            return dlqTopic;
        }

        public boolean hasRules() {
            return !version.writeRules().isEmpty();
        }

        /** Whether a rule of this binding may dead-letter (only then does the interceptor evaluate). */
        public boolean mayDeadLetter() {
            return mayDeadLetter;
        }

        /**
         * Runs the {@code WRITE} rules over a value. Handing the result to {@link #write} makes it run them
         * once; an evaluation of another version is ignored.
         *
         * @throws ContractViolationException when the value does not match the schema
         */
        public Evaluation evaluate(Object value) {
            Object inPlace = inPlace(value);
            if (inPlace != null) {
                byte[] bytes = encode(value);
                return new Evaluation(version, null, version.writeRules().runInPlace(inPlace, context, ruleMeters), bytes);
            }
            JsonNode input;
            try {
                input = version.codec().toJson(value);
            } catch (InvalidRecordException e) {
                throw schemaViolation(e);
            }
            return new Evaluation(version, input, version.writeRules().run(input, context, ruleMeters), null);
        }

        /**
         * Enforces the contract on a value and encodes it.
         *
         * @param evaluation the interceptor's evaluation of this very value, or {@code null}
         * @throws ContractViolationException when the record breaks the contract under {@code ERROR}
         */
        public byte[] write(Object value, Evaluation evaluation) {
            try {
                if (!hasRules()) {
                    byte[] bytes = encode(value);
                    records.get(RecordOutcome.VALID).increment();
                    return bytes;
                }
                RuleRun run;
                byte[] bytes;
                JsonNode input;
                Object inPlace;
                if (evaluation != null && evaluation.version() == version) {
                    run = evaluation.run();
                    bytes = evaluation.bytes();
                    input = evaluation.input();
                } else if ((inPlace = inPlace(value)) != null) {
                    bytes = encode(value);
                    run = version.writeRules().runInPlace(inPlace, context, ruleMeters);
                    input = null;
                } else {
                    Evaluation done = evaluate(value);
                    run = done.run();
                    bytes = done.bytes();
                    input = done.input();
                }
                if (run.decision() == RuleDecision.DEAD_LETTER) {
                    if (route == DeadLetterRoute.STREAMS_HANDLERS) {
                        throw new DeadLetterRequest(violation(run.deciding(), ""), dlqTopic,
                                bytes != null ? bytes : encode(value), records.get(RecordOutcome.DEAD_LETTERED),
                                DeadLetterRoute.PRODUCTION_HANDLER);
                    }
                    String problem = deadLetteringProblem();
                    throw violation(run.deciding(), "; the rule sends the record to the dead-letter topic " + dlqTopic
                            + (problem != null ? ", which " + route.where("producer") + " needs " + problem
                                    : ", where only " + PRODUCER_INTERCEPTOR + " sends records, and it did not see this"
                                            + " one (it runs in send(), before the serializer)"));
                }
                if (run.decision() != RuleDecision.ACCEPT) {
                    throw violation(run.deciding(), "");
                }
                if (bytes == null) {
                    try {
                        bytes = run.record() != input ? version.codec().encodeJson(run.record())
                                : version.codec().encode(value, input);
                    } catch (InvalidRecordException e) {
                        throw schemaViolation(e);
                    }
                }
                records.get(run.violated() ? RecordOutcome.INVALID : RecordOutcome.VALID).increment();
                return bytes;
            } catch (DeadLetterRequest e) {
                throw e;
            } catch (ContractViolationException e) {
                records.get(RecordOutcome.FAILED).increment();
                throw e;
            }
        }

        /** The value as the rules read it in place, or {@code null} when they need its JSON view. */
        private Object inPlace(Object value) {
            return version.writeRules().readsRecordsInPlace() ? version.codec().inPlace(value) : null;
        }

        /** Counts a record the interceptor sent to the dead-letter topic, once the topic has it (or not). */
        public void countDeadLetter(boolean written) {
            records.get(written ? RecordOutcome.DEAD_LETTERED : RecordOutcome.FAILED).increment();
        }

        private byte[] encode(Object value) {
            try {
                return version.codec().encode(value);
            } catch (InvalidRecordException e) {
                throw schemaViolation(e);
            }
        }

        private ContractViolationException schemaViolation(InvalidRecordException e) {
            return new ContractViolationException(Stage.WRITE, product.name(), version.text(), topic, null, null,
                    ContractViolationException.SCHEMA, e.getMessage(), e);
        }

        public ContractViolationException violation(RuleOutcome outcome, String suffix) {
            return new ContractViolationException(Stage.WRITE, product.name(), version.text(), topic,
                    outcome.rule().name(), outcome.reason() + suffix);
        }

        /** Tags a record with this version's product headers. */
        public void tag(Headers headers) {
            version.tag(headers);
        }
    }
}
