package dev.kontract.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kontract.core.ContractViolationException;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractConfigTest {

    private static final String PRODUCT = "customer.accounts.avro";

    @Test
    void configure_unknownContractKeyNamesKeyAndValue() {
        assertThatThrownBy(() -> deserializer(Map.of("contract.reader.verson", "2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid value 2 for configuration contract.reader.verson: not a Kontract setting;"
                        + " the contract.* settings are contract.dlq.topic, contract.key.deserializer,"
                        + " contract.metrics.registry, contract.product,");
    }

    @Test
    void kafkaSource_namesTheDefaultTopicOrItsOwn_andTakesConsumerOverrides() {
        ContractConfig defaults = ContractConfig.of(Map.of(ContractConfig.SOURCE_CONFIG, "kafka:"));
        ContractConfig named = ContractConfig.of(Map.of(ContractConfig.SOURCE_CONFIG, "kafka:team.contracts",
                ContractConfig.SOURCE_TIMEOUT_CONFIG, "5", "contract.source.sasl.mechanism", "PLAIN"));
        ContractConfig files = ContractConfig.of(Map.of());

        assertThat(defaults.sourceTopic()).contains("_kontract.contracts");
        assertThat(defaults.sourceTimeout()).hasSeconds(30);
        assertThat(named.sourceTopic()).contains("team.contracts");
        assertThat(named.sourceTimeout()).hasSeconds(5);
        assertThat(named.sourceOverrides()).isEqualTo(Map.of("sasl.mechanism", "PLAIN"));
        assertThat(files.sourceTopic()).isEmpty();
    }

    @Test
    void kafkaSource_badTopicOrTimeoutNamesKeyAndValue() {
        assertThatThrownBy(() -> deserializer(Map.of(ContractConfig.SOURCE_CONFIG, "kafka:no spaces")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value kafka:no spaces for configuration contract.source: Topic name is invalid: 'no"
                        + " spaces' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'");
        assertThatThrownBy(() -> deserializer(Map.of(ContractConfig.SOURCE_CONFIG, "kafka:",
                ContractConfig.SOURCE_TIMEOUT_CONFIG, "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 0 for configuration contract.source.timeout: Value must be at least 1");
        assertThatThrownBy(() -> deserializer(Map.of(ContractConfig.SOURCE_CONFIG, "kafka:")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value kafka: for configuration contract.source: a contracts topic is read from the"
                        + " cluster in bootstrap.servers (or contract.source.bootstrap.servers), and the client config"
                        + " has neither");
    }

    @Test
    void configure_unknownProduct() {
        assertThatThrownBy(() -> deserializer(Map.of(ContractConfig.PRODUCT_CONFIG, "customer.nope")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value customer.nope for configuration contract.product: no such product in"
                        + " classpath:contracts/ (it has customer.accounts.avro, customer.accounts.json,"
                        + " customer.accounts.proto)");
    }

    @Test
    void configure_readerVersionThatDoesNotExist() {
        assertThatThrownBy(() -> deserializer(Map.of(ContractConfig.PRODUCT_CONFIG, PRODUCT,
                ContractConfig.READER_VERSION_CONFIG, "7")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 7 for configuration contract.reader.version: product customer.accounts.avro has"
                        + " no version '7'; it has 1.0, 2.0, 2.1, 3.0");
    }

    @Test
    void configure_writtenVersionThatDoesNotExist() {
        assertThatThrownBy(() -> new ContractSerializer<>().configure(Map.of(ContractConfig.PRODUCT_CONFIG, PRODUCT,
                ContractConfig.VERSION_CONFIG, "2.7"), false))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 2.7 for configuration contract.version: product customer.accounts.avro has no"
                        + " version '2.7'; it has 1.0, 2.0, 2.1, 3.0");
    }

    @Test
    void configure_badReadFailureValue() {
        assertThatThrownBy(() -> deserializer(Map.of(ContractConfig.READ_FAILURE_CONFIG, "skip")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value skip for configuration contract.read.failure: String must be one of: fail, dlq");
    }

    @Test
    void configure_deadLetteringWithoutTheInterceptor() {
        assertThatThrownBy(() -> deserializer(Map.of(ContractConfig.READ_FAILURE_CONFIG, "dlq")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value dlq for configuration contract.read.failure: dead-lettering on the consumer"
                        + " needs dev.kontract.interceptors.ContractConsumerInterceptor in interceptor.classes (a"
                        + " deserializer cannot drop a record or see its offset)");
    }

    @Test
    void configure_readerClassThatCannotHoldTheRecords() {
        assertThatThrownBy(() -> deserializer(Map.of(ContractConfig.PRODUCT_CONFIG, PRODUCT,
                ContractConfig.READER_CLASS_CONFIG, String.class.getName())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value java.lang.String for configuration contract.reader.class: java.lang.String is"
                        + " not an Avro SpecificRecord class; leave it unset to read GenericRecord");
    }

    @Test
    void configure_asKeySerdeIsRefused() {
        assertThatThrownBy(() -> new ContractSerializer<>().configure(Map.of(), true))
                .hasMessage("Invalid value dev.kontract.serde.ContractSerializer for configuration key.serializer:"
                        + " Kontract governs record values; use it as value.serializer");
    }

    @Test
    void consumerConstruction_surfacesTheConfigProblem() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ContractDeserializer.class);
        config.put(ContractConfig.PRODUCT_CONFIG, "customer.nope");

        assertThatThrownBy(() -> new KafkaConsumer<String, Object>(config).close())
                .rootCause()
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid value customer.nope for configuration contract.product");
    }

    @Test
    void builder_writesTheSameKeys() {
        ContractDeserializer<Object> built = ContractDeserializer.builder().product(PRODUCT).readerVersion("1").build();

        assertThat(built).isNotNull();
        assertThatThrownBy(() -> ContractDeserializer.builder().product(PRODUCT).readerVersion("7").build())
                .hasMessageStartingWith("Invalid value 7 for configuration contract.reader.version");
    }

    @Test
    void metricsRegistry_isANameRegisteredOrTheRegistryItself() {
        SimpleMeterRegistry given = new SimpleMeterRegistry();

        assertThat(ContractConfig.of(Map.of(ContractConfig.METRICS_REGISTRY_CONFIG, given)).meterRegistry())
                .isSameAs(given);
        assertThat(ContractConfig.of(Map.of()).meterRegistry()).isSameAs(Metrics.globalRegistry);
        assertThatThrownBy(() -> ContractConfig.of(Map.of(ContractConfig.METRICS_REGISTRY_CONFIG, "nowhere")).meterRegistry())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid value nowhere for configuration contract.metrics.registry: no Micrometer"
                        + " registry of that name is registered")
                .hasMessageContaining("the value may be the MeterRegistry itself");
    }

    @Test
    void serialize_deadLetterRuleTheInterceptorDidNotSee_saysWhoSendsDeadLetters(@TempDir Path contracts)
            throws Exception {
        ContractSerializer<Object> serializer = ContractSerializer.builder()
                .clientConfig(Map.of("interceptor.classes", "dev.kontract.interceptors.ContractProducerInterceptor"))
                .source(StoryFixtures.deadLetteringSource(contracts)).product(PRODUCT).version("2.0").build();

        assertThatThrownBy(() -> serializer.serialize("accounts", StoryFixtures.record("avro", "2.0", 1, "France")))
                .isInstanceOf(ContractViolationException.class)
                .hasMessageContaining("rule countryIsIso3166")
                .hasMessageEndingWith("the rule sends the record to the dead-letter topic accounts.dlq, where only"
                        + " dev.kontract.interceptors.ContractProducerInterceptor sends records, and it did not see this"
                        + " one (it runs in send(), before the serializer)");
        serializer.close();
    }

    @Test
    void contractSerde_deadLettersOnlyWithStreamsHandlers(@TempDir Path contracts) throws Exception {
        assertThatThrownBy(() -> ContractSerde.configured(Map.of(ContractConfig.READ_FAILURE_CONFIG, "dlq",
                "interceptor.classes", "dev.kontract.interceptors.ContractConsumerInterceptor")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value dlq for configuration contract.read.failure: dead-lettering in Kafka Streams"
                        + " needs deserialization.exception.handler=dev.kontract.serde.ContractDeserializationExceptionHandler"
                        + " in the config ContractSerde is configured with (Streams' own config for its default serdes;"
                        + " for a serde built in code, pass the Streams config to ContractSerde.configured)");
        ContractSerde.configured(Map.of(ContractConfig.READ_FAILURE_CONFIG, "dlq",
                "deserialization.exception.handler", ContractDeserializationExceptionHandler.class)).close();

        Map<String, Object> deadLettering = new HashMap<>(Map.of(
                ContractConfig.SOURCE_CONFIG, StoryFixtures.deadLetteringSource(contracts),
                ContractConfig.PRODUCT_CONFIG, PRODUCT, ContractConfig.VERSION_CONFIG, "2.0",
                ContractConfig.READER_VERSION_CONFIG, "2.0",
                "deserialization.exception.handler", ContractDeserializationExceptionHandler.class.getName()));
        assertThatThrownBy(() -> ContractSerde.configured(deadLettering))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Rule countryIsIso3166 of customer.accounts.avro 2.0 sends records to the"
                        + " dead-letter topic; in Kafka Streams that needs"
                        + " production.exception.handler=dev.kontract.serde.ContractProductionExceptionHandler");
        deadLettering.put("production.exception.handler", ContractProductionExceptionHandler.class.getName());
        deadLettering.remove("deserialization.exception.handler");
        assertThatThrownBy(() -> ContractSerde.configured(deadLettering))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Rule countryIsIso3166 of customer.accounts.avro sends records to the"
                        + " dead-letter topic; in Kafka Streams that needs"
                        + " deserialization.exception.handler=dev.kontract.serde.ContractDeserializationExceptionHandler");
        deadLettering.put("default.deserialization.exception.handler", ContractDeserializationExceptionHandler.class);
        ContractSerde.configured(deadLettering).close();
    }

    @Test
    void configure_illegalDeadLetterTopicNamesTheKeyAndWhy() {
        assertThatThrownBy(() -> deserializer(Map.of(ContractConfig.PRODUCT_CONFIG, PRODUCT,
                ContractConfig.DLQ_TOPIC_CONFIG, "accounts dlq!")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value accounts dlq! for configuration contract.dlq.topic: Topic name is invalid:"
                        + " 'accounts dlq!' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'");
        assertThatThrownBy(() -> new ContractSerializer<>().configure(Map.of(ContractConfig.PRODUCT_CONFIG, PRODUCT,
                ContractConfig.DLQ_TOPIC_CONFIG, "x".repeat(250)), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("is longer than the max allowed length 249");
    }

    @Test
    void configure_readerVersionThatNoContractHasWhenTheProductIsFoundByTopic() {
        assertThatThrownBy(() -> deserializer(Map.of(ContractConfig.READER_VERSION_CONFIG, "9")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 9 for configuration contract.reader.version: no contract in classpath:contracts/"
                        + " has this version (customer.accounts.avro 1.0, 2.0, 2.1, 3.0; customer.accounts.json 1.0, 2.0,"
                        + " 2.1, 3.0; customer.accounts.proto 1.0, 2.0, 3.0)");
        deserializer(Map.of(ContractConfig.READER_VERSION_CONFIG, "2"));
    }

    @Test
    void configure_deadLetteringWithAKeyDeserializerThatLosesBytesSaysWhatToUse() {
        Map<String, Object> config = new HashMap<>();
        config.put(ContractConfig.PRODUCT_CONFIG, PRODUCT);
        config.put(ContractConfig.READ_FAILURE_CONFIG, "dlq");
        config.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, "dev.kontract.interceptors.ContractConsumerInterceptor");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);

        assertThatThrownBy(() -> deserializer(config))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value dlq for configuration contract.read.failure: dead-lettering on the consumer needs"
                        + " key.deserializer=dev.kontract.serde.ContractKeyDeserializer with contract.key.deserializer="
                        + "org.apache.kafka.common.serialization.StringDeserializer (a dead letter carries the key bytes as"
                        + " read, which org.apache.kafka.common.serialization.StringDeserializer does not give back)");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ContractKeyDeserializer.class.getName());
        deserializer(config);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        deserializer(config);
    }

    @Test
    void configure_deadLetteringWithoutAKeyDeserializerInTheConfig() {
        assertThatThrownBy(() -> deserializer(Map.of(ContractConfig.PRODUCT_CONFIG, PRODUCT,
                ContractConfig.READ_FAILURE_CONFIG, "dlq",
                ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, "dev.kontract.interceptors.ContractConsumerInterceptor")))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("dead-lettering on the consumer needs key.deserializer in the client config (the"
                        + " consumer's key deserializer must keep the key bytes: dev.kontract.serde.ContractKeyDeserializer"
                        + " or a byte-array one)");
    }

    @Test
    void configure_aDeadLetterTopicThatIsOneOfTheProductsTopics() {
        assertThatThrownBy(() -> deserializer(Map.of(ContractConfig.PRODUCT_CONFIG, PRODUCT,
                ContractConfig.DLQ_TOPIC_CONFIG, "customer.accounts.avro")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value customer.accounts.avro for configuration contract.dlq.topic: one of"
                        + " customer.accounts.avro's topics: its dead letters would be read again");
    }

    @Test
    void deserializeWithoutHeaders_throwsWhatItCannotDeadLetter() {
        Map<String, Object> config = new HashMap<>();
        config.put(ContractConfig.PRODUCT_CONFIG, PRODUCT);
        config.put(ContractConfig.READ_FAILURE_CONFIG, "dlq");
        config.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, "dev.kontract.interceptors.ContractConsumerInterceptor");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ContractKeyDeserializer.class);
        ContractDeserializer<Object> deserializer = new ContractDeserializer<>();
        deserializer.configure(config, false);

        assertThatThrownBy(() -> deserializer.deserialize("accounts", new byte[] {1}))
                .isInstanceOf(ContractViolationException.class)
                .hasMessageContaining("the record has no dp.version header (it was not written through Kontract)"
                        + " (not dead-lettered: the record was read without its headers)");
    }

    @Test
    void contractKeyDeserializer_needsTheApplicationsKeyDeserializer() {
        assertThatThrownBy(() -> new ContractKeyDeserializer<>().configure(Map.of(), true))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value null for configuration contract.key.deserializer: names the key deserializer"
                        + " that ContractKeyDeserializer hands keys to, e.g."
                        + " org.apache.kafka.common.serialization.StringDeserializer");
        assertThatThrownBy(() -> new ContractKeyDeserializer<>().configure(
                Map.of(ContractConfig.KEY_DESERIALIZER_CONFIG, ContractKeyDeserializer.class), true))
                .hasMessageContaining("not the application's key deserializer");
        assertThatThrownBy(() -> new ContractKeyDeserializer<>().configure(
                Map.of(ContractConfig.KEY_DESERIALIZER_CONFIG, StringDeserializer.class), false))
                .hasMessageContaining("use it as key.deserializer");
    }

    private static void deserializer(Map<String, Object> config) {
        new ContractDeserializer<>().configure(config, false);
    }
}
