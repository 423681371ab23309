package dev.kontract.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kontract.core.ContractViolationException;
import dev.kontract.core.DataContract;
import dev.kontract.core.Version;
import dev.kontract.core.format.AvroContractSchema;
import dev.kontract.core.load.ContractLoader;
import dev.kontract.core.metrics.MeterNames;
import dev.kontract.core.metrics.RecordOutcome;
import dev.kontract.examples.spring.AccountListener;
import dev.kontract.examples.spring.SpringKafkaApplication;
import dev.kontract.interceptors.ContractHealth;
import dev.kontract.interceptors.ContractProducerInterceptor;
import dev.kontract.serde.ContractConfig;
import dev.kontract.serde.ContractHeaders;
import dev.kontract.serde.ContractSerializer;
import dev.kontract.testkit.KafkaBroker;
import dev.kontract.testkit.KafkaBrokerExtension;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.SendResult;

/**
 * The Spring Boot example ({@link SpringKafkaApplication}, {@code examples/spring-kafka.properties}) on
 * the in-JVM broker: 300 accounts written as 1.0, 2.0 and 2.1 by Kontract producers (2.1 through the
 * application's own {@code KafkaTemplate}) and two records of raw bytes without {@code dp.version}. Of
 * them, 3 break the test contract's {@code countryIsIso3166} READ rule ({@code DLQ}) and 2 its
 * {@code nameIsPresent} READ rule ({@code ERROR}); 2 are in a country the listener does not serve, so
 * it throws. Every record must end in exactly one of: the listener (as a 1.0 record, without
 * {@code dp.internal.*} headers), Kontract's dead-letter topic (the 3 + 2 poison records), Spring's
 * {@code <topic>-dlt} (the 2 the listener threw on + the 2 ERROR rejections); Kontract's meters, in the
 * application's registry, count each record once; and the group's committed offsets reach the end of
 * every partition, past records Kontract removed.
 *
 * <p>The test contract ({@code spring-it/customer-accounts.yaml}) is the example's with two READ rules
 * on 1.0, which the example lacks: its only rule on the read side, {@code countryIsIso3166}, belongs to
 * 2.0 and does not run for a reader of 1.0. It is the one setting the test adds besides the broker,
 * topic and group.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SpringKafkaIT {

    private static final String PRODUCT = "customer.accounts";
    private static final String SOURCE = "classpath:spring-it/customer-accounts.yaml";
    private static final int PARTITIONS = 3;
    private static final int ACCOUNTS = 300;
    /** Written as 1.0 (which has no WRITE rule), dead-lettered by Kontract on the read side. */
    private static final Set<Integer> BAD_COUNTRY = Set.of(30, 150, 270);
    /** Empty names, written as 2.0 and 2.1: an ERROR rule of 1.0 rejects them after the DOWNGRADE. */
    private static final Set<Integer> NO_NAME = Set.of(61, 182);
    /** A country the listener does not serve: valid for the contract, the listener throws. */
    private static final Set<Integer> UNSERVED = Set.of(44, 124);
    private static final List<String> POISON = List.of("poison-1", "poison-2");
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void springBootApplication_everyRecordEndsInExactlyOnePlace(KafkaBroker broker) throws Exception {
        long started = System.nanoTime();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = PRODUCT + ".spring-" + run;
        String dlq = topic + ".dlq";
        String dlt = topic + "-dlt";
        for (String each : List.of(topic, dlq, dlt)) {
            broker.createTopic(each, PARTITIONS);
        }
        DataContract contract = new ContractLoader().load(SOURCE).product(PRODUCT).orElseThrow();
        Map<String, String> secrets = new HashMap<>();
        Map<String, String> writtenAs = new HashMap<>();

        try (ConfigurableApplicationContext app = SpringKafkaApplication.start(
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--kontract.example.topic=" + topic,
                "--spring.kafka.consumer.group-id=spring-it-" + run,
                "--spring.kafka.consumer.properties.contract.source=" + SOURCE,
                "--spring.kafka.producer.properties.contract.source=" + SOURCE)) {
            MeterRegistry registry = app.getBean(MeterRegistry.class);
            AccountListener listener = app.getBean(AccountListener.class);
            @SuppressWarnings("unchecked")
            KafkaTemplate<String, GenericRecord> template = app.getBean("kafkaTemplate", KafkaTemplate.class);

            // 1.0 and 2.0 from producers outside the application, 2.1 from the application's template.
            Map<String, List<Integer>> byVersion = IntStream.range(0, ACCOUNTS).boxed().collect(Collectors.groupingBy(
                    i -> switch (i % 3) {
                        case 0 -> "1.0";
                        case 1 -> "2.0";
                        default -> "2.1";
                    }, TreeMap::new, Collectors.toList()));
            for (String version : List.of("1.0", "2.0")) {
                try (KafkaProducer<String, GenericRecord> producer = new KafkaProducer<>(producerConfig(broker, version))) {
                    List<Future<RecordMetadata>> sends = new ArrayList<>();
                    for (int i : byVersion.get(version)) {
                        sends.add(producer.send(new ProducerRecord<>(topic, key(i), account(contract, version, i, secrets))));
                        writtenAs.put(key(i), version);
                    }
                    for (Future<RecordMetadata> send : sends) {
                        assertThat(send.get().topic()).isEqualTo(topic);
                    }
                }
            }
            List<CompletableFuture<SendResult<String, GenericRecord>>> sends = new ArrayList<>();
            for (int i : byVersion.get("2.1")) {
                sends.add(template.send(topic, key(i), account(contract, "2.1", i, secrets)));
                writtenAs.put(key(i), "2.1");
            }
            for (var send : sends) {
                assertThat(send.get().getRecordMetadata().topic()).isEqualTo(topic);
            }
            Map<String, byte[]> poison = new HashMap<>();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
                for (String key : POISON) {
                    byte[] bytes = ("not an account: " + key).getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>(topic, key, bytes)).get();
                    poison.put(key, bytes);
                }
            }
            Set<String> produced = new HashSet<>(writtenAs.keySet());
            produced.addAll(POISON);
            assertThat(produced).hasSize(ACCOUNTS + POISON.size());

            Set<String> expectDlq = keys(BAD_COUNTRY);
            expectDlq.addAll(POISON);
            Set<String> expectDlt = keys(UNSERVED);
            expectDlt.addAll(keys(NO_NAME));
            int expectOpened = produced.size() - expectDlq.size() - expectDlt.size();

            List<ConsumerRecord<String, byte[]>> deadLetters = new ArrayList<>();
            List<ConsumerRecord<String, byte[]>> springDlt = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> dlqReader = reader(broker, dlq);
                    KafkaConsumer<String, byte[]> dltReader = reader(broker, dlt)) {
                BooleanSupplier done = () -> listener.opened().size() >= expectOpened
                        && deadLetters.size() >= expectDlq.size() && springDlt.size() >= expectDlt.size();
                long deadline = System.nanoTime() + DEADLINE.toNanos();
                while (!done.getAsBoolean() && System.nanoTime() < deadline) {
                    dlqReader.poll(Duration.ofMillis(100)).forEach(deadLetters::add);
                    dltReader.poll(Duration.ofMillis(100)).forEach(springDlt::add);
                }
                // A second copy anywhere would arrive now: read on for another second.
                long quiet = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                while (System.nanoTime() < quiet) {
                    dlqReader.poll(Duration.ofMillis(100)).forEach(deadLetters::add);
                    dltReader.poll(Duration.ofMillis(100)).forEach(springDlt::add);
                }
            }
            List<ConsumerRecord<String, GenericRecord>> opened = listener.opened();
            List<String> openedKeys = opened.stream().map(ConsumerRecord::key).toList();
            List<String> dlqKeys = deadLetters.stream().map(ConsumerRecord::key).toList();
            List<String> dltKeys = springDlt.stream().map(ConsumerRecord::key).toList();
            System.out.printf(Locale.ROOT, "SpringKafkaIT: produced %d (1.0: %d, 2.0: %d, 2.1: %d, poison: %d);"
                    + " listener %d, %s %d, %s %d%n", produced.size(), byVersion.get("1.0").size(),
                    byVersion.get("2.0").size(), byVersion.get("2.1").size(), POISON.size(), opened.size(), dlq,
                    deadLetters.size(), dlt, springDlt.size());

            // Reconciliation: every key exactly once across the three destinations.
            assertThat(dlqKeys).as("Kontract's dead-letter topic").containsExactlyInAnyOrderElementsOf(expectDlq);
            assertThat(dltKeys).as("Spring's -dlt topic").containsExactlyInAnyOrderElementsOf(expectDlt);
            assertThat(openedKeys).as("the listener").doesNotHaveDuplicates().hasSize(expectOpened)
                    .doesNotContainAnyElementsOf(expectDlq).doesNotContainAnyElementsOf(expectDlt);
            List<String> all = new ArrayList<>(openedKeys);
            all.addAll(dlqKeys);
            all.addAll(dltKeys);
            assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(produced);

            // The listener gets 1.0 records, whatever they were written as; ssn of a 2.x record comes from the DOWNGRADE.
            Map<String, Long> openedByWrittenVersion = new TreeMap<>();
            for (ConsumerRecord<String, GenericRecord> record : opened) {
                assertThat(record.value().getSchema().getFullName()).isEqualTo("customer.accounts.v1.Account");
                assertThat(String.valueOf(record.value().get("ssn"))).as(record.key()).isEqualTo(secrets.get(record.key()));
                assertThat(headerNames(record.headers())).as(record.key()).noneMatch(name -> name.startsWith("dp.internal"));
                String version = header(record.headers(), ContractHeaders.VERSION);
                assertThat(version).isEqualTo(writtenAs.get(record.key()));
                openedByWrittenVersion.merge(version, 1L, Long::sum);
            }
            assertThat(openedByWrittenVersion).containsOnlyKeys("1.0", "2.0", "2.1");

            // Kontract's dead letters: the record as read, and where and why.
            for (ConsumerRecord<String, byte[]> letter : deadLetters) {
                assertThat(header(letter.headers(), ContractHeaders.ERROR_TOPIC)).isEqualTo(topic);
                assertThat(header(letter.headers(), ContractHeaders.ERROR_PARTITION)).isNotNull();
                assertThat(header(letter.headers(), ContractHeaders.ERROR_OFFSET)).isNotNull();
                assertThat(headerNames(letter.headers())).noneMatch(name -> name.startsWith("kafka_dlt"));
                if (POISON.contains(letter.key())) {
                    assertThat(letter.value()).isEqualTo(poison.get(letter.key()));
                    assertThat(header(letter.headers(), ContractHeaders.ERROR_STAGE)).isEqualTo("DECODE");
                    assertThat(header(letter.headers(), ContractHeaders.ERROR_RULE)).isEqualTo("headers");
                } else {
                    assertThat(header(letter.headers(), ContractHeaders.ERROR_STAGE)).isEqualTo("READ");
                    assertThat(header(letter.headers(), ContractHeaders.ERROR_RULE)).isEqualTo("countryIsIso3166");
                    assertThat(header(letter.headers(), ContractHeaders.VERSION)).isEqualTo("1.0");
                }
            }

            // Spring's -dlt topic: the listener's failures, and the ERROR rule's rejections as DeserializationException.
            for (ConsumerRecord<String, byte[]> letter : springDlt) {
                assertThat(header(letter.headers(), KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(topic);
                assertThat(headerNames(letter.headers())).noneMatch(name -> name.startsWith("dp.error"))
                        .noneMatch(name -> name.startsWith("dp.internal"));
                String exception = header(letter.headers(), KafkaHeaders.DLT_EXCEPTION_FQCN);
                String message = header(letter.headers(), KafkaHeaders.DLT_EXCEPTION_MESSAGE);
                if (keys(UNSERVED).contains(letter.key())) {
                    assertThat(message).contains("which this service does not serve");
                    assertThat(header(letter.headers(), ContractHeaders.VERSION)).as("republished as the listener saw it")
                            .isEqualTo("1.0");
                } else {
                    assertThat(exception).isEqualTo("org.springframework.kafka.support.serializer.DeserializationException");
                    assertThat(header(letter.headers(), KafkaHeaders.DLT_EXCEPTION_STACKTRACE))
                            .contains("Caused by: " + ContractViolationException.class.getName())
                            .contains("rule nameIsPresent");
                    assertThat(header(letter.headers(), ContractHeaders.VERSION)).as("the record as written")
                            .isEqualTo(writtenAs.get(letter.key()));
                }
            }

            // Kontract's meters, in the application's registry: each consumed record counted once.
            ContractHealth health = ContractHealth.of(registry, PRODUCT);
            Map<RecordOutcome, Long> consumed = health.consumed();
            System.out.println("SpringKafkaIT: " + health.summary());
            assertThat(ContractHealth.total(consumed)).isEqualTo(produced.size());
            assertThat(consumed.get(RecordOutcome.DEAD_LETTERED)).isEqualTo(expectDlq.size());
            assertThat(consumed.get(RecordOutcome.FAILED)).isEqualTo(NO_NAME.size());
            assertThat(consumed.get(RecordOutcome.VALID)).isEqualTo(byVersion.get("1.0").size() - BAD_COUNTRY.size());
            assertThat(consumed.get(RecordOutcome.MIGRATED))
                    .isEqualTo(byVersion.get("2.0").size() + byVersion.get("2.1").size() - NO_NAME.size());
            assertThat(consumed.get(RecordOutcome.INVALID)).isZero();
            assertThat(produceCount(registry, "2.1")).as("Boot's template").isEqualTo(byVersion.get("2.1").size());
            assertThat(produceCount(registry, "1.0")).as("Spring's -dlt topic, listener failures").isEqualTo(UNSERVED.size());

            // The group commits past every record, the dead-lettered ones at the end of a partition included.
            try (Admin admin = broker.admin()) {
                Map<TopicPartition, Long> ends = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
                admin.listOffsets(IntStream.range(0, PARTITIONS).boxed().collect(Collectors.toMap(
                        p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()))).all().get()
                        .forEach((partition, info) -> ends.put(partition, info.offset()));
                Map<TopicPartition, Long> committed = Map.of();
                long deadline = System.nanoTime() + DEADLINE.toNanos();
                while (!committed.equals(ends) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    committed = admin.listConsumerGroupOffsets("spring-it-" + run).partitionsToOffsetAndMetadata().get()
                            .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
                }
                System.out.println("SpringKafkaIT: end offsets " + ends + ", committed " + committed);
                assertThat(committed).isEqualTo(ends);
            }
        }
        System.out.printf(Locale.ROOT, "SpringKafkaIT: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    private static long produceCount(MeterRegistry registry, String version) {
        return Math.round(registry.find(MeterNames.RECORDS).tag(MeterNames.TAG_PRODUCT, PRODUCT)
                .tag(MeterNames.TAG_SIDE, "produce").tag("version", version).counters().stream()
                .mapToDouble(Counter::count).sum());
    }

    private static String key(int i) {
        return "acct-" + i;
    }

    private static Set<String> keys(Set<Integer> indexes) {
        return indexes.stream().map(SpringKafkaIT::key).collect(Collectors.toCollection(HashSet::new));
    }

    private static GenericRecord account(DataContract contract, String version, int i, Map<String, String> secrets) {
        Schema schema = ((AvroContractSchema) contract.version(Version.parse(version)).orElseThrow().schema()).schema();
        String secret = String.format(Locale.ROOT, "%03d-%02d-%04d", i % 1000, i % 100, i);
        secrets.put(key(i), secret);
        String country = BAD_COUNTRY.contains(i) ? "Germany" : UNSERVED.contains(i) ? "US"
                : List.copyOf(new TreeSet<>(AccountListener.SERVED_COUNTRIES)).get(i % 5);
        return new GenericRecordBuilder(schema)
                .set("id", key(i))
                .set("name", NO_NAME.contains(i) ? "" : "Customer " + i)
                .set(version.startsWith("1") ? "ssn" : "national_id", secret)
                .set("country", country)
                .build();
    }

    private static Map<String, Object> producerConfig(KafkaBroker broker, String version) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ContractSerializer.class);
        config.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, ContractProducerInterceptor.class.getName());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ContractConfig.SOURCE_CONFIG, SOURCE);
        config.put(ContractConfig.PRODUCT_CONFIG, PRODUCT);
        config.put(ContractConfig.VERSION_CONFIG, version);
        config.put(ContractConfig.METRICS_REGISTRY_CONFIG, new SimpleMeterRegistry());
        return config;
    }

    /** Reads a whole topic from the beginning, without a group. */
    private static KafkaConsumer<String, byte[]> reader(KafkaBroker broker, String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static List<String> headerNames(Headers headers) {
        return StreamSupport.stream(headers.spliterator(), false).map(Header::key).toList();
    }
}
