package dev.kontract.cli;

import dev.kontract.core.ContractException;
import dev.kontract.core.DataContract;
import dev.kontract.core.Problem;
import dev.kontract.core.internal.topic.ContractTopic;
import dev.kontract.core.load.ContractBundle;
import dev.kontract.core.load.ContractLoader;
import java.io.IOException;
import java.io.Reader;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kontract publish PATH --bootstrap-servers HOST:PORT}: puts the contracts of PATH on the
 * compacted contracts topic, from which clients with {@code contract.source=kafka:} load them. One record
 * per product, keyed by the product's name, holding its {@link ContractBundle} (the contract file and the
 * schema files it names), so compaction keeps each product's latest contract with all its versions.
 *
 * <p>It lints PATH, reads the topic to its end, and diffs each product of PATH against the topic's
 * contract of that product exactly as {@code kontract diff} does: any {@code BREAKING} change (a
 * published version changed in place among them) refuses the whole publication, exit 1, and nothing is
 * written. A product whose contract has not changed is not written again, so publishing the same
 * contracts twice writes nothing. Products on the topic that PATH does not hold are left alone; a new
 * product that claims a topic of one of them is refused. The topic is created, compacted, when missing.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publishes the contracts of PATH to the compacted contracts topic, after lint and a diff"
                + " against what the topic holds: any BREAKING change refuses the publication (exit 1).")
final class PublishCommand implements Callable<Integer> {

    /** The contracts topic clients read with {@code contract.source=kafka:}. */
    static final String DEFAULT_TOPIC = ContractTopic.DEFAULT_TOPIC;

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "Contract directory or file.")
    Path path;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT",
            description = "The Kafka cluster whose contracts topic to write.")
    String bootstrapServers;

    @Option(names = "--topic", defaultValue = DEFAULT_TOPIC, paramLabel = "T",
            description = "The contracts topic (default ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Client properties for the cluster, such as security settings.")
    Path commandConfig;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "How long to wait for the cluster, per step (default ${DEFAULT-VALUE} s).")
    int timeoutSeconds;

    /** A product written to the topic, at its offset. */
    record Written(String product, String versions, long offset) {}

    record PublishReport(String topic, List<Change> changes, List<Problem> problems, List<Written> written,
            List<String> warnings) {}

    @Override
    public Integer call() throws Exception {
        CommonOptions.requireExisting(path, commandConfig);
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        List<String> text = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        try (URLClassLoader classLoader = options.classLoader()) {
            Collection<DataContract> contracts;
            try {
                contracts = CommonOptions.loader(classLoader).load(path.toString()).contracts();
            } catch (ContractException e) {
                List<Problem> problems = LintCommand.problems(path, e);
                problems.forEach(problem -> text.add(problem.toString()));
                text.add("publish: " + path + " does not lint (" + problems.size() + " problems); nothing written");
                return report(text, new PublishReport(topic, List.of(), problems, List.of(), warnings),
                        Kontract.FINDINGS);
            }
            Properties client = clientProperties();
            boolean created = ensureTopic(client, timeout);
            Map<String, Published> published = created ? Map.of() : read(client, timeout, warnings);

            ContractLoader lenient = CommonOptions.loader(classLoader).withoutStepChecks();
            Map<String, DataContract> before = new TreeMap<>();
            for (DataContract contract : contracts) {
                Published current = published.get(contract.product());
                if (current == null) {
                    continue;
                }
                try {
                    before.put(contract.product(), current.load(lenient));
                } catch (ContractException e) {
                    warnings.add(current.where() + ": the topic's contract of " + contract.product()
                            + " does not load, so it is replaced as if new: " + e.getMessage());
                }
            }
            List<Change> changes = new ArrayList<>(ContractDiff.between(before.values(), contracts));
            changes.addAll(topicClaims(contracts, published, lenient, warnings));
            changes.forEach(change -> text.add(change.toString()));
            warnings.forEach(warning -> text.add("publish: warning: " + warning));
            if (changes.stream().anyMatch(Change::isBreaking)) {
                text.add("publish: " + changes.stream().filter(Change::isBreaking).count()
                        + " breaking; nothing written to " + topic);
                return report(text, new PublishReport(topic, changes, List.of(), List.of(), warnings), Kontract.FINDINGS);
            }
            Set<String> changed = changes.stream().map(Change::product).collect(Collectors.toSet());
            List<DataContract> toWrite = contracts.stream()
                    .filter(contract -> changed.contains(contract.product()) || !before.containsKey(contract.product()))
                    .sorted(java.util.Comparator.comparing(DataContract::product))
                    .toList();
            List<Written> written = write(client, toWrite, timeout);
            written.forEach(done -> text.add("published " + done.product() + " (versions " + done.versions() + ") to "
                    + topic + " at offset " + done.offset()));
            text.add(written.isEmpty() ? "publish: nothing to write; " + topic + " holds these contracts already"
                    : "publish: " + written.size() + (written.size() == 1 ? " product" : " products") + " written to "
                            + topic);
            return report(text, new PublishReport(topic, changes, List.of(), written, warnings), Kontract.CLEAN);
        }
    }

    private int report(List<String> text, PublishReport json, int code) {
        Output.print(options.format, spec.commandLine().getOut(), text, json);
        return code;
    }

    /**
     * No product of PATH may take a topic that another product on the contracts topic carries: a topic
     * belongs to one product.
     */
    private List<Change> topicClaims(Collection<DataContract> contracts, Map<String, Published> published,
            ContractLoader lenient, List<String> warnings) {
        Set<String> ours = contracts.stream().map(DataContract::product).collect(Collectors.toSet());
        List<Change> claims = new ArrayList<>();
        for (Map.Entry<String, Published> other : published.entrySet()) {
            if (ours.contains(other.getKey())) {
                continue;
            }
            DataContract theirs;
            try {
                theirs = other.getValue().load(lenient);
            } catch (ContractException e) {
                warnings.add(other.getValue().where() + ": the topic's contract of " + other.getKey()
                        + " does not load: " + e.getMessage());
                continue;
            }
            for (DataContract contract : contracts) {
                for (String claimed : contract.topics()) {
                    if (theirs.topics().contains(claimed)) {
                        claims.add(Change.breaking(contract.product(), "topic " + claimed + " claimed",
                                "the contracts topic gives " + claimed + " to product " + theirs.product()
                                        + "; a topic belongs to one product"));
                    }
                }
            }
        }
        return claims;
    }

    private Properties clientProperties() throws IOException {
        Properties properties = new Properties();
        if (commandConfig != null) {
            try (Reader reader = Files.newBufferedReader(commandConfig, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
        }
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, "kontract-publish");
        return properties;
    }

    /** Creates the topic, compacted, when it is missing; true when this call created it. */
    private boolean ensureTopic(Properties client, Duration timeout) throws Exception {
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        properties.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        Admin admin = Admin.create(properties);
        try {
            Set<String> names = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (names.contains(topic)) {
                return false;
            }
            NewTopic compacted = new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(List.of(compacted)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    return false;
                }
                throw e;
            }
        } catch (TimeoutException | ExecutionException e) {
            if (e instanceof ExecutionException failed
                    && !(failed.getCause() instanceof org.apache.kafka.common.errors.TimeoutException)) {
                throw failed;
            }
            throw new IOException("the cluster at " + bootstrapServers + " did not answer within "
                    + timeout.toSeconds() + " s", e);
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    /** A product's latest bundle on the topic, with where it was read. */
    private record Published(ContractBundle bundle, String topic, int partition, long offset) {

        String where() {
            return topic + "-" + partition + "@" + offset;
        }

        DataContract load(ContractLoader loader) {
            return bundle.load(loader, "kafka:" + where());
        }
    }

    /** The topic's latest bundle per product, read to its end; records that are not bundles are warned about. */
    private Map<String, Published> read(Properties client, Duration timeout, List<String> warnings) throws IOException {
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Map<String, Published> latest = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            ContractTopic.assignFromBeginning(consumer, topic, timeout);
            ContractTopic.readToEnd(consumer, timeout, record -> {
                String product = ContractTopic.product(record);
                if (product == null || record.value() == null) {
                    if (product != null) {
                        latest.remove(product);
                    }
                    return;
                }
                try {
                    ContractBundle bundle = ContractBundle.fromBytes(record.value());
                    latest.put(bundle.product(), new Published(bundle, topic, record.partition(), record.offset()));
                } catch (IllegalArgumentException e) {
                    warnings.add("record " + ContractTopic.where(record) + " is ignored: " + e.getMessage());
                }
            });
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IOException("could not read " + topic + " on " + bootstrapServers + " within "
                    + timeout.toSeconds() + " s: " + e.getMessage(), e);
        }
        return latest;
    }

    private List<Written> write(Properties client, List<DataContract> contracts, Duration timeout) throws Exception {
        if (contracts.isEmpty()) {
            return List.of();
        }
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        // delivery.timeout.ms must cover linger.ms plus request.timeout.ms
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1_000, timeout.toMillis() / 2));
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        List<Written> written = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties)) {
            for (DataContract contract : contracts) {
                RecordMetadata metadata = producer.send(ContractTopic.record(topic, ContractBundle.of(contract)))
                        .get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
                written.add(new Written(contract.product(), contract.versionList(), metadata.offset()));
            }
        }
        return written;
    }
}
