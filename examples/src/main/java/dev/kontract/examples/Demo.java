package dev.kontract.examples;

import dev.kontract.cli.Kontract;
import dev.kontract.core.ContractCatalog;
import dev.kontract.core.DataContract;
import dev.kontract.core.Version;
import dev.kontract.core.format.AvroContractSchema;
import dev.kontract.core.load.ContractLoader;
import dev.kontract.core.metrics.MeterRegistries;
import dev.kontract.core.metrics.RecordOutcome;
import dev.kontract.interceptors.ContractConsumerInterceptor;
import dev.kontract.interceptors.ContractHealth;
import dev.kontract.interceptors.ContractProducerInterceptor;
import dev.kontract.serde.ContractConfig;
import dev.kontract.serde.ContractDeserializer;
import dev.kontract.serde.ContractKeyDeserializer;
import dev.kontract.serde.ContractHeaders;
import dev.kontract.serde.ContractSerializer;
import dev.kontract.testkit.EmbeddedKafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The whole data-product story of DESIGN.md, end to end: the {@code customer.accounts} product
 * moves from v1 to v2 (renaming {@code ssn} to {@code national_id}); a producer writes v1 records,
 * then v2 records of which 1% break the {@code countryIsIso3166} rule and go to the dead-letter
 * topic; a consumer pinned to v1 and a consumer pinned to v2 read every record in their own shape;
 * a report per client shows what became of every record, lag, freshness and SLA breaches, and the
 * numbers must reconcile. With {@code --contracts-from-kafka} the demo first publishes its contracts
 * with {@code kontract publish} to the cluster's contracts topic, and every client reads them from
 * there ({@code contract.source=kafka:}) instead of the classpath. Exits 0 when the story holds, 1 when
 * it does not, 2 on bad arguments.
 */
public final class Demo {

    static final String PRODUCT = "customer.accounts";
    /** Where the clients find the contracts unless they read them from Kafka: {@code contract.source}'s default. */
    private static final String CONTRACTS = ContractLoader.DEFAULT_SOURCE;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final PrintStream out;
    private final String bootstrapServers;
    private final int records;
    private final boolean contractsFromKafka;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> registryNames = new ArrayList<>();

    private Demo(PrintStream out, String bootstrapServers, int records, boolean contractsFromKafka) {
        this.out = out;
        this.bootstrapServers = bootstrapServers;
        this.records = records;
        this.contractsFromKafka = contractsFromKafka;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the demo; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
        int code = new CommandLine(new Arguments(out)).setOut(outWriter).setErr(errWriter).execute(args);
        outWriter.flush();
        errWriter.flush();
        return code;
    }

    /** The command line, and the demo it starts. */
    @Command(name = "Demo", separator = " ", sortOptions = false, descriptionHeading = "%n", optionListHeading = "%n",
            description = "Runs Kontract's data-product story and prints a report per client.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:every record was consumed or dead-lettered and read back intact",
                    "1:the story fails", "2:bad arguments"})
    static final class Arguments implements Callable<Integer> {

        private final PrintStream out;

        @Spec
        CommandSpec spec;

        @Option(names = "--bootstrap-servers", order = 1, paramLabel = "HOST:PORT",
                description = "a running Kafka cluster to use (it must allow creating topics); default: an embedded"
                        + " KRaft broker in this JVM")
        String bootstrapServers;

        int records;

        @Option(names = "--contracts-from-kafka", order = 3,
                description = "publish the contracts with kontract publish to the cluster's contracts topic"
                        + " (_kontract.contracts); every client reads them from there (contract.source=kafka:) instead"
                        + " of from classpath:contracts/")
        boolean contractsFromKafka;

        @Option(names = {"-h", "--help"}, order = 4, usageHelp = true, description = "this text")
        boolean help;

        Arguments(PrintStream out) {
            this.out = out;
        }

        @Option(names = "--records", order = 2, paramLabel = "N", defaultValue = "2000",
                description = "records to produce, half as v1 and half as v2 (even, at least 100); default:"
                        + " ${DEFAULT-VALUE}")
        void records(String value) {
            int parsed;
            try {
                parsed = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                parsed = -1;
            }
            if (parsed < 100 || parsed % 2 != 0) {
                throw new ParameterException(spec.commandLine(), "--records takes an even number of at least 100, not "
                        + value);
            }
            records = parsed;
        }

        @Override
        public Integer call() {
            if (bootstrapServers != null) {
                return new Demo(out, bootstrapServers, records, contractsFromKafka).tell();
            }
            out.print("Starting an embedded Kafka broker (KRaft, in this JVM) ... ");
            long start = System.nanoTime();
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
                out.printf(Locale.ROOT, "ready at %s in %.1f s%n", broker.bootstrapServers(), seconds(start));
                return new Demo(out, broker.bootstrapServers(), records, contractsFromKafka).tell();
            }
        }
    }

    private int tell() {
        try {
            return story();
        } catch (Exception e) {
            out.println();
            out.println("FAILED: " + e);
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                out.println("  caused by " + cause);
            }
            return 1;
        } finally {
            registryNames.forEach(MeterRegistries::unregister);
        }
    }

    private int story() throws Exception {
        ContractCatalog catalog = new ContractLoader().load(CONTRACTS);
        DataContract contract = catalog.product(PRODUCT).orElseThrow();
        String topic = PRODUCT + ".demo-" + run;
        String dlq = topic + ".dlq";
        createTopics(topic, dlq);

        out.println();
        out.println("Contracts (" + CONTRACTS + ", validated at load):");
        for (DataContract each : catalog.contracts()) {
            out.printf("  %-20s %-9s versions %-15s owner %s%n", each.product(), each.latest().schema().type(),
                    each.versions().stream().map(v -> v.version().toString()).collect(Collectors.joining(", ")),
                    each.owner());
        }
        if (contractsFromKafka) {
            out.println("kontract publish puts them on the contracts topic; every client reads them from there"
                    + " (contract.source=" + ContractConfig.KAFKA_SOURCE_PREFIX + "):");
            publishContracts();
        }
        out.printf("Topic %s (3 partitions), dead letters to %s%n%n", topic, dlq);

        MeterRegistry producerMeters = registry("producer");
        int half = records / 2;
        Map<String, String> secrets = new HashMap<>();
        int written = produce(contract, topic, dlq, "1.0", 0, half, -1, secrets, "[1/4] producer v1.0 writes");
        List<String> rejected = new ArrayList<>();
        written += produce(contract, topic, dlq, "2.0", half, half, 100, secrets,
                "[2/4] producer v2.0 writes (1% break countryIsIso3166)");
        int deadLettered = records - written;
        for (String key : secrets.keySet()) {
            if (secrets.get(key).startsWith("rejected:")) {
                rejected.add(key);
            }
        }

        Reading v1 = consume(topic, "1", "[3/4] consumer pinned to v1 reads", written, secrets);
        Reading v2 = consume(topic, "2", "[4/4] consumer pinned to v2 reads", written, secrets);
        int inDlq = countDeadLetters(dlq, deadLettered);

        ContractHealth producer = ContractHealth.of(producerMeters, PRODUCT);
        out.println();
        out.println("Report for " + PRODUCT + " (SLA: freshness " + contract.sla().freshness()
                .map(d -> d.toMillis() + " ms").orElse("none") + ", quality " + contract.sla().quality().stream()
                .mapToObj(q -> String.format(Locale.ROOT, "%.2f%%", q * 100)).findFirst().orElse("none") + ")");
        out.println(Table.render(List.of(
                Table.row("producer (v1.0, v2.0)", producer.produced(), producer),
                Table.row("consumer pinned to v1 (" + contract.resolve("1").version() + ")", v1.health.consumed(),
                        v1.health),
                Table.row("consumer pinned to v2 (" + contract.resolve("2").version() + ")", v2.health.consumed(),
                        v2.health))));
        out.printf("Dead-letter topic %s holds %d records (rule countryIsIso3166, stage WRITE).%n%n", dlq, inDlq);

        List<String> failures = new ArrayList<>();
        check(failures, ContractHealth.total(producer.produced()) == records, "the producer counted "
                + ContractHealth.total(producer.produced()) + " records, not " + records);
        check(failures, producer.produced().get(RecordOutcome.DEAD_LETTERED) == deadLettered, "the producer counted "
                + producer.produced().get(RecordOutcome.DEAD_LETTERED) + " dead letters, the sends say " + deadLettered);
        check(failures, inDlq == deadLettered, "the dead-letter topic holds " + inDlq + " records, not " + deadLettered);
        for (Reading reading : List.of(v1, v2)) {
            check(failures, reading.count + deadLettered == records, "consumer " + reading.name + " read " + reading.count
                    + " records; with " + deadLettered + " dead-lettered that is not the " + records + " produced");
            check(failures, reading.mismatches.isEmpty(), "consumer " + reading.name + " read records whose values"
                    + " changed: " + reading.mismatches.stream().limit(3).toList());
        }
        if (!failures.isEmpty()) {
            out.println("The story does NOT hold:");
            failures.forEach(f -> out.println("  - " + f));
            return 1;
        }
        out.printf("Reconciled: produced %d = consumed %d + dead-lettered %d, for the v1 and the v2 consumer;%n",
                records, written, deadLettered);
        out.println("every national_id read by v2 and every ssn read by v1 is the value the producer wrote.");
        return 0;
    }

    private int produce(DataContract contract, String topic, String dlq, String version, int from, int count,
            int badEvery, Map<String, String> secrets, String step) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ContractSerializer.class);
        config.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, ContractProducerInterceptor.class.getName());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ContractConfig.PRODUCT_CONFIG, PRODUCT);
        config.put(ContractConfig.VERSION_CONFIG, version);
        config.put(ContractConfig.DLQ_TOPIC_CONFIG, dlq);
        config.put(ContractConfig.METRICS_REGISTRY_CONFIG, registryName("producer"));
        contractSource(config);
        Schema schema = ((AvroContractSchema) contract.version(Version.parse(version)).orElseThrow().schema()).schema();
        boolean v1 = version.startsWith("1");
        Progress progress = new Progress(out, step, count);
        int toTopic = 0;
        try (KafkaProducer<String, GenericRecord> producer = new KafkaProducer<>(config)) {
            List<Future<RecordMetadata>> sends = new ArrayList<>(count);
            List<String> keys = new ArrayList<>(count);
            for (int i = from; i < from + count; i++) {
                String key = "acct-" + i;
                String secret = String.format(Locale.ROOT, "%03d-%02d-%04d", i % 1000, i % 100, i);
                boolean bad = badEvery > 0 && i % badEvery == 7;
                GenericRecord account = new GenericRecordBuilder(schema)
                        .set("id", key)
                        .set("name", "Customer " + i)
                        .set(v1 ? "ssn" : "national_id", secret)
                        .set("country", bad ? "Germany" : "DE")
                        .build();
                sends.add(producer.send(new ProducerRecord<>(topic, key, account)));
                keys.add(key);
                secrets.put(key, secret);
            }
            for (int i = 0; i < sends.size(); i++) {
                RecordMetadata metadata = sends.get(i).get();
                if (metadata.topic().equals(topic)) {
                    toTopic++;
                } else {
                    secrets.put(keys.get(i), "rejected:" + secrets.get(keys.get(i)));
                }
                progress.advance(i + 1);
            }
        }
        progress.done(toTopic + " on the topic" + (toTopic < count ? ", " + (count - toTopic) + " dead-lettered" : ""));
        return toTopic;
    }

    /** What one consumer read. */
    private record Reading(String name, int count, List<String> mismatches, ContractHealth health) {}

    private Reading consume(String topic, String readerVersion, String step, int expected, Map<String, String> secrets) {
        String name = "consumer-v" + readerVersion;
        MeterRegistry meters = registry(name);
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-" + run + "-" + name);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ContractKeyDeserializer.class);
        config.put(ContractConfig.KEY_DESERIALIZER_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ContractDeserializer.class);
        config.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, ContractConsumerInterceptor.class.getName());
        config.put(ContractConfig.PRODUCT_CONFIG, PRODUCT);
        config.put(ContractConfig.READER_VERSION_CONFIG, readerVersion);
        config.put(ContractConfig.METRICS_REGISTRY_CONFIG, registryName(name));
        contractSource(config);
        String field = readerVersion.equals("1") ? "ssn" : "national_id";
        Progress progress = new Progress(out, step, expected);
        List<String> mismatches = new ArrayList<>();
        int count = 0;
        ContractHealth health;
        try (KafkaConsumer<String, GenericRecord> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (count < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, GenericRecord> record : consumer.poll(Duration.ofMillis(200))) {
                    count++;
                    Object value = record.value().get(field);
                    String expectedSecret = secrets.get(record.key());
                    if (value == null || !value.toString().equals(expectedSecret)) {
                        mismatches.add(record.key() + " written as " + header(record, ContractHeaders.VERSION));
                    }
                }
                consumer.commitSync();
                progress.advance(count);
            }
            health = ContractHealth.of(meters, PRODUCT);
        }
        progress.done(count + " read");
        return new Reading(name, count, mismatches, health);
    }

    private int countDeadLetters(String dlq, int expected) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-" + run + "-dlq");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        int count = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(dlq));
            long deadline = System.nanoTime() + Duration.ofSeconds(expected == 0 ? 3 : 30).toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                count += consumer.poll(Duration.ofMillis(200)).count();
                if (count >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                }
            }
        }
        return count;
    }

    private void createTopics(String topic, String dlq) throws Exception {
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(3), Optional.empty()),
                    new NewTopic(dlq, Optional.of(1), Optional.empty()))).all().get();
        }
    }

    /**
     * Publishes {@link #CONTRACTS} with the real {@code kontract publish}, in this JVM, and prints what it
     * says. The command reads a directory: the classpath's own when it is one, else a copy of the jar's.
     */
    private void publishContracts() throws Exception {
        String directory = CONTRACTS.substring("classpath:".length());
        URL url = Demo.class.getClassLoader().getResource(directory);
        if (url == null) {
            throw new IllegalStateException(CONTRACTS + " is not on the classpath");
        }
        Path copy = null;
        Path contracts;
        if (url.getProtocol().equals("file")) {
            contracts = Path.of(url.toURI());
        } else {
            copy = Files.createTempDirectory("kontract-demo-");
            contracts = copy.resolve(directory);
            copyOutOfJar(url, contracts);
        }
        try {
            StringWriter said = new StringWriter();
            String[] publish = {"publish", contracts.toString(), "--bootstrap-servers", bootstrapServers};
            int exit = Kontract.run(publish, new PrintWriter(said), new PrintWriter(said));
            said.toString().lines().forEach(line -> out.println("  " + line));
            if (exit != Kontract.CLEAN) {
                throw new IllegalStateException("kontract publish " + contracts + " exited " + exit);
            }
        } finally {
            if (copy != null) {
                Utils.delete(copy.toFile());
            }
        }
    }

    /** Copies the directory {@code entry} of a jar ({@code jar:file:…!/contracts/}) to {@code target}. */
    private static void copyOutOfJar(URL entry, Path target) throws Exception {
        if (!(entry.openConnection() instanceof JarURLConnection connection)) {
            throw new IOException(entry + " is neither a directory nor in a jar");
        }
        Path jar = Path.of(connection.getJarFileURL().toURI());
        try (FileSystem zip = FileSystems.newFileSystem(jar)) {
            Path root = zip.getPath("/" + connection.getEntryName());
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path to = target.resolve(root.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(file, to);
                    }
                }
            }
        }
    }

    /** Every Kontract client of the demo reads the contracts where the demo put them. */
    private void contractSource(Map<String, Object> config) {
        if (contractsFromKafka) {
            config.put(ContractConfig.SOURCE_CONFIG, ContractConfig.KAFKA_SOURCE_PREFIX);
        }
    }

    private MeterRegistry registry(String name) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MeterRegistries.register(registryName(name), registry);
        registryNames.add(registryName(name));
        return registry;
    }

    private String registryName(String name) {
        return "demo-" + run + "-" + name;
    }

    private static String header(ConsumerRecord<?, ?> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null ? "?" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void check(List<String> failures, boolean holds, String failure) {
        if (!holds) {
            failures.add(failure);
        }
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
