package dev.kontract.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kontract.core.DataContract;
import dev.kontract.core.Version;
import dev.kontract.core.load.ContractBundle;
import dev.kontract.core.load.ContractLoader;
import dev.kontract.testkit.KafkaBroker;
import dev.kontract.testkit.KafkaBrokerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kontract publish} against a real broker: the first publication creates the compacted topic,
 * the same contracts again write nothing, a breaking change and a claimed topic are refused and change
 * nothing, a compatible version is written, and a record on the topic that is not a bundle is ignored
 * with a warning. What the topic holds loads back as the same contract.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PublishIT {

    private static final String AVRO_V1 = "{\"type\": \"record\", \"name\": \"Order\", \"namespace\": \"shop\", \"fields\": ["
            + "{\"name\": \"id\", \"type\": \"string\"}, {\"name\": \"total\", \"type\": \"double\"}]}";
    private static final String AVRO_V1_1 = "{\"type\": \"record\", \"name\": \"Order\", \"namespace\": \"shop\", \"fields\": ["
            + "{\"name\": \"id\", \"type\": \"string\"}, {\"name\": \"total\", \"type\": \"double\"},"
            + " {\"name\": \"note\", \"type\": [\"null\", \"string\"], \"default\": null}]}";
    private static final String AVRO_V1_CHANGED = "{\"type\": \"record\", \"name\": \"Order\", \"namespace\": \"shop\","
            + " \"fields\": [{\"name\": \"id\", \"type\": \"string\"}, {\"name\": \"total\", \"type\": \"float\"}]}";

    private final KafkaBroker broker;

    @TempDir
    Path directory;

    PublishIT(KafkaBroker broker) {
        this.broker = broker;
    }

    record Run(int exitCode, List<String> out, String err) {}

    @Test
    void publishesOnlyWhatChanged_andRefusesBreakingChanges() throws Exception {
        String topic = "contracts.publish";
        Path v1 = contracts("v1", List.of(AVRO_V1));
        Path v1Again = contracts("v1-again", List.of(AVRO_V1));
        Path changedInPlace = contracts("changed", List.of(AVRO_V1_CHANGED));
        Path v11 = contracts("v1.1", List.of(AVRO_V1, AVRO_V1_1));

        Run first = publish(v1, topic);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).containsExactly(
                "COMPATIBLE shop.orders: product added: versions 1.0 on [shop.orders]; nothing depended on it before",
                "published shop.orders (versions 1.0) to " + topic + " at offset 0",
                "publish: 1 product written to " + topic);
        assertThat(cleanupPolicy(topic)).isEqualTo("compact");

        Run again = publish(v1Again, topic);
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).containsExactly("publish: nothing to write; " + topic + " holds these contracts already");

        Run breaking = publish(changedInPlace, topic);
        assertThat(breaking.exitCode()).isEqualTo(1);
        assertThat(breaking.out()).containsExactly(
                "BREAKING shop.orders: version 1.0 changed in place (schema): a published version is immutable: records"
                        + " already written as 1.0 and clients built on it keep the old meaning; publish the change as a"
                        + " new version",
                "publish: 1 breaking; nothing written to " + topic);

        Run compatible = publish(v11, topic);
        assertThat(compatible.exitCode()).isZero();
        assertThat(compatible.out()).containsExactly(
                "COMPATIBLE shop.orders: version 1.1 added: minor step from 1.0: each reads the other's records",
                "published shop.orders (versions 1.0, 1.1) to " + topic + " at offset 1",
                "publish: 1 product written to " + topic);

        List<ConsumerRecord<byte[], byte[]>> records = read(topic);
        assertThat(records).hasSize(2);
        DataContract loaded = ContractBundle.fromBytes(records.get(1).value())
                .load(new ContractLoader(), "kafka:" + topic);
        assertThat(loaded.product()).isEqualTo("shop.orders");
        assertThat(loaded.versions()).extracting(version -> version.version())
                .containsExactly(Version.parse("1.0"), Version.parse("1.1"));
        assertThat(loaded).usingRecursiveComparison().comparingOnlyFields("product", "topics", "owner")
                .isEqualTo(new ContractLoader().load(v11.toString()).contracts().iterator().next());
    }

    @Test
    void aRecordThatIsNotABundleIsIgnoredWithAWarning_andATopicOfAnotherProductIsRefused() throws Exception {
        String topic = "contracts.corrupt";
        Path v1 = contracts("v1", List.of(AVRO_V1));
        assertThat(publish(v1, topic).exitCode()).isZero();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                broker.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "shop.orders".getBytes(StandardCharsets.UTF_8),
                    "not a bundle".getBytes(StandardCharsets.UTF_8))).get();
        }

        Run again = publish(v1, topic);
        Path thief = directory.resolve("thief");
        Files.createDirectories(thief);
        Files.writeString(thief.resolve("refunds.yaml"), """
                product: shop.refunds
                owner: refunds@example.com
                topics: [shop.orders]
                versions:
                  - version: "1.0"
                    schema: { type: AVRO, definition: '%s' }
                """.formatted(AVRO_V1));
        Run claim = publish(thief, topic);

        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).containsExactly(
                "publish: warning: record " + topic + "-0@1 is ignored: not a contract bundle: not JSON (Unrecognized"
                        + " token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or"
                        + " 'false'))",
                "publish: nothing to write; " + topic + " holds these contracts already");
        assertThat(claim.exitCode()).isEqualTo(1);
        assertThat(claim.out()).contains("BREAKING shop.refunds: topic shop.orders claimed: the contracts topic gives"
                + " shop.orders to product shop.orders; a topic belongs to one product");
        assertThat(read(topic)).hasSize(2);
    }

    @Test
    void anUnreachableClusterIsAnError() throws Exception {
        Path v1 = contracts("v1", List.of(AVRO_V1));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Kontract.run(new String[] {"publish", v1.toString(), "--bootstrap-servers", "localhost:1",
                "--timeout", "2"}, new PrintWriter(out), new PrintWriter(err));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("kontract publish: the cluster at localhost:1 did not answer within 2 s");
    }

    /** A contracts directory whose versions have the given Avro schemas, each in a file of its own. */
    private Path contracts(String name, List<String> schemas) throws Exception {
        Path dir = directory.resolve(name);
        Files.createDirectories(dir.resolve("schemas"));
        StringBuilder yaml = new StringBuilder("""
                product: shop.orders
                owner: shop@example.com
                topics: [shop.orders]
                versions:
                """);
        for (int i = 0; i < schemas.size(); i++) {
            Files.writeString(dir.resolve("schemas/order-1." + i + ".avsc"), schemas.get(i));
            yaml.append("  - version: \"1.").append(i).append("\"\n")
                    .append("    schema: { type: AVRO, file: schemas/order-1.").append(i).append(".avsc }\n");
        }
        Files.writeString(dir.resolve("orders.yaml"), yaml);
        return dir;
    }

    private Run publish(Path contracts, String topic) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Kontract.run(new String[] {"publish", contracts.toString(), "--bootstrap-servers",
                broker.bootstrapServers(), "--topic", topic}, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString().lines().toList(), err.toString());
    }

    private String cleanupPolicy(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            return config.get("cleanup.policy").value();
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> read(String topic) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", broker.bootstrapServers());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
