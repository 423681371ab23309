package dev.kontract.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kontract.core.metrics.MeterNames;
import dev.kontract.core.metrics.MeterRegistries;
import dev.kontract.serde.ContractConfig;
import dev.kontract.serde.ContractDeserializer;
import dev.kontract.serde.ContractHeaders;
import dev.kontract.serde.ContractKeyDeserializer;
import dev.kontract.serde.ContractSerializer;
import dev.kontract.testkit.KafkaBroker;
import dev.kontract.testkit.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contracts served by Kafka, the whole story on a real broker: {@code kontract publish} puts v1 on the
 * contracts topic; a producer and a consumer run on {@code contract.source=kafka:}; v2, with migration
 * rules, is published while both run; a new producer writes v2 and the running consumer, which started
 * knowing only v1, reads those records migrated to v1 without a restart. A breaking publication is
 * refused and changes nothing; a corrupt record put on the topic by hand is ignored and counted.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ContractsFromKafkaIT {

    private static final String TOPIC = "crm.people";
    private static final String CONTRACTS_TOPIC = "_kontract.contracts";
    private static final String V1 = """
            {"type": "record", "name": "Person", "namespace": "crm", "fields": [
              {"name": "id", "type": "long"}, {"name": "name", "type": "string"}]}""";
    private static final String V1_CHANGED = """
            {"type": "record", "name": "Person", "namespace": "crm", "fields": [
              {"name": "id", "type": "int"}, {"name": "name", "type": "string"}]}""";
    private static final String V2 = """
            {"type": "record", "name": "Person", "namespace": "crm", "fields": [
              {"name": "id", "type": "long"}, {"name": "fullName", "type": "string"}]}""";
    private static final String MIGRATIONS = """
                ruleSet:
                  migrationRules:
                    - { name: nameToFullName, kind: TRANSFORM, type: JSONATA, mode: UPGRADE, expr: "{'id': id, 'fullName': name}" }
                    - { name: fullNameToName, kind: TRANSFORM, type: JSONATA, mode: DOWNGRADE, expr: "{'id': id, 'name': fullName}" }
            """;

    private final KafkaBroker broker;

    @TempDir
    Path directory;

    ContractsFromKafkaIT(KafkaBroker broker) {
        this.broker = broker;
        broker.createTopic(TOPIC, 1);
    }

    @Test
    void aRunningConsumerReadsAVersionPublishedWhileItRuns() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MeterRegistries.register("contracts-from-kafka", registry);
        List<String> v1Published = publish(contracts("v1", V1, null));
        assertThat(v1Published).containsExactly(
                "COMPATIBLE crm.people: product added: versions 1.0 on [crm.people]; nothing depended on it before",
                "published crm.people (versions 1.0) to " + CONTRACTS_TOPIC + " at offset 0",
                "publish: 1 product written to " + CONTRACTS_TOPIC);

        try (KafkaConsumer<String, GenericRecord> consumer = new KafkaConsumer<>(consumerConfig());
                KafkaProducer<String, Object> v1Producer = new KafkaProducer<>(producerConfig())) {
            consumer.subscribe(List.of(TOPIC));
            for (long id = 0; id < 3; id++) {
                v1Producer.send(new ProducerRecord<>(TOPIC, "p" + id, person(V1, id, "name", "Ada " + id))).get();
            }
            List<ConsumerRecord<String, GenericRecord>> before = consume(consumer, 3);

            List<String> v2Published = publish(contracts("v2", V1, V2));
            try (KafkaProducer<String, Object> v2Producer = new KafkaProducer<>(producerConfig())) {
                for (long id = 3; id < 6; id++) {
                    v2Producer.send(new ProducerRecord<>(TOPIC, "p" + id, person(V2, id, "fullName", "Grace " + id))).get();
                }
            }
            v1Producer.send(new ProducerRecord<>(TOPIC, "p6", person(V1, 6, "name", "Ada 6"))).get();
            List<ConsumerRecord<String, GenericRecord>> after = consume(consumer, 4);

            assertThat(before).extracting(record -> record.value().get("name").toString())
                    .containsExactly("Ada 0", "Ada 1", "Ada 2");
            assertThat(v2Published).containsExactly(
                    "COMPATIBLE crm.people: version 2.0 added: major step 1 -> 2 with UPGRADE (nameToFullName) and"
                            + " DOWNGRADE (fullNameToName) migration rules",
                    "published crm.people (versions 1.0, 2.0) to " + CONTRACTS_TOPIC + " at offset 1",
                    "publish: 1 product written to " + CONTRACTS_TOPIC);
            assertThat(after).extracting(ContractsFromKafkaIT::writtenAs)
                    .as("a new producer writes 2.0; the running one keeps the 1.0 of its configure()")
                    .containsExactly("2.0", "2.0", "2.0", "1.0");
            assertThat(after).extracting(record -> record.value().getSchema().getField("fullName"))
                    .as("read as 1.0, the version the consumer started with").containsOnlyNulls();
            assertThat(after).extracting(record -> record.value().get("name").toString())
                    .containsExactly("Grace 3", "Grace 4", "Grace 5", "Ada 6");
            assertThat(registry.get(MeterNames.MIGRATIONS).tag(MeterNames.TAG_FROM, "2.0").tag(MeterNames.TAG_TO, "1.0")
                    .counter().count()).isEqualTo(3);

            long end = contractsEnd();
            Run breaking = run("publish", contracts("breaking", V1_CHANGED, V2).toString(), "--bootstrap-servers",
                    broker.bootstrapServers());
            assertThat(breaking.exitCode()).isEqualTo(1);
            assertThat(breaking.out()).contains("publish: 1 breaking; nothing written to " + CONTRACTS_TOPIC);
            assertThat(contractsEnd()).as("a refused publication writes nothing").isEqualTo(end);

            try (KafkaProducer<byte[], byte[]> byHand = new KafkaProducer<>(Map.of(
                    CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                byHand.send(new ProducerRecord<>(CONTRACTS_TOPIC, "crm.people".getBytes(StandardCharsets.UTF_8),
                        "{\"bundle\": 1, \"product\": \"crm.people\"}".getBytes(StandardCharsets.UTF_8))).get();
            }
            try (KafkaProducer<String, Object> lateProducer = new KafkaProducer<>(producerConfig())) {
                lateProducer.send(new ProducerRecord<>(TOPIC, "p7", person(V2, 7, "fullName", "Grace 7"))).get();
            }
            List<ConsumerRecord<String, GenericRecord>> last = consume(consumer, 1);

            assertThat(registry.get(MeterNames.SOURCE_REJECTED).tag(MeterNames.TAG_PRODUCT, "crm.people")
                    .tag(MeterNames.TAG_TOPIC, CONTRACTS_TOPIC).functionCounter().count())
                    .as("the corrupt record is counted once, by the reader every client shares").isEqualTo(1);
            assertThat(last).extracting(ContractsFromKafkaIT::writtenAs).as("the last good contract stays in force")
                    .containsExactly("2.0");
            assertThat(last.get(0).value().get("name").toString()).isEqualTo("Grace 7");
        }
    }

    private Path contracts(String name, String v1, String v2) throws Exception {
        Path dir = directory.resolve(name);
        Files.createDirectories(dir);
        StringBuilder yaml = new StringBuilder("""
                product: crm.people
                owner: crm-team@example.com
                topics: [crm.people]
                versions:
                  - version: "1.0"
                    schema: { type: AVRO, file: person-1.avsc }
                """);
        Files.writeString(dir.resolve("person-1.avsc"), v1);
        if (v2 != null) {
            Files.writeString(dir.resolve("person-2.avsc"), v2);
            yaml.append("""
                      - version: "2.0"
                        schema: { type: AVRO, file: person-2.avsc }
                    """).append(MIGRATIONS);
        }
        Files.writeString(dir.resolve("people.yaml"), yaml);
        return dir;
    }

    record Run(int exitCode, List<String> out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Kontract.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString().lines().toList(), err.toString());
    }

    private List<String> publish(Path contracts) {
        Run run = run("publish", contracts.toString(), "--bootstrap-servers", broker.bootstrapServers());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        return run.out();
    }

    private static GenericRecord person(String schema, long id, String nameField, String name) {
        GenericRecord person = new GenericData.Record(new Schema.Parser().parse(schema));
        person.put("id", id);
        person.put(nameField, name);
        return person;
    }

    /** The broker, contracts from its contracts topic, and the test's registry: what every client here shares. */
    private Map<String, Object> kafkaSourced() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ContractConfig.SOURCE_CONFIG, "kafka:");
        config.put(ContractConfig.METRICS_REGISTRY_CONFIG, "contracts-from-kafka");
        return config;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = kafkaSourced();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ContractSerializer.class);
        config.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, "dev.kontract.interceptors.ContractProducerInterceptor");
        return config;
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = kafkaSourced();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "people-reader");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ContractKeyDeserializer.class);
        config.put(ContractConfig.KEY_DESERIALIZER_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ContractDeserializer.class);
        config.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, "dev.kontract.interceptors.ContractConsumerInterceptor");
        return config;
    }

    private static List<ConsumerRecord<String, GenericRecord>> consume(KafkaConsumer<String, GenericRecord> consumer,
            int expected) {
        List<ConsumerRecord<String, GenericRecord>> received = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (received.size() < expected && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(received::add);
        }
        return received;
    }

    private static String writtenAs(ConsumerRecord<String, GenericRecord> record) {
        return new String(record.headers().lastHeader(ContractHeaders.VERSION).value(), StandardCharsets.UTF_8);
    }

    private long contractsEnd() {
        TopicPartition partition = new TopicPartition(CONTRACTS_TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }
}
