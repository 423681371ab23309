package dev.kontract.core.format.jsonschema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.everit.json.schema.loader.SpecificationVersion;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The compiled validator on what the suite does not single out: node types, limits, what is not compiled. */
class CompiledJsonSchemaTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Function<String, Pattern> RE2 = Pattern::compile;
    private static final String DRAFT_7 = "\"$schema\": \"http://json-schema.org/draft-07/schema#\", ";

    private static CompiledJsonSchema compile(String keywords) {
        return CompiledJsonSchema.compile(JSON.readTree("{" + DRAFT_7 + keywords + "}"), RE2);
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    @Test
    void numbers_compareByValueWhateverTheirNodeType() {
        CompiledJsonSchema schema = compile("\"enum\": [1, [2.5], {\"a\": 100}], \"type\": \"integer\"");

        assertThat(schema.isValid(NODES.numberNode(1.0), 10)).isTrue();
        assertThat(schema.isValid(NODES.numberNode(BigInteger.ONE), 10)).isTrue();
        assertThat(schema.isValid(NODES.numberNode(new BigDecimal("1.000")), 10)).isTrue();
        assertThat(schema.isValid(NODES.numberNode(1.5), 10)).isFalse();
        assertThat(compile("\"const\": [2.5]").isValid(NODES.arrayNode().add(new BigDecimal("2.50")), 10)).isTrue();
        assertThat(compile("\"const\": {\"a\": 100}").isValid(json("{\"a\": 1e2}"), 10)).isTrue();
    }

    @Test
    void bounds_compareDoublesAsTheirShortestDecimal() {
        CompiledJsonSchema schema = compile("\"maximum\": 0.3, \"exclusiveMinimum\": 0.1");

        assertThat(schema.isValid(NODES.numberNode(0.3), 10)).isTrue();
        assertThat(schema.isValid(NODES.numberNode(0.30000000000000004), 10)).isFalse();
        assertThat(schema.isValid(NODES.numberNode(0.1), 10)).isFalse();
        assertThat(schema.isValid(NODES.numberNode(0.10000000000000002), 10)).isTrue();
        assertThat(compile("\"maximum\": 9007199254740993").isValid(NODES.numberNode(9007199254740994L), 10)).isFalse();
        assertThat(compile("\"minimum\": 1e30").isValid(NODES.numberNode(Long.MAX_VALUE), 10)).isFalse();
    }

    @Test
    void multipleOf_isExactForDecimalDivisors() {
        CompiledJsonSchema cents = compile("\"multipleOf\": 0.01");

        assertThat(cents.isValid(NODES.numberNode(1.13), 10)).isTrue();
        assertThat(cents.isValid(NODES.numberNode(19.99), 10)).isTrue();
        assertThat(cents.isValid(NODES.numberNode(0.001), 10)).isFalse();
        assertThat(compile("\"multipleOf\": 3").isValid(NODES.numberNode(BigInteger.TEN.pow(30)), 10)).isFalse();
    }

    @Test
    void lengths_countCodePoints() {
        CompiledJsonSchema schema = compile("\"minLength\": 2, \"maxLength\": 2");

        assertThat(schema.isValid(NODES.stringNode("😀😀"), 10)).isTrue();
        assertThat(schema.isValid(NODES.stringNode("😀"), 10)).isFalse();
        assertThat(schema.isValid(NODES.stringNode("a\uD800"), 10)).isTrue();
    }

    @Test
    void containersDeeperThanTheLimit_areInvalidWhereverNoKeywordLooks() {
        CompiledJsonSchema anything = compile("\"type\": \"object\"");
        ObjectNode record = NODES.objectNode();
        ArrayNode nested = record.putArray("a");
        for (int i = 0; i < 9; i++) {
            nested = nested.addArray();
        }

        assertThat(anything.isValid(record, 10)).isTrue();
        assertThat(anything.isValid(record, 9)).isFalse();
        assertThat(compile("\"properties\": {\"a\": true}").isValid(record, 9)).isFalse();
        assertThat(compile("\"additionalProperties\": {}").isValid(record, 9)).isFalse();
        assertThat(compile("\"allOf\": [{}]").isValid(record, 9)).isFalse();
    }

    @Test
    void infiniteNumbers_areInvalidAnywhere() {
        ObjectNode record = NODES.objectNode();
        record.putArray("a").add(1).add(Double.POSITIVE_INFINITY);

        assertThat(compile("\"type\": \"object\"").isValid(record, 10)).isFalse();
        assertThat(compile("\"properties\": {\"a\": {\"items\": {\"type\": \"number\"}}}").isValid(record, 10)).isFalse();
    }

    @Test
    void binaryNodes_areTheirBase64Text_andPojoNodesNull() {
        assertThat(compile("\"type\": \"string\", \"maxLength\": 4").isValid(NODES.binaryNode(new byte[] {1, 2, 3}), 10))
                .isTrue();
        assertThat(compile("\"enum\": [\"AQID\"]").isValid(NODES.binaryNode(new byte[] {1, 2, 3}), 10)).isTrue();
        assertThat(compile("\"type\": \"null\"").isValid(NODES.pojoNode(new Object()), 10)).isTrue();
    }

    @Test
    void drafts_areReadAsEveritReadsThem() {
        JsonNode draft4 = json("{\"minimum\": 1, \"exclusiveMinimum\": true, \"const\": 5, \"contains\": {\"const\": 0}}");
        JsonNode draft6 = json("{\"$schema\": \"http://json-schema.org/draft-06/schema#\", \"if\": {\"const\": 1},"
                + " \"then\": false, \"exclusiveMinimum\": 0}");

        assertThat(CompiledJsonSchema.compile(draft4, RE2).isValid(NODES.numberNode(1), 10)).isFalse();
        assertThat(CompiledJsonSchema.compile(draft4, RE2).isValid(NODES.numberNode(2), 10)).isTrue();
        assertThat(CompiledJsonSchema.compile(draft6, RE2).isValid(NODES.numberNode(1), 10)).isTrue();
        assertThat(CompiledJsonSchema.compile(draft6, RE2).isValid(NODES.numberNode(0), 10)).isFalse();
    }

    @Test
    void remoteRef_isNotCompiled_namingWhere() {
        assertThatThrownBy(() -> compile("\"properties\": {\"a\": {\"$ref\": \"https://example.com/a.json#/b\"}}"))
                .isInstanceOf(CompiledJsonSchema.NotCompiled.class)
                .hasMessage("'$ref' at #/properties/a: remote $ref https://example.com/a.json (only $refs within the"
                        + " schema are compiled)")
                .extracting(e -> ((CompiledJsonSchema.NotCompiled) e).keyword()).isEqualTo("$ref");
    }

    @Test
    void refCycleWithinOneValue_isNotCompiled() {
        assertThatThrownBy(() -> compile("\"definitions\": {\"a\": {\"anyOf\": [{\"$ref\": \"#/definitions/b\"}]},"
                + " \"b\": {\"$ref\": \"#/definitions/a\"}}, \"$ref\": \"#/definitions/a\""))
                .isInstanceOf(CompiledJsonSchema.NotCompiled.class)
                .hasMessageContaining("a cycle of schemas that applies to the same value forever");
    }

    @Test
    void recursiveSchema_compilesAndValidatesEachLevel() {
        CompiledJsonSchema tree = compile("\"type\": \"object\", \"properties\": {\"value\": {\"type\": \"integer\"},"
                + " \"children\": {\"type\": \"array\", \"items\": {\"$ref\": \"#\"}}}");

        assertThat(tree.isValid(json("{\"value\": 1, \"children\": [{\"children\": [{\"value\": 3}]}]}"), 10)).isTrue();
        assertThat(tree.isValid(json("{\"value\": 1, \"children\": [{\"children\": [{\"value\": \"3\"}]}]}"), 10)).isFalse();
    }

    @Test
    void unknownDraft_isNotCompiled() {
        assertThatThrownBy(() -> CompiledJsonSchema.compile(json("{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\"}"), RE2))
                .isInstanceOf(CompiledJsonSchema.NotCompiled.class)
                .hasMessage("'$schema' at #: https://json-schema.org/draft/2020-12/schema is not a draft everit knows");
    }

    /** The order of the benchmarks, valid against their schema. */
    @Test
    void isValid_onAValidRecord_allocatesNothingOnceTheJitHasCompiledIt() {
        CompiledJsonSchema schema = CompiledJsonSchema.compile(JSON.readTree(getClass().getResourceAsStream(
                "/jsonschema/benchmark-order-v3.schema.json")), RE2);
        JsonNode order = json("""
                {"order_id": "ord-1", "customer_ref": "c-1", "placed_at": 1795000000000, "status": "PLACED",
                 "total": 129.97, "currency": "EUR", "lines": [{"sku": "S-1", "quantity": 2, "unit_price": 39.99},
                 {"sku": "S-2", "quantity": 1, "unit_price": 49.99}], "shipping": {"street": "1 Main Street",
                 "city": "Dublin", "postcode": "D01", "country": "IE"}, "coupon": null, "sales_channel": "web"}""");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(schema.isValid(order, 100)).isTrue();

        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 50 && allocated > 0; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                schema.isValid(order, 100);
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }

        assertThat(allocated).as("bytes allocated by 10,000 validations").isZero();
    }

    // ---- formats: the fast checks accept only what everit accepts ----

    @Provide
    Arbitrary<String> dateTimes() {
        Arbitrary<Integer> year = Arbitraries.oneOf(Arbitraries.integers().between(0, 9999), Arbitraries.of(1, 1900, 2000, 2024));
        Arbitrary<Integer> month = Arbitraries.integers().between(0, 13);
        Arbitrary<Integer> day = Arbitraries.integers().between(0, 32);
        Arbitrary<Integer> hour = Arbitraries.integers().between(0, 25);
        Arbitrary<Integer> second = Arbitraries.integers().between(0, 61);
        Arbitrary<String> fraction = Arbitraries.of("", ".5", ".123456789", ".1234567890", ".");
        Arbitrary<String> offset = Arbitraries.of("Z", "z", "+00:00", "-00:00", "+18:00", "-18:00", "+18:01", "+17:59",
                "+05:30", "-12:60", "+1:00", "", "+0530");
        return Combinators.combine(year, month, day, hour, second, fraction, offset).as((y, mo, d, h, s, f, o) ->
                "%04d-%02d-%02dT%02d:%02d:%02d%s%s".formatted(y, mo, d, h, s, s, f, o));
    }

    @Property(tries = 3000)
    void dateTime_fastCheckAcceptsOnlyWhatEveritAccepts(@ForAll("dateTimes") String dateTime) {
        assertAgreesWithEverit("date-time", dateTime, Format.isDateTime(dateTime));
        String date = dateTime.substring(0, 10);
        assertAgreesWithEverit("date", date, Format.isDate(date, 0, 0));
        assertAgreesWithEverit("time", dateTime.substring(11), Format.isTime(dateTime, 11));
    }

    @Provide
    Arbitrary<String> ipv4s() {
        Arbitrary<String> octet = Arbitraries.oneOf(Arbitraries.integers().between(0, 300).map(String::valueOf),
                Arbitraries.of("00", "01", "010", "", "1a", "٣"));
        return octet.list().ofMinSize(3).ofMaxSize(5).map(octets -> String.join(".", octets));
    }

    @Property(tries = 2000)
    void ipv4_fastCheckAcceptsOnlyWhatEveritAccepts(@ForAll("ipv4s") String address) {
        assertAgreesWithEverit("ipv4", address, Format.isIpv4(address));
    }

    private static void assertAgreesWithEverit(String name, String value, boolean surelyValid) {
        Format format = Format.of(name, SpecificationVersion.DRAFT_7);
        boolean everit = org.everit.json.schema.loader.SchemaLoader.builder().draftV7Support()
                .schemaJson(new org.json.JSONObject().put("format", name)).build().load().build() instanceof
                org.everit.json.schema.StringSchema string && string.getFormatValidator().validate(value).isEmpty();
        if (surelyValid) {
            assertThat(everit).as(name + " " + value + ": the fast check accepts it, everit must").isTrue();
        }
        assertThat(format.test(value)).as(name + " " + value).isEqualTo(everit);
    }
}
