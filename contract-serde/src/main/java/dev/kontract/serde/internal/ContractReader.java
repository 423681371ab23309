package dev.kontract.serde.internal;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.kontract.core.ContractViolationException;
import dev.kontract.core.ContractViolationException.Stage;
import dev.kontract.core.Rule;
import dev.kontract.core.RulePhase;
import dev.kontract.core.format.InvalidRecordException;
import dev.kontract.core.format.RecordCodec.RecordReader;
import dev.kontract.core.metrics.ContractMeters;
import dev.kontract.core.metrics.MeterNames;
import dev.kontract.core.metrics.RecordOutcome;
import dev.kontract.core.metrics.Side;
import dev.kontract.core.migration.MigrationPlan;
import dev.kontract.core.rules.RuleChain;
import dev.kontract.core.rules.RuleContext;
import dev.kontract.core.rules.RuleDecision;
import dev.kontract.core.rules.RuleRun;
import dev.kontract.serde.ContractConfig;
import dev.kontract.serde.ContractHeaders;
import dev.kontract.serde.ContractKeyDeserializer;
import dev.kontract.serde.internal.deadletter.DeadLetterMark;
import dev.kontract.serde.internal.deadletter.DeadLetterRequest;
import dev.kontract.serde.internal.deadletter.DeadLetterRoute;
import io.micrometer.core.instrument.Counter;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import tools.jackson.databind.JsonNode;

/**
 * The consumer side of a contract, behind {@code ContractDeserializer}. Per topic it builds a
 * {@link Binding} once, and per written version a {@link Path}: a record of the reader's major with
 * no {@code READ} rules is decoded straight into the reader's type by the format's own resolution;
 * anything else goes through the JSON view, the migration plan and the rules.
 */
public final class ContractReader {

    /** Topics whose bindings are kept; an evicted binding's meters leave the registry unless another client holds them. */
    static final int MAX_BINDINGS = 10_000;

    private final ClientSettings settings;
    /** The consumer's {@code key.deserializer}, or {@code null}. */
    private final String keyDeserializer;
    private final Class<?> readerClass;
    private final boolean deadLetterReadFailures;
    private final DeadLetterRoute route;
    private final Clock clock;
    private final LoadedContracts contractsAtConfigure;
    private final LoadingCache<String, Binding> bindings;
    /** The binding used last: most consumers read one topic. */
    private volatile Binding lastBinding;

    private ContractReader(ClientSettings settings, String keyDeserializer, DeadLetterRoute route, Clock clock) {
        this.settings = settings;
        this.keyDeserializer = keyDeserializer;
        this.route = route;
        this.readerClass = settings.config().readerClass().orElse(null);
        this.deadLetterReadFailures = settings.config().deadLetterReadFailures();
        this.clock = clock;
        this.contractsAtConfigure = settings.contracts();
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
    public static ContractReader of(Map<String, ?> clientConfig, DeadLetterRoute route, Clock clock) {
        ContractReader reader = new ContractReader(ClientSettings.of(clientConfig),
                ClientSettings.className(clientConfig.get("key.deserializer")), route, clock);
        try {
            reader.check();
            return reader;
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** Releases the contract source. */
    public void close() {
        settings.close();
    }

    /** What can be checked at {@code configure()}: dead-lettering needs, and the bound product's reader. */
    private void check() {
        if (deadLetterReadFailures) {
            String problem = deadLetteringProblem();
            if (problem != null) {
                throw new ConfigException(ContractConfig.READ_FAILURE_CONFIG, ContractConfig.READ_FAILURE_DLQ,
                        "dead-lettering " + route.where("consumer") + " needs " + problem);
            }
        }
        ProductRuntime bound = settings.boundProduct();
        if (bound != null) {
            checkReader(bound, readerVersion(bound));
        } else {
            settings.config().readerVersion().ifPresent(this::checkSomeProductHas);
        }
    }

    /** A reader version for products found by topic must be one that at least one contract has. */
    private void checkSomeProductHas(String readerVersion) {
        List<String> versions = new ArrayList<>();
        for (var contract : settings.contracts().catalog().contracts()) {
            try {
                contract.resolve(readerVersion);
                return;
            } catch (IllegalArgumentException e) {
                versions.add(contract.product() + " " + contract.versionList());
            }
        }
        throw new ConfigException(ContractConfig.READER_VERSION_CONFIG, readerVersion, "no contract in "
                + settings.sourceName() + " has this version (" + String.join("; ", versions) + ")");
    }

    /** Key deserializers that keep a dead letter's key bytes: Kontract's, and those whose keys are their own bytes. */
    private static final List<String> BYTE_KEY_DESERIALIZERS = List.of(ContractKeyDeserializer.class.getName(),
            "org.apache.kafka.common.serialization.ByteArrayDeserializer",
            "org.apache.kafka.common.serialization.ByteBufferDeserializer",
            "org.apache.kafka.common.serialization.BytesDeserializer",
            "org.apache.kafka.common.serialization.VoidDeserializer");

    /** What this consumer lacks to dead-letter, or {@code null}. */
    private String deadLetteringProblem() {
        if (route != DeadLetterRoute.INTERCEPTORS) {
            return route.streamsProblem(true);
        }
        if (!settings.hasInterceptor(DeadLetterMark.CONSUMER_INTERCEPTOR)) {
            return DeadLetterMark.CONSUMER_INTERCEPTOR + " in interceptor.classes (a deserializer cannot drop a record"
                    + " or see its offset)";
        }
        if (keyDeserializer == null) {
            return "key.deserializer in the client config (the consumer's key deserializer must keep the key bytes:"
                    + " " + ContractKeyDeserializer.class.getName() + " or a byte-array one)";
        }
        if (!BYTE_KEY_DESERIALIZERS.contains(keyDeserializer)) {
            return "key.deserializer=" + ContractKeyDeserializer.class.getName() + " with "
                    + ContractConfig.KEY_DESERIALIZER_CONFIG + "=" + keyDeserializer + " (a dead letter carries the key"
                    + " bytes as read, which " + keyDeserializer + " does not give back)";
        }
        return null;
    }

    /**
     * Checks what this consumer reads {@code product} as: the reader class, and the interceptor that
     * dead-lettering rules need.
     *
     * @return {@code reader}
     * @throws ConfigException naming the key and value that is wrong
     */
    private VersionRuntime checkReader(ProductRuntime product, VersionRuntime reader) {
        try {
            reader.codec().readerFor(reader.codec(), readerClass);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ContractConfig.READER_CLASS_CONFIG, readerClass.getName(), e.getMessage());
        }
        String problem = deadLetteringProblem();
        if (problem != null) {
            List<Rule> rules = new ArrayList<>(reader.deadLetterRules(RulePhase.READ));
            for (var version : product.contract().versions()) {
                rules.addAll(product.version(version.version()).deadLetterRules(RulePhase.UPGRADE));
                rules.addAll(product.version(version.version()).deadLetterRules(RulePhase.DOWNGRADE));
            }
            if (!rules.isEmpty()) {
                throw new ConfigException("Rule " + rules.get(0).name() + " of " + product.name()
                        + " sends records to the dead-letter topic; " + route.where("consumer") + " that needs " + problem);
            }
        }
        return reader;
    }

    /**
     * The version this consumer reads {@code product} as: {@code contract.reader.version} (or the latest)
     * resolved against the contracts in force at {@code configure()} when they had the product, so that a
     * version published later does not change what the application receives.
     */
    private VersionRuntime readerVersion(ProductRuntime product) {
        ProductRuntime asConfigured = contractsAtConfigure.product(product.name()).orElse(product);
        VersionRuntime reader = settings.version(asConfigured, ContractConfig.READER_VERSION_CONFIG,
                settings.config().readerVersion());
        return product.version(reader.version().version());
    }

    /** One window per product and client, shared by the product's topics. */
    private final Map<String, QualityWindow> qualityWindows = new java.util.concurrent.ConcurrentHashMap<>();

    private QualityWindow qualityWindow(ProductRuntime product) {
        var target = product.contract().sla().quality();
        if (target.isEmpty()) {
            return null;
        }
        return qualityWindows.computeIfAbsent(product.name(), name -> new QualityWindow(target.getAsDouble(),
                settings.meters().slaBreaches(name, "quality")));
    }

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
        return new Binding(product, topic, settings.dlqTopicFor(product, topic));
    }

    /** A codec's own message (it names fields, never values); for anything else, only its type. */
    private static String reason(RuntimeException e) {
        return e instanceof InvalidRecordException ? e.getMessage() : e.getClass().getName();
    }

    /**
     * Where the bytes of a failed record are: the same fetched buffer and place when it is read again.
     * The buffer is kept by identity hash, not by reference, so that a fetch is not held in memory.
     */
    private record FailedBytes(int buffer, int position, int length) {

        static FailedBytes of(ByteBuffer data) {
            return data.hasArray()
                    ? new FailedBytes(System.identityHashCode(data.array()), data.arrayOffset() + data.position(),
                            data.remaining())
                    : new FailedBytes(System.identityHashCode(data), data.position(), data.remaining());
        }
    }

    /**
     * The consumer side of one topic. It reads as the version resolved when it was bound, also when the
     * contracts in force change: from a contracts topic, a record of a version the binding does not know
     * takes it to the product's latest contract (after one catch-up with the topic), with the same reader
     * version.
     */
    public final class Binding {

        private final String productName;
        private final String topic;
        private final String dlqTopic;
        private volatile Resolved resolved;
        private final Map<RecordOutcome, Counter> unreadable;
        private final QualityWindow quality;
        /** The path of the version read last: most topics carry one version at a time. */
        private volatile Path lastPath;
        private volatile FailedBytes lastFailure;
        /** A version still unknown after a catch-up, with the contracts it was missing from: not caught up for again. */
        private volatile Missing lastMissing;
        private final ContractMeters meters = settings.meters().scoped();

        Binding(ProductRuntime product, String topic, String dlqTopic) {
            this.productName = product.name();
            this.topic = topic;
            this.dlqTopic = dlqTopic;
            this.resolved = new Resolved(product, checkReader(product, readerVersion(product)));
            this.unreadable = meters.records(product.name(), MeterNames.UNKNOWN_VERSION, topic, Side.CONSUME);
            this.quality = qualityWindow(product);
        }

        /** The product as the binding knows it, the version it reads as, and the path from each written version. */
        private final class Resolved {

            final ProductRuntime product;
            final VersionRuntime reader;
            /** By the writer's version: only versions the contract has, never header text. */
            final LoadingCache<VersionRuntime, Path> paths;

            Resolved(ProductRuntime product, VersionRuntime reader) {
                this.product = product;
                this.reader = reader;
                this.paths = Caffeine.newBuilder().build(writer -> new Path(this, writer));
            }
        }

        private record Missing(String version, LoadedContracts contracts) {}

        /**
         * The binding on the latest contracts of its product, after catching up with the contracts topic
         * once when they lack {@code version} too.
         */
        private Resolved refreshed(String version) {
            Resolved current = resolved;
            ProductRuntime latest = settings.contracts().product(productName).orElse(current.product);
            Missing missing = lastMissing;
            if (latest.version(version).isEmpty() && (missing == null || !missing.version().equals(version)
                    || missing.contracts() != settings.contracts())) {
                settings.catchUp();
                LoadedContracts contracts = settings.contracts();
                latest = contracts.product(productName).orElse(current.product);
                if (latest.version(version).isEmpty()) {
                    lastMissing = new Missing(version, contracts);
                }
            }
            if (latest == current.product) {
                return current;
            }
            Resolved next = new Resolved(latest, checkReader(latest, latest.version(current.reader.version().version())));
            resolved = next;
            lastPath = null;
            return next;
        }

        private void count(Map<RecordOutcome, Counter> records, RecordOutcome outcome) {
            records.get(outcome).increment();
            if (quality != null) {
                quality.record(outcome == RecordOutcome.VALID || outcome == RecordOutcome.MIGRATED);
            }
        }

        /**
         * Reads a record's value under the contract.
         *
         * @return the value in the reader's type, or {@code null} when the record was marked for the
         *     dead-letter topic
         * @throws ContractViolationException when the record cannot be read and the failure is not dead-lettered
         */
        public Object read(Headers headers, ByteBuffer data) {
            Header versionHeader = headers.lastHeader(ContractHeaders.VERSION);
            Header productHeader = headers.lastHeader(ContractHeaders.PRODUCT);
            Path last = lastPath;
            if (last != null && versionHeader != null && last.writer.isVersion(versionHeader.value())
                    && (productHeader == null || last.writer.isProduct(productHeader.value()))) {
                return last.read(headers, data);
            }
            return readSlowly(headers, data, HeaderText.of(productHeader), HeaderText.of(versionHeader));
        }

        private Object readSlowly(Headers headers, ByteBuffer data, String writtenProduct, String writtenVersion) {
            Resolved current = resolved;
            ProductRuntime product = current.product;
            if (writtenVersion == null) {
                return readFailure(headers, data, unreadable, MeterNames.UNKNOWN_VERSION, new ContractViolationException(Stage.DECODE,
                        product.name(), null, topic, ContractViolationException.HEADERS,
                        "the record has no dp.version header (it was not written through Kontract)"));
            }
            if (writtenProduct != null && !writtenProduct.equals(product.name())) {
                return readFailure(headers, data, unreadable, MeterNames.UNKNOWN_VERSION, new ContractViolationException(Stage.DECODE,
                        product.name(), HeaderText.quote(writtenVersion), topic, ContractViolationException.HEADERS,
                        "the record belongs to product " + HeaderText.quote(writtenProduct) + ", not " + product.name()));
            }
            Optional<VersionRuntime> written = product.version(writtenVersion);
            if (written.isEmpty() && settings.liveContracts()) {
                current = refreshed(writtenVersion);
                product = current.product;
                written = product.version(writtenVersion);
            }
            if (written.isEmpty()) {
                return readFailure(headers, data, unreadable, MeterNames.UNKNOWN_VERSION, new ContractViolationException(Stage.DECODE,
                        product.name(), HeaderText.quote(writtenVersion), topic, ContractViolationException.HEADERS,
                        "the record was written as version " + HeaderText.quote(writtenVersion)
                                + ", which the contract does not have"
                                + " (it has " + product.contract().versionList() + (settings.liveContracts()
                                        ? ", after catching up with " + settings.sourceName() : "") + ")"));
            }
            Path path = current.paths.get(written.get());
            lastPath = path;
            return path.read(headers, data);
        }

        private Object readFailure(Headers headers, ByteBuffer data, Map<RecordOutcome, Counter> records,
                String countedVersion, ContractViolationException violation) {
            if (deadLetterReadFailures) {
                return deadLetter(headers, data, records, countedVersion, violation);
            }
            countFailure(records, data);
            throw violation;
        }

        /**
         * Counts a record that failed, once: the consumer deserializes a failed record again on every
         * {@code poll()} until the application seeks past it, each time from the same fetched bytes.
         */
        private void countFailure(Map<RecordOutcome, Counter> records, ByteBuffer data) {
            FailedBytes failed = FailedBytes.of(data);
            if (!failed.equals(lastFailure)) {
                lastFailure = failed;
                count(records, RecordOutcome.FAILED);
            }
        }

        /**
         * Marks a record for the interceptor, which counts it {@code dead_lettered} once the dead-letter
         * topic acknowledges it, or in Kafka Streams asks Kontract's handler to dead-letter it; the
         * quality window counts it bad now.
         *
         * @throws DeadLetterRequest in Kafka Streams
         */
        private Object deadLetter(Headers headers, ByteBuffer data, Map<RecordOutcome, Counter> records,
                String countedVersion, ContractViolationException violation) {
            if (quality != null) {
                quality.record(false);
            }
            if (route == DeadLetterRoute.STREAMS_HANDLERS) {
                throw new DeadLetterRequest(violation, dlqTopic, null, records.get(RecordOutcome.DEAD_LETTERED),
                        DeadLetterRoute.DESERIALIZATION_HANDLER);
            }
            DeadLetterMark.mark(headers, data, dlqTopic, violation, productName, countedVersion, clock.millis());
            return null;
        }

        /** How records written as one version reach the reader's version. */
        final class Path {

            private final ProductRuntime product;
            private final VersionRuntime reader;
            private final VersionRuntime writer;
            private final MigrationPlan plan;
            /**
             * Reads the bytes straight into the reader's type, without the JSON view: by the format's own
             * resolution within a major, or across majors when the plan is a field mapping the format can
             * run itself ({@link #migrates}).
             */
            private final RecordReader direct;
            private final boolean migrates;
            /**
             * Runs the reader's READ conditions in place on what {@link #direct} read: for records written
             * as the reader's own version, whose values are those the view path would show.
             */
            private final boolean checkInPlace;
            private final RuleContext readContext;
            private final Map<RecordOutcome, Counter> records;
            private final RuleMeters ruleMeters;
            private final Counter migrations;

            Path(Resolved resolved, VersionRuntime writer) {
                this.product = resolved.product;
                this.reader = resolved.reader;
                this.writer = writer;
                this.plan = product.planner().plan(writer.version().version(), reader.version().version());
                boolean sameFormat = writer.codec().schema().type() == reader.codec().schema().type();
                boolean noReadRules = reader.readRules().isEmpty();
                this.checkInPlace = writer == reader && reader.readRules().readsRecordsInPlace()
                        && reader.codec().readsInPlace(readerClass);
                if (!sameFormat) {
                    this.direct = null;
                } else if (plan.isEmpty()) {
                    this.direct = noReadRules || checkInPlace ? reader.codec().readerFor(writer.codec(), readerClass) : null;
                } else {
                    this.direct = noReadRules && plan.fieldMapping().isPresent() ? reader.codec().migratingReaderFor(
                            writer.codec(), plan.fieldMapping().get(), readerClass).orElse(null) : null;
                }
                this.migrates = direct != null && !plan.isEmpty();
                this.readContext = new RuleContext(product.name(), reader.version().version(), RulePhase.READ, topic);
                this.records = meters.records(product.name(), writer.text(), topic, Side.CONSUME);
                List<RuleChain> chains = new ArrayList<>(List.of(reader.readRules()));
                plan.steps().forEach(step -> chains.add(step.rules()));
                this.ruleMeters = new RuleMeters(meters, product.name(), chains);
                this.migrations = plan.isEmpty() ? null
                        : meters.migrations(product.name(), writer.text(), reader.text());
            }

            Object read(Headers headers, ByteBuffer data) {
                if (direct != null) {
                    Object value;
                    try {
                        value = direct.read(data);
                    } catch (RuntimeException e) {
                        return readFailure(headers, data, records, writer.text(), undecodable(e));
                    }
                    if (checkInPlace) {
                        RuleRun checked = reader.readRules().runInPlace(reader.codec().inPlace(value), readContext,
                                ruleMeters);
                        if (!checked.isAccepted()) {
                            return ruleFailure(headers, data, Stage.READ, checked);
                        }
                        count(records, checked.violated() ? RecordOutcome.INVALID : RecordOutcome.VALID);
                    } else if (migrates) {
                        plan.reportPassed(topic, ruleMeters);
                        migrations.increment();
                        count(records, RecordOutcome.MIGRATED);
                    } else {
                        count(records, RecordOutcome.VALID);
                    }
                    return value;
                }
                JsonNode view;
                try {
                    view = writer.codec().toJson(writer.codec().decode(data));
                } catch (RuntimeException e) {
                    return readFailure(headers, data, records, writer.text(), undecodable(e));
                }
                RuleRun migrated = plan.apply(view, topic, ruleMeters);
                if (!migrated.isAccepted()) {
                    return ruleFailure(headers, data, Stage.MIGRATE, migrated);
                }
                RuleRun checked = reader.readRules().run(migrated.record(), readContext, ruleMeters);
                if (!checked.isAccepted()) {
                    return ruleFailure(headers, data, Stage.READ, checked);
                }
                Object value;
                try {
                    value = reader.codec().fromJson(checked.record(), readerClass);
                } catch (RuntimeException e) {
                    return readFailure(headers, data, records, writer.text(), new ContractViolationException(
                            plan.isEmpty() ? Stage.READ : Stage.MIGRATE, product.name(), writer.text(), topic, null, null,
                            ContractViolationException.SCHEMA, (plan.isEmpty() ? "the transformed record" : "the record"
                                    + " migrated from " + writer.text()) + " does not fit version " + reader.text() + ": "
                                    + reason(e), e));
                }
                if (migrations != null) {
                    migrations.increment();
                }
                RecordOutcome outcome = migrated.violated() || checked.violated() ? RecordOutcome.INVALID
                        : plan.isEmpty() ? RecordOutcome.VALID : RecordOutcome.MIGRATED;
                count(records, outcome);
                return value;
            }

            /** Which versions a failing rule of the read path sits between (the writer's is in the message already). */
            private String where(Stage stage) {
                if (stage == Stage.MIGRATE) {
                    return " (migrating " + writer.text() + " to " + reader.text() + ")";
                }
                return writer == reader ? "" : " (rule of " + reader.text() + ", reading " + writer.text() + " as "
                        + reader.text() + ")";
            }

            private ContractViolationException undecodable(RuntimeException e) {
                return new ContractViolationException(Stage.DECODE, product.name(), writer.text(), topic, null, null,
                        ContractViolationException.UNDECODABLE, "cannot decode bytes written as " + writer.text() + ": "
                                + reason(e), e);
            }

            private Object ruleFailure(Headers headers, ByteBuffer data, Stage stage, RuleRun run) {
                ContractViolationException violation = new ContractViolationException(stage, product.name(),
                        writer.text(), topic, run.deciding().rule().name(), run.deciding().reason() + where(stage));
                if (run.decision() == RuleDecision.DEAD_LETTER) {
                    return deadLetter(headers, data, records, writer.text(), violation);
                }
                countFailure(records, data);
                throw violation;
            }
        }
    }
}
