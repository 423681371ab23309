package dev.kontract.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kontract.core.ContractViolationException;
import dev.kontract.core.internal.topic.ContractTopic;
import dev.kontract.core.load.ContractBundle;
import dev.kontract.core.load.ContractLoader;
import dev.kontract.core.metrics.MeterNames;
import dev.kontract.core.metrics.MeterRegistries;
import dev.kontract.testkit.KafkaBroker;
import dev.kontract.testkit.KafkaBrokerExtension;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code contract.source=kafka:TOPIC} on a real broker, at the level of the serializer and deserializer:
 * what {@code configure()} reads, how a running deserializer learns a version published after it started,
 * which publications are rejected and counted, and that clients share one reader.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaContractSourceIT {

    private static final String PRODUCT = "shop.orders";
    private static final String V1_0 = """
            {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}""";
    private static final String V1_1 = """
            {"type": "object", "properties": {"id": {"type": "string"}, "note": {"type": "string"}}, "required": ["id"]}""";
    private static final String V1_0_CHANGED = """
            {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}""";

    @TempDir
    Path directory;

    @Test
    void configureFailsNamingTheTopicAndCluster_whenTheTopicIsMissingOrTheClusterDoesNotAnswer(KafkaBroker broker) {
        String missing = Clients.uniqueTopic("contracts-missing");

        assertThatThrownBy(() -> deserializer(broker, missing, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value kafka:" + missing + " for configuration contract.source: kafka:" + missing
                        + ": cannot read contracts topic " + missing + " on " + broker.bootstrapServers()
                        + ": the topic does not exist (kontract publish creates it)");
        assertThatThrownBy(() -> deserializer(broker, missing, Map.of("contract.source.bootstrap.servers", "localhost:1",
                ContractConfig.SOURCE_TIMEOUT_CONFIG, 2)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid value kafka:" + missing + " for configuration contract.source: kafka:"
                        + missing + ": cannot read contracts topic " + missing + " on localhost:1 within 2 s"
                        + " (contract.source.timeout)");
        assertThatThrownBy(() -> deserializer(broker, missing, Map.of("contract.source.bootstrap.server", "localhost:1")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value localhost:1 for configuration contract.source.bootstrap.server: not a"
                        + " consumer setting: contract.source.* keys are the settings of the consumer that reads the"
                        + " contracts topic (the source's own setting is contract.source.timeout)");
        assertThat(readerThreads(missing)).as("a failed configure leaves no reader behind").isZero();
    }

    @Test
    void aRunningDeserializerReadsAVersionPublishedAfterItStarted_andClientsShareOneReader(KafkaBroker broker)
            throws Exception {
        String contracts = contractsTopic(broker);
        publish(broker, contracts, bundle("v1", List.of(V1_0)));
        ContractDeserializer<Object> deserializer = deserializer(broker, contracts, Map.of());
        ContractSerializer<Object> v10Writer = serializer(broker, contracts);

        publish(broker, contracts, bundle("v1.1", List.of(V1_0, V1_1)));
        ContractSerializer<Object> v11Writer = serializer(broker, contracts);
        Headers v10Headers = new RecordHeaders();
        byte[] v10 = v10Writer.serialize(PRODUCT, v10Headers, Map.of("id", "a"));
        Headers v11Headers = new RecordHeaders();
        byte[] v11 = v11Writer.serialize(PRODUCT, v11Headers, Map.of("id", "b", "note", "gift"));

        assertThat(version(v10Headers)).as("a producer keeps the version of its configure()").isEqualTo("1.0");
        assertThat(version(v11Headers)).as("configure() sees what was published before it").isEqualTo("1.1");
        assertThat(deserializer.deserialize(PRODUCT, v11Headers, v11)).isEqualTo(Map.of("id", "b", "note", "gift"));
        assertThat(deserializer.deserialize(PRODUCT, v10Headers, v10)).isEqualTo(Map.of("id", "a"));
        assertThat(readerThreads(contracts)).as("one reader for every client of the topic").isEqualTo(1);

        Headers unknown = new RecordHeaders();
        unknown.add(ContractHeaders.VERSION, "1.7".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> deserializer.deserialize(PRODUCT, unknown, v10))
                .isInstanceOf(ContractViolationException.class)
                .hasMessage("Contract DECODE failure for " + PRODUCT + " 1.7 on topic " + PRODUCT + ", rule headers: the"
                        + " record was written as version 1.7, which the contract does not have (it has 1.0, 1.1, after"
                        + " catching up with kafka:" + contracts + ")");

        deserializer.close();
        v10Writer.close();
        assertThat(readerThreads(contracts)).isEqualTo(1);
        v11Writer.close();
        assertThat(readerThreads(contracts)).as("the last client to close stops the reader").isZero();
    }

    @Test
    void invalidPublicationsAreIgnoredAndCounted_theLastGoodContractStays(KafkaBroker broker) throws Exception {
        String contracts = contractsTopic(broker);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MeterRegistries.register(contracts, registry);
        publish(broker, contracts, bundle("v1", List.of(V1_0)));
        ContractDeserializer<Object> running = deserializer(broker, contracts,
                Map.of(ContractConfig.METRICS_REGISTRY_CONFIG, contracts));

        publish(broker, contracts, new ProducerRecord<>(contracts, key(PRODUCT), "not a bundle".getBytes(StandardCharsets.UTF_8)));
        publish(broker, contracts, bundle("changed", List.of(V1_0_CHANGED)));
        publish(broker, contracts, new ProducerRecord<>(contracts, key("shop.other"),
                bundle("v1", List.of(V1_0)).value()));
        publish(broker, contracts, new ProducerRecord<>(contracts, key(PRODUCT), null));
        ContractSerializer<Object> writer = serializer(broker, contracts);
        Headers headers = new RecordHeaders();
        byte[] bytes = writer.serialize(PRODUCT, headers, Map.of("id", "a"));

        assertThat(rejected(registry, contracts, PRODUCT)).isEqualTo(3);
        assertThat(rejected(registry, contracts, "shop.other")).isEqualTo(1);
        assertThat(version(headers)).isEqualTo("1.0");
        assertThat(running.deserialize(PRODUCT, headers, bytes)).isEqualTo(Map.of("id", "a"));

        running.close();
        writer.close();
        assertThat(registry.find(MeterNames.SOURCE_REJECTED).meters()).as("released with the last client").isEmpty();
        ContractDeserializer<Object> late = deserializer(broker, contracts, Map.of(
                ContractConfig.METRICS_REGISTRY_CONFIG, contracts, ContractConfig.PRODUCT_CONFIG, "" /* by topic */));
        try {
            assertThat(rejected(registry, contracts, PRODUCT)).as("a reader started later replays the topic: the"
                    + " tombstone removes the product, so only the two rejections before it remain").isEqualTo(2);
            assertThatThrownBy(() -> late.deserialize(PRODUCT, headers, bytes))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("No contract governs topic " + PRODUCT + ": no product in kafka:" + contracts
                            + " lists it in its topics, and contract.product is not set");
        } finally {
            late.close();
        }
    }

    private String contractsTopic(KafkaBroker broker) {
        String topic = Clients.uniqueTopic("contracts");
        broker.createTopic(topic, 1);
        return topic;
    }

    /** A publication of shop.orders whose versions 1.0, 1.1, ... have the given JSON Schemas, in files. */
    private ProducerRecord<byte[], byte[]> bundle(String name, List<String> schemas) throws Exception {
        Path dir = directory.resolve(name);
        Files.createDirectories(dir.resolve("schemas"));
        StringBuilder yaml = new StringBuilder("""
                product: shop.orders
                owner: shop@example.com
                topics: [shop.orders]
                versions:
                """);
        for (int i = 0; i < schemas.size(); i++) {
            Files.writeString(dir.resolve("schemas/order-1." + i + ".json"), schemas.get(i));
            yaml.append("  - version: \"1.").append(i).append("\"\n")
                    .append("    schema: { type: JSON, file: schemas/order-1.").append(i).append(".json }\n");
        }
        Files.writeString(dir.resolve("orders.yaml"), yaml);
        return ContractTopic.record("unused", ContractBundle.of(new ContractLoader().loadFile(dir.resolve("orders.yaml"))));
    }

    private static void publish(KafkaBroker broker, String topic, ProducerRecord<byte[], byte[]> record) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.clientConfig(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, record.key(), record.value())).get();
        }
    }

    private static byte[] key(String product) {
        return product.getBytes(StandardCharsets.UTF_8);
    }

    private static ContractDeserializer<Object> deserializer(KafkaBroker broker, String contracts, Map<String, ?> extra) {
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ContractConfig.SOURCE_CONFIG, "kafka:" + contracts);
        config.put(ContractConfig.SOURCE_TIMEOUT_CONFIG, 10);
        config.put(ContractConfig.PRODUCT_CONFIG, PRODUCT);
        config.put(ContractConfig.READER_CLASS_CONFIG, Map.class);
        config.putAll(extra);
        ContractDeserializer<Object> deserializer = new ContractDeserializer<>();
        deserializer.configure(config, false);
        return deserializer;
    }

    private static ContractSerializer<Object> serializer(KafkaBroker broker, String contracts) {
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ContractConfig.SOURCE_CONFIG, "kafka:" + contracts);
        config.put(ContractConfig.SOURCE_TIMEOUT_CONFIG, 10);
        ContractSerializer<Object> serializer = new ContractSerializer<>();
        serializer.configure(config, false);
        return serializer;
    }

    private static String version(Headers headers) {
        return new String(headers.lastHeader(ContractHeaders.VERSION).value(), StandardCharsets.UTF_8);
    }

    private static double rejected(SimpleMeterRegistry registry, String topic, String product) {
        FunctionCounter counter = registry.find(MeterNames.SOURCE_REJECTED).tag(MeterNames.TAG_TOPIC, topic)
                .tag(MeterNames.TAG_PRODUCT, product).functionCounter();
        return counter == null ? 0 : counter.count();
    }

    private static long readerThreads(String topic) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().equals("kontract-contracts-" + topic)).count();
    }
}
