package dev.kontract.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import dev.kontract.core.testproto.Line;
import dev.kontract.core.testproto.Order;
import dev.kontract.core.testproto.Status;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RecordCodecTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String AVRO_ORDER = """
            {"type": "record", "name": "Order", "namespace": "shop", "fields": [
              {"name": "id", "type": "string"},
              {"name": "total", "type": "double"},
              {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["PLACED", "SHIPPED"]}},
              {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line", "fields": [
                {"name": "sku", "type": "string"}, {"name": "quantity", "type": "int"}]}}},
              {"name": "attributes", "type": {"type": "map", "values": "string"}},
              {"name": "coupon", "type": ["null", "string"], "default": null},
              {"name": "signature", "type": "bytes"}
            ]}""";

    private static final String ORDER_JSON = """
            {"id": "o-1", "total": 12.5, "status": "PLACED", "lines": [{"sku": "A", "quantity": 2}],
             "attributes": {"channel": "web"}, "coupon": null, "signature": "AQI="}""";

    @Test
    void avro_recordNestedDeeperThanTheStack_isAnInvalidRecordNotAnError() {
        RecordCodec codec = RecordCodec.of(AvroContractSchema.parse("{\"type\": \"record\", \"name\": \"Link\", \"fields\": ["
                + "{\"name\": \"next\", \"type\": [\"null\", \"Link\"], \"default\": null}]}"));
        byte[] deep = new byte[2_000_001];
        java.util.Arrays.fill(deep, 0, deep.length - 1, (byte) 2); // union branch 1 (Link), again and again
        deep[deep.length - 1] = 0; // then null

        // refused at DecodeLimits.maxNestingDepth, long before the stack (HostileInputTest raises the limit)
        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(deep)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("not Avro binary of this schema: records nest more than 100 levels deep"
                        + " (DecodeLimits.maxNestingDepth)");
        assertThat(codec.decode(ByteBuffer.wrap(new byte[] {2, 2, 0}))).isNotNull();
    }

    @Test
    void avro_jsonViewRoundTripsAndEncodes() {
        RecordCodec codec = RecordCodec.of(AvroContractSchema.parse(AVRO_ORDER));
        JsonNode view = json(ORDER_JSON);

        Object record = codec.fromJson(view, null);
        byte[] bytes = codec.encode(record);

        assertThat(record).isInstanceOf(GenericRecord.class);
        assertThat(codec.toJson(record)).isEqualTo(view);
        assertThat(codec.toJson(codec.decode(ByteBuffer.wrap(bytes)))).isEqualTo(view);
        assertThat(codec.encodeJson(view)).isEqualTo(bytes);
    }

    @Test
    void avro_invalidRecordsNameTheField() {
        RecordCodec codec = RecordCodec.of(AvroContractSchema.parse(AVRO_ORDER));
        GenericData.Record record = (GenericData.Record) codec.fromJson(json(ORDER_JSON), null);
        record.put("id", null);

        assertThatThrownBy(() -> codec.encode(record))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("does not match Avro schema shop.Order")
                .hasMessageContaining("id");
        assertThatThrownBy(() -> codec.fromJson(json("{\"id\": \"o-1\"}"), null))
                .hasMessage("field 'total' is missing and has no default");
        assertThatThrownBy(() -> codec.fromJson(json(ORDER_JSON.replace("\"quantity\": 2", "\"quantity\": \"two\"")), null))
                .hasMessage("field 'lines[0].quantity' must be an int, not string");
        assertThat(codec.toJson(codec.fromJson(json(ORDER_JSON.replace("\"id\": \"o-1\"", "\"id\": \"o-1\", \"extra\": 1")), null)))
                .as("fields the schema lacks are ignored, as schema resolution ignores them")
                .isEqualTo(json(ORDER_JSON));
        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, 1})))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("not Avro binary of this schema");
    }

    @Test
    void avro_readerResolvesAcrossAMinorStep() {
        RecordCodec v1 = RecordCodec.of(AvroContractSchema.parse(AVRO_ORDER));
        RecordCodec v11 = RecordCodec.of(AvroContractSchema.parse(AVRO_ORDER.replace("\"type\": \"bytes\"}",
                "\"type\": \"bytes\"}, {\"name\": \"note\", \"type\": \"string\", \"default\": \"none\"}")));
        byte[] written = v1.encodeJson(json(ORDER_JSON));

        GenericRecord read = (GenericRecord) v11.readerFor(v1, null).read(ByteBuffer.wrap(written));

        assertThat(read.get("note").toString()).isEqualTo("none");
        assertThat(read.get("id").toString()).isEqualTo("o-1");
    }

    @Test
    void protobuf_jsonViewRoundTripsForGeneratedAndDynamicMessages() {
        RecordCodec codec = RecordCodec.of(ProtobufContractSchema.ofClass(Order.class.getName(), getClass().getClassLoader()));
        Order order = Order.newBuilder().setId("o-1").setTotalCents(1250).setStatus(Status.PLACED)
                .addLines(Line.newBuilder().setSku("A").setQuantity(2)).putAttributes("channel", "web")
                .setSignature(ByteString.copyFrom(new byte[] {1, 2})).build();

        JsonNode view = codec.toJson(order);

        assertThat(view).isEqualTo(json("""
                {"id": "o-1", "total_cents": 1250, "status": "PLACED", "lines": [{"sku": "A", "quantity": 2}],
                 "attributes": {"channel": "web"}, "signature": "AQI="}"""));
        assertThat(codec.fromJson(view, null)).isEqualTo(order);
        assertThat(codec.decode(ByteBuffer.wrap(codec.encode(order)))).isEqualTo(order);
        DynamicMessage dynamic = (DynamicMessage) codec.fromJson(view, DynamicMessage.class);
        assertThat(codec.toJson(dynamic)).isEqualTo(view);
        assertThat(codec.encode(dynamic)).isEqualTo(order.toByteArray());
    }

    @Test
    void protobuf_invalidRecordsNameTheField() {
        RecordCodec codec = RecordCodec.of(ProtobufContractSchema.ofClass(Order.class.getName(), getClass().getClassLoader()));

        assertThatThrownBy(() -> codec.fromJson(json("{\"id\": 5}"), null)).hasMessage("field 'id' must be a string, not number");
        assertThat(codec.fromJson(json("{\"lines\": [{\"qty\": 1}]}"), null))
                .isEqualTo(Order.newBuilder().addLines(Line.getDefaultInstance()).build());
        assertThatThrownBy(() -> codec.encode(Line.newBuilder().build()))
                .hasMessage("the record is a kontract.test.Line, which is not this version's message kontract.test.Order"
                        + " (the fields differ)");
    }

    @Test
    void json_acceptsTreesMapsAndRecordsAndValidates() {
        RecordCodec codec = RecordCodec.of(JsonContractSchema.parse("""
                {"title": "Order", "type": "object", "required": ["id", "total"],
                 "properties": {"id": {"type": "string"}, "total": {"type": "number", "minimum": 0}}}"""));
        record OrderPojo(String id, double total) {}

        byte[] fromMap = codec.encode(Map.of("id", "o-1", "total", 3));
        byte[] fromPojo = codec.encode(new OrderPojo("o-1", 3.5));

        assertThat(codec.decode(ByteBuffer.wrap(fromMap))).isEqualTo(json("{\"id\": \"o-1\", \"total\": 3}"));
        assertThat(codec.readerFor(codec, OrderPojo.class).read(ByteBuffer.wrap(fromPojo)))
                .isEqualTo(new OrderPojo("o-1", 3.5));
        assertThat(codec.readerFor(codec, Map.class).read(ByteBuffer.wrap(fromMap)))
                .isEqualTo(Map.of("id", "o-1", "total", 3));
        assertThatThrownBy(() -> codec.encode(Map.of("total", -1)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("does not match JSON Schema Order: #: required key [id] not found; #/total: violates 'minimum'");
        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap("{\"id\": ".getBytes())))
                .hasMessage("not JSON at line 1, column 8 (UnexpectedEndOfInputException)");
    }

    @Test
    void json_jackson2TreesAreAccepted() throws Exception {
        RecordCodec codec = RecordCodec.of(JsonContractSchema.parse("{\"type\": \"object\"}"));
        Object jackson2 = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"a\": [1, 2]}");

        assertThat(codec.toJson(jackson2)).isEqualTo(json("{\"a\": [1, 2]}"));
        assertThat(List.of(codec.encode(jackson2).length)).containsExactly(11);
    }

    @Test
    void avro_mistypedFieldIsNamedWithoutItsValue() {
        RecordCodec codec = RecordCodec.of(AvroContractSchema.parse(AVRO_ORDER));
        GenericData.Record record = (GenericData.Record) codec.fromJson(json(ORDER_JSON), null);
        record.put("total", "123-45-6789");

        assertThatThrownBy(() -> codec.toJson(record))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("field 'total' does not hold a double (ClassCastException)");
    }

    @Test
    void avro_decimalWithMoreDecimalPlacesThanItsScale() {
        RecordCodec codec = RecordCodec.of(AvroContractSchema.parse("""
                {"type": "record", "name": "Price", "fields": [
                  {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}}]}"""));

        assertThat(codec.toJson(codec.fromJson(json("{\"amount\": 12.5}"), null)).get("amount").decimalValue())
                .isEqualTo(new java.math.BigDecimal("12.50"));
        assertThatThrownBy(() -> codec.fromJson(json("{\"amount\": 12.345}"), null))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("field 'amount' has more decimal places than its scale 2");
    }

    @Test
    void json_bindingErrorsNameThePathNotThePayload() {
        RecordCodec codec = RecordCodec.of(JsonContractSchema.parse("{\"type\": \"object\"}"));
        record Typed(int total) {}

        assertThatThrownBy(() -> codec.readerFor(codec, Typed.class).read(ByteBuffer.wrap(
                "{\"total\": \"123-45-6789\"}".getBytes())))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("cannot bind the record to ")
                .hasMessageEndingWith("at 'total' (InvalidFormatException)")
                .hasMessageNotContaining("6789");
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
