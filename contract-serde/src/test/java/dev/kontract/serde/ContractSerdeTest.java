package dev.kontract.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kontract.core.ContractViolationException;
import dev.kontract.core.metrics.MeterRegistries;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The serializer and deserializer without a broker: wire format, headers, errors and counters. */
class ContractSerdeTest {

    private static final String PRODUCT = "customer.accounts.avro";

    private final String registryName = "test-" + UUID.randomUUID();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    ContractSerdeTest() {
        MeterRegistries.register(registryName, registry);
    }

    @AfterEach
    void unregister() {
        MeterRegistries.unregister(registryName);
    }

    @Test
    void serialize_writesPlainAvroAndTheProductHeaders() throws Exception {
        Headers headers = new RecordHeaders();

        byte[] bytes = serializer("2.0").serialize("accounts", headers, StoryFixtures.record("avro", "2.0", 7, "DE"));

        GenericRecord decoded = new GenericDatumReader<GenericRecord>(schema("2.0"))
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        assertThat(decoded.get("national_id").toString()).isEqualTo("secret-7");
        assertThat(text(headers, ContractHeaders.PRODUCT)).isEqualTo(PRODUCT);
        assertThat(text(headers, ContractHeaders.VERSION)).isEqualTo("2.0");
        assertThat(text(headers, ContractHeaders.OWNER)).isEqualTo("accounts-team@example.com");
        assertThat(text(headers, ContractHeaders.DOMAIN)).isEqualTo("customer");
        assertThat(count("produce", "valid")).isEqualTo(1);
    }

    @Test
    void serialize_ruleFailureUnderErrorNamesProductVersionTopicAndRule() {
        Object germany = StoryFixtures.record("avro", "2.0", 1, "Germany");

        assertThatThrownBy(() -> serializer("2.0").serialize("accounts", new RecordHeaders(), germany))
                .isInstanceOf(ContractViolationException.class)
                .hasMessage("Contract WRITE failure for customer.accounts.avro 2.0 on topic accounts, rule"
                        + " countryIsIso3166: condition is false")
                .hasMessageNotContaining("Germany");
        assertThat(count("produce", "failed")).isEqualTo(1);
        assertThat(registry.get("contract.rule.evaluations").tag("rule", "countryIsIso3166").tag("outcome", "fail")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void serialize_recordOfAnotherVersionIsASchemaViolation() {
        Object v1 = StoryFixtures.record("avro", "1.0", 1, "DE");

        assertThatThrownBy(() -> serializer("2.0").serialize("accounts", new RecordHeaders(), v1))
                .isInstanceOf(ContractViolationException.class)
                .hasMessage("Contract WRITE failure for customer.accounts.avro 2.0 on topic accounts, rule schema: the"
                        + " record's schema story.v1.Account is not this version's schema story.v2.Account (the fields"
                        + " differ)");
    }

    @Test
    void serialize_nullFieldNamesTheField() {
        GenericData.Record broken = (GenericData.Record) StoryFixtures.record("avro", "2.1", 1, "DE");
        broken.put("name", null);

        assertThatThrownBy(() -> serializer("2.1").serialize("accounts", new RecordHeaders(), broken))
                .isInstanceOf(ContractViolationException.class)
                .hasMessageStartingWith("Contract WRITE failure for customer.accounts.avro 2.1 on topic accounts, rule"
                        + " schema: does not match Avro schema story.v2.Account: ")
                .hasMessageContaining("name");
    }

    @Test
    void serialize_tombstonePassesThroughTagged() {
        Headers headers = new RecordHeaders();

        assertThat(serializer("2.0").serialize("accounts", headers, null)).isNull();
        assertThat(text(headers, ContractHeaders.VERSION)).isEqualTo("2.0");
    }

    @Test
    void deserialize_migratesAndCountsMigrated() {
        Headers headers = new RecordHeaders();
        byte[] bytes = serializer("1.0").serialize("accounts", headers, StoryFixtures.record("avro", "1.0", 3, "FR"));

        Object read = deserializer("2.0").deserialize("accounts", headers, bytes);

        assertThat(StoryFixtures.viewOf("avro", "2.0", read)).isEqualTo(StoryFixtures.view(2, 3, "FR"));
        assertThat(count("consume", "migrated")).isEqualTo(1);
        assertThat(registry.get("contract.migrations").tag("from", "1.0").tag("to", "2.0").counter().count()).isEqualTo(1);
    }

    @Test
    void deserialize_fieldOfANewerMinorIsDroppedWhenCrossingAMajor() {
        GenericData.Record withEmail = (GenericData.Record) StoryFixtures.record("avro", "2.1", 4, "DE");
        withEmail.put("email", "four@example.com");
        Headers headers = new RecordHeaders();
        byte[] bytes = serializer("2.1").serialize("accounts", headers, withEmail);

        Object read = deserializer("3.0").deserialize("accounts", headers, bytes);

        assertThat(StoryFixtures.viewOf("avro", "3.0", read)).isEqualTo(StoryFixtures.view(3, 4, "DE"));
    }

    @Test
    void deserialize_readRuleFailureUnderErrorIsRaised() {
        Headers headers = new RecordHeaders();
        byte[] bytes = serializer("1.0").serialize("accounts", headers, StoryFixtures.record("avro", "1.0", 5, "Nowhere"));

        assertThatThrownBy(() -> deserializer("2.0").deserialize("accounts", headers, bytes))
                .isInstanceOf(ContractViolationException.class)
                .hasMessage("Contract READ failure for customer.accounts.avro 1.0 on topic accounts, rule"
                        + " countryIsIso3166: condition is false (rule of 2.0, reading 1.0 as 2.0)");
        assertThat(count("consume", "failed")).isEqualTo(1);
    }

    @Test
    void deserialize_sameMajorReadsDirectlyIntoTheReaderSchema() {
        Headers headers = new RecordHeaders();
        byte[] bytes = serializer("2.1").serialize("accounts", headers, StoryFixtures.record("avro", "2.1", 6, "DE"));

        Object read = deserializer("2.0").deserialize("accounts", headers, ByteBuffer.wrap(bytes));

        assertThat(((GenericRecord) read).getSchema().getFields()).hasSize(4);
        assertThat(count("consume", "valid")).isEqualTo(1);
    }

    @Test
    void deserialize_jsonIntoAMap() {
        Headers headers = new RecordHeaders();
        ContractSerializer<Object> serializer = ContractSerializer.builder().product("customer.accounts.json")
                .version("3.0").metricsRegistry(registryName).build();
        byte[] bytes = serializer.serialize("accounts", headers, Map.of("id", "id-1", "full_name", "Ada",
                "national_id", "n-1", "country", "GB"));

        ContractDeserializer<Object> deserializer = ContractDeserializer.builder().product("customer.accounts.json")
                .readerVersion("1").readerClass(Map.class).metricsRegistry(registryName).build();
        Object read = deserializer.deserialize("accounts", headers, bytes);

        assertThat(read).isEqualTo(Map.of("id", "id-1", "name", "Ada", "ssn", "n-1", "country", "GB"));
        assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("{").doesNotContain("\u0000");
    }

    @Test
    void deserialize_jsonThatDoesNotMatchTheVersionItsHeadersNameFails() {
        Headers forged = new RecordHeaders();
        forged.add(ContractHeaders.PRODUCT, "customer.accounts.json".getBytes(StandardCharsets.UTF_8));
        forged.add(ContractHeaders.VERSION, "1.0".getBytes(StandardCharsets.UTF_8));
        byte[] notAnAccount = "{\"id\": 7, \"name\": \"Ada\"}".getBytes(StandardCharsets.UTF_8);
        ContractDeserializer<Object> deserializer = ContractDeserializer.builder().product("customer.accounts.json")
                .readerVersion("1.0").readerClass(Map.class).metricsRegistry(registryName).build();

        assertThatThrownBy(() -> deserializer.deserialize("accounts", forged, notAnAccount))
                .isInstanceOf(ContractViolationException.class)
                .hasMessage("Contract DECODE failure for customer.accounts.json 1.0 on topic accounts, rule decode:"
                        + " cannot decode bytes written as 1.0: does not match JSON Schema Account: #: required key"
                        + " [ssn] not found; #: required key [country] not found; #/id: expected type: String, found:"
                        + " Integer");
        assertThat(ContractDeserializer.builder().product("customer.accounts.json").readerVersion("2")
                .metricsRegistry(registryName).build())
                .as("also where the record would be migrated")
                .satisfies(migrating -> assertThatThrownBy(() -> migrating.deserialize("accounts", forged, notAnAccount))
                        .hasMessageContaining("cannot decode bytes written as 1.0: does not match JSON Schema Account"));
        assertThat(count("consume", "failed")).isEqualTo(2);
        assertThat(count("consume", "valid") + count("consume", "migrated")).isZero();
    }

    @Test
    void serialize_errorHeadersDoNotExemptARecordFromTheRules() {
        Headers forged = new RecordHeaders();
        forged.add(ContractHeaders.ERROR_STAGE, "WRITE".getBytes(StandardCharsets.UTF_8));
        forged.add(ContractHeaders.ERROR_TOPIC, "accounts".getBytes(StandardCharsets.UTF_8));
        forged.add(ContractHeaders.PRODUCT, PRODUCT.getBytes(StandardCharsets.UTF_8));
        forged.add(ContractHeaders.VERSION, "2.0".getBytes(StandardCharsets.UTF_8));
        Object germany = StoryFixtures.record("avro", "2.0", 1, "Germany");

        assertThatThrownBy(() -> serializer("2.0").serialize("accounts", forged, germany))
                .isInstanceOf(ContractViolationException.class)
                .hasMessageContaining("rule countryIsIso3166: condition is false");
        assertThat(serializer("2.0").serialize("accounts.dlq", forged, germany))
                .as("on the product's dead-letter topic the record passes as it is").isNotEmpty();
    }

    @Test
    void deserialize_forgedDeadLetterMarksAreRemoved() {
        Headers headers = new RecordHeaders();
        byte[] bytes = serializer("2.0").serialize("accounts", headers, StoryFixtures.record("avro", "2.0", 8, "DE"));
        headers.add("dp.internal.raw-value", new byte[] {1});
        headers.add("dp.internal.dlq-topic", "elsewhere".getBytes(StandardCharsets.UTF_8));

        Object read = deserializer("2.0").deserialize("accounts", headers, bytes);

        assertThat(read).isNotNull();
        assertThat(headers.lastHeader("dp.internal.raw-value")).isNull();
        assertThat(headers.lastHeader("dp.internal.dlq-topic")).isNull();
    }

    @Test
    void serialize_ignoresAnInterceptorEvaluationOfAnotherVersion() {
        Object germany = StoryFixtures.record("avro", "2.0", 1, "Germany");
        var otherVersion = dev.kontract.serde.internal.ContractWriter.of(Map.of(ContractConfig.PRODUCT_CONFIG, PRODUCT,
                ContractConfig.VERSION_CONFIG, "1.0"), dev.kontract.serde.internal.deadletter.DeadLetterRoute.INTERCEPTORS)
                .binding("accounts");
        var evaluation = new dev.kontract.serde.internal.ContractWriter.Evaluation(otherVersion.version(),
                StoryFixtures.view(2, 1, "Germany"), dev.kontract.core.rules.RuleRun.accepted(
                        StoryFixtures.view(2, 1, "Germany")), null);
        dev.kontract.serde.internal.WriteHandoff.put(germany, "accounts", evaluation);

        assertThatThrownBy(() -> serializer("2.0").serialize("accounts", new RecordHeaders(), germany))
                .isInstanceOf(ContractViolationException.class)
                .hasMessageContaining("rule countryIsIso3166");
    }

    @Test
    void serialize_sameRecordSentAgainKeepsItsReadOnlyHeaders() {
        Object record = StoryFixtures.record("avro", "2.0", 3, "DE");
        RecordHeaders headers = new RecordHeaders();
        ContractSerializer<Object> serializer = serializer("2.0");
        byte[] first = serializer.serialize("accounts", headers, record);
        headers.setReadOnly();

        byte[] again = serializer.serialize("accounts", headers, record);

        assertThat(again).isEqualTo(first);
        assertThat(headers.headers(ContractHeaders.VERSION)).hasSize(1);
    }

    @Test
    void serialize_deadLetterThatBreaksItsSchemaTooNamesTheRuleAndTopic() {
        GenericData.Record broken = (GenericData.Record) StoryFixtures.record("avro", "2.0", 2, "Germany");
        broken.put("name", null);
        Headers headers = new RecordHeaders();
        headers.add(ContractHeaders.PRODUCT, PRODUCT.getBytes(StandardCharsets.UTF_8));
        headers.add(ContractHeaders.VERSION, "2.0".getBytes(StandardCharsets.UTF_8));
        headers.add(ContractHeaders.ERROR_STAGE, "WRITE".getBytes(StandardCharsets.UTF_8));
        headers.add(ContractHeaders.ERROR_RULE, "countryIsIso3166".getBytes(StandardCharsets.UTF_8));
        headers.add(ContractHeaders.ERROR_TOPIC, "accounts".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> serializer("2.0").serialize("accounts.dlq", headers, broken))
                .isInstanceOf(ContractViolationException.class)
                .hasMessageStartingWith("Contract WRITE failure for " + PRODUCT + " 2.0 on topic accounts, rule schema:"
                        + " the record broke rule countryIsIso3166 and cannot be written to dead-letter topic"
                        + " accounts.dlq either: ")
                .hasMessageContaining("name");
    }

    private ContractSerializer<Object> serializer(String version) {
        return ContractSerializer.builder().product(PRODUCT).version(version).metricsRegistry(registryName).build();
    }

    private ContractDeserializer<Object> deserializer(String readerVersion) {
        return ContractDeserializer.builder().product(PRODUCT).readerVersion(readerVersion)
                .metricsRegistry(registryName).build();
    }

    private double count(String side, String outcome) {
        return registry.find("contract.records").tag("side", side).tag("outcome", outcome).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private static org.apache.avro.Schema schema(String version) {
        return ((dev.kontract.core.format.AvroContractSchema) StoryFixtures.codec("avro", version).schema()).schema();
    }

    private static String text(Headers headers, String key) {
        return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }

}
