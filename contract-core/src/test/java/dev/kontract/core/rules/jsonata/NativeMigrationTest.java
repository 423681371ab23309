package dev.kontract.core.rules.jsonata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kontract.core.Rule;
import dev.kontract.core.RuleKind;
import dev.kontract.core.RuleMode;
import dev.kontract.core.format.RecordCodec;
import dev.kontract.core.rules.CompiledRule;
import dev.kontract.core.rules.EvaluationLimits;
import dev.kontract.core.rules.FieldMapping;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Migrations that run without the JSON view give the record the JSON-view path gives: Avro through
 * schema resolution with aliases and defaults, Protobuf through wire renumbering, for a rename, a
 * drop and a constant, on generated records; and mappings of consecutive steps compose.
 */
class NativeMigrationTest {

    static final String UPGRADE = "$merge([$sift($, function($v, $k) {$k != 'customer' and $k != 'coupon'}),"
            + " {'customer_ref': $.'customer', 'channel': 'web'}])";

    private static final CompiledRule RULE = new JsonataRuleExecutor().compile(new Rule("upgrade", null,
            RuleKind.TRANSFORM, RuleMode.UPGRADE, "JSONATA", Set.of(), Map.of(), UPGRADE, null, null, false),
            EvaluationLimits.DEFAULT);

    @Provide
    Arbitrary<ObjectNode> orders() {
        return DifferentialOrders.typed();
    }

    @Test
    void upgrade_isAFieldMappingThatBothFormatsResolveNatively() {
        FieldMapping mapping = RULE.fieldMapping().orElseThrow();

        assertThat(mapping.dropped()).containsExactlyInAnyOrder("customer", "coupon");
        assertThat(DifferentialOrders.AVRO_V2.migratingReaderFor(DifferentialOrders.AVRO_V1, mapping, null)).isPresent();
        assertThat(DifferentialOrders.PROTO_V2.migratingReaderFor(DifferentialOrders.PROTO_V1, mapping, null)).isPresent();
    }

    @Test
    void migratingReader_refusesWhatResolutionCannotMean() {
        // the reader's customer_ref would come from nowhere and has no default in Avro
        FieldMapping dropOnly = new FieldMapping(true, Set.of("customer", "coupon"), Map.of());

        assertThat(DifferentialOrders.AVRO_V2.migratingReaderFor(DifferentialOrders.AVRO_V1, dropOnly, null)).isEmpty();
    }

    @Test
    void avroCopyIntoASecondField_staysOnTheView() {
        // a writer field feeding two reader fields cannot be said with aliases: Avro would move it
        String widened = DifferentialOrders.resource("differential/order-v1.avsc")
                .replace("{\"name\": \"customer\", \"type\": \"string\"},",
                        "{\"name\": \"customer\", \"type\": \"string\"}, {\"name\": \"customer_copy\", \"type\": \"string\"},");
        RecordCodec reader = RecordCodec.of(dev.kontract.core.format.AvroContractSchema.parse(widened));

        assertThat(reader.migratingReaderFor(DifferentialOrders.AVRO_V1,
                mapping("$merge([$, {'customer_copy': customer}])"), null)).isEmpty();
    }

    @Test
    void protobufRenumberingToAWideTag_readsWhatTheViewReads() {
        RecordCodec writer = RecordCodec.of(dev.kontract.core.format.ProtobufContractSchema.ofClass(
                "dev.kontract.core.testproto.WideV1", getClass().getClassLoader()));
        RecordCodec reader = RecordCodec.of(dev.kontract.core.format.ProtobufContractSchema.ofClass(
                "dev.kontract.core.testproto.WideV2", getClass().getClassLoader()));
        var record = dev.kontract.core.testproto.WideV1.newBuilder().setSerializedSize_(5);
        for (int i = 0; i < 20; i++) {
            record.addTags("");
        }
        byte[] bytes = record.build().toByteArray();
        String expr = "$merge([$sift($, function($v, $k) {$k != 'tags'}), {'labels': tags}])";

        Object natively = reader.migratingReaderFor(writer, mapping(expr), null).orElseThrow().read(ByteBuffer.wrap(bytes));
        Object viaView = reader.fromJson(new JsonataRuleExecutor().compile(new Rule("m", null, RuleKind.TRANSFORM,
                RuleMode.UPGRADE, "JSONATA", Set.of(), Map.of(), expr, null, null, false), EvaluationLimits.DEFAULT)
                .evaluate(writer.toJson(writer.decode(ByteBuffer.wrap(bytes)))), null);

        assertThat(reader.toJson(natively)).isEqualTo(reader.toJson(viaView));
        assertThat(reader.toJson(natively).get("labels")).hasSize(20);
    }

    @Test
    void loneSift_isNoMappingAndKeepingNothingIsUndefined() {
        CompiledRule sift = new JsonataRuleExecutor().compile(new Rule("s", null, RuleKind.TRANSFORM, RuleMode.UPGRADE,
                "JSONATA", Set.of(), Map.of(), "$sift($, function($v, $k) {$k != 'ssn'})", null, null, false),
                EvaluationLimits.DEFAULT);

        assertThat(sift.fieldMapping()).isEmpty();
        assertThat(sift.evaluate(tools.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("ssn", "1"))).isNull();
    }

    @Test
    void generatedGetterRenamedByProtoc_isReadInPlace() {
        CompiledRule rule = new JsonataRuleExecutor().compile(new Rule("c", null, RuleKind.CONDITION, RuleMode.WRITE,
                "JSONATA", Set.of(), Map.of(), "serialized_size = 5", null, null, false), EvaluationLimits.DEFAULT);
        var message = dev.kontract.core.testproto.WideV1.newBuilder().setSerializedSize_(5).addTags("x").build();

        assertThat(rule.evaluateInPlace(message).booleanValue()).isTrue();
    }

    @Property(tries = 200)
    void nativeMigrationBuildsTheRecordTheViewPathBuilds(@ForAll("orders") ObjectNode order) {
        FieldMapping mapping = RULE.fieldMapping().orElseThrow();
        for (RecordCodec[] pair : new RecordCodec[][] {
            {DifferentialOrders.AVRO_V1, DifferentialOrders.AVRO_V2},
            {DifferentialOrders.PROTO_V1, DifferentialOrders.PROTO_V2}}) {
            RecordCodec writer = pair[0];
            RecordCodec reader = pair[1];
            byte[] bytes = writer.encode(writer.fromJson(order, null));

            Object natively = reader.migratingReaderFor(writer, mapping, null).orElseThrow().read(ByteBuffer.wrap(bytes));
            JsonNode migratedView = RULE.evaluate(writer.toJson(writer.decode(ByteBuffer.wrap(bytes))));
            Object viaView = reader.fromJson(migratedView, null);

            assertThat(reader.toJson(natively)).as(writer.schema().type() + " on " + order).isEqualTo(reader.toJson(viaView));
        }
    }

    @Property(tries = 300)
    void composedMappingsGiveTheValuesOfStepByStep(@ForAll("orders") ObjectNode order) {
        FieldMapping first = RULE.fieldMapping().orElseThrow();
        FieldMapping second = mapping("$merge([$sift($, function($v, $k) {$k != 'channel'}),"
                + " {'sales_channel': $.'channel', 'customer': $.'customer_ref', 'id': 'fixed'}])");
        FieldMapping back = mapping("{'customer_ref': customer, 'qty': qty, 'missing': nothing}");

        assertSameFields(first.then(second).apply(order), second.apply(first.apply(order)));
        assertSameFields(first.then(second).then(back).apply(order), back.apply(second.apply(first.apply(order))));
        assertSameFields(second.then(first).apply(order), first.apply(second.apply(order)));
    }

    private static FieldMapping mapping(String expr) {
        return new JsonataRuleExecutor().compile(new Rule("m", null, RuleKind.TRANSFORM, RuleMode.UPGRADE, "JSONATA",
                Set.of(), Map.of(), expr, null, null, false), EvaluationLimits.DEFAULT).fieldMapping().orElseThrow();
    }

    private static void assertSameFields(ObjectNode actual, ObjectNode expected) {
        assertThat(new java.util.TreeMap<>(toMap(actual))).isEqualTo(new java.util.TreeMap<>(toMap(expected)));
    }

    private static Map<String, JsonNode> toMap(ObjectNode node) {
        Map<String, JsonNode> fields = new java.util.HashMap<>();
        node.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
        return fields;
    }
}
