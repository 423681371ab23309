package dev.kontract.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import dev.kontract.core.format.AvroContractSchema;
import dev.kontract.core.format.ContractSchema;
import dev.kontract.core.format.JsonContractSchema;
import dev.kontract.core.format.ProtobufContractSchema;
import dev.kontract.core.format.RecordCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Records generated for a schema that uses most of its format: every one is a record of the schema
 * (the generator passes each through the codec), optional parts are both present and absent, every enum
 * symbol turns up, and the same seed gives the same records.
 */
class RecordGeneratorTest {

    @ParameterizedTest
    @ValueSource(strings = {"AVRO", "PROTOBUF", "JSON"})
    void recordsCoverTheSchema_andASeedRepeatsThem(String format) {
        RecordCodec codec = RecordCodec.of(schema(format));
        RecordGenerator generator = new RecordGenerator(codec, "shop.orders 1.0", 42);
        List<JsonNode> records = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            records.add(generator.next());
        }

        Set<String> statuses = new HashSet<>();
        Set<Boolean> notePresent = new HashSet<>();
        Set<Integer> lineCounts = new HashSet<>();
        for (JsonNode record : records) {
            assertThat(codec.toJson(codec.fromJson(record, null))).isEqualTo(record);
            statuses.add(record.get("status").asString());
            notePresent.add(record.hasNonNull("note"));
            lineCounts.add(record.path("lines").size());
            record.path("lines").forEach(line -> assertThat(line.get("sku").isString()).isTrue());
        }
        assertThat(statuses).containsExactlyInAnyOrder("NEW", "PAID", "SHIPPED");
        assertThat(notePresent).containsExactlyInAnyOrder(true, false);
        assertThat(lineCounts).contains(0, 1, 2, 3);
        RecordGenerator again = new RecordGenerator(codec, "shop.orders 1.0", 42);
        assertThat(again.next()).isEqualTo(records.get(0));
    }

    /** An order: id, status enum, optional note, lines of sku and qty, attributes map, a nested parent order. */
    private static ContractSchema schema(String format) {
        switch (format) {
            case "AVRO":
                return AvroContractSchema.parse("""
                        {"type": "record", "name": "Order", "namespace": "shop", "fields": [
                          {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
                          {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID", "SHIPPED"]}},
                          {"name": "note", "type": ["null", "string"], "default": null},
                          {"name": "total", "type": "double"},
                          {"name": "placedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                          {"name": "digest", "type": {"type": "fixed", "name": "Digest", "size": 4}},
                          {"name": "payload", "type": "bytes"},
                          {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line",
                            "fields": [{"name": "sku", "type": "string"}, {"name": "qty", "type": "int"}]}}},
                          {"name": "attributes", "type": {"type": "map", "values": "long"}},
                          {"name": "parent", "type": ["null", "Order"], "default": null}]}
                        """);
            case "JSON":
                return JsonContractSchema.parse("""
                        {"title": "Order", "type": "object", "required": ["id", "status", "lines"],
                         "additionalProperties": false,
                         "definitions": {"line": {"type": "object", "required": ["sku", "qty"],
                           "properties": {"sku": {"type": "string", "minLength": 1}, "qty": {"type": "integer", "minimum": 1}}}},
                         "properties": {
                           "id": {"type": "string", "format": "uuid"},
                           "status": {"enum": ["NEW", "PAID", "SHIPPED"]},
                           "note": {"type": ["string", "null"], "maxLength": 20},
                           "total": {"type": "number", "minimum": 0},
                           "placedAt": {"type": "string", "format": "date-time"},
                           "email": {"type": "string", "format": "email"},
                           "lines": {"type": "array", "items": {"$ref": "#/definitions/line"}},
                           "attributes": {"type": "object", "additionalProperties": {"type": "integer"}}}}
                        """);
            default:
                DescriptorProto line = DescriptorProto.newBuilder().setName("Line")
                        .addField(field("sku", 1, Type.TYPE_STRING, Label.LABEL_OPTIONAL, null))
                        .addField(field("qty", 2, Type.TYPE_INT32, Label.LABEL_OPTIONAL, null)).build();
                DescriptorProto attribute = DescriptorProto.newBuilder().setName("AttributesEntry")
                        .setOptions(MessageOptions.newBuilder().setMapEntry(true))
                        .addField(field("key", 1, Type.TYPE_STRING, Label.LABEL_OPTIONAL, null))
                        .addField(field("value", 2, Type.TYPE_INT64, Label.LABEL_OPTIONAL, null)).build();
                DescriptorProto order = DescriptorProto.newBuilder().setName("Order")
                        .addNestedType(line).addNestedType(attribute)
                        .addEnumType(EnumDescriptorProto.newBuilder().setName("Status")
                                .addValue(EnumValueDescriptorProto.newBuilder().setName("NEW").setNumber(0))
                                .addValue(EnumValueDescriptorProto.newBuilder().setName("PAID").setNumber(1))
                                .addValue(EnumValueDescriptorProto.newBuilder().setName("SHIPPED").setNumber(2)))
                        .addOneofDecl(OneofDescriptorProto.newBuilder().setName("reference"))
                        .addOneofDecl(OneofDescriptorProto.newBuilder().setName("_note"))
                        .addField(field("id", 1, Type.TYPE_STRING, Label.LABEL_OPTIONAL, null))
                        .addField(field("status", 2, Type.TYPE_ENUM, Label.LABEL_OPTIONAL, ".shop.Order.Status"))
                        .addField(field("note", 3, Type.TYPE_STRING, Label.LABEL_OPTIONAL, null)
                                .setOneofIndex(1).setProto3Optional(true))
                        .addField(field("total", 4, Type.TYPE_DOUBLE, Label.LABEL_OPTIONAL, null))
                        .addField(field("payload", 5, Type.TYPE_BYTES, Label.LABEL_OPTIONAL, null))
                        .addField(field("lines", 6, Type.TYPE_MESSAGE, Label.LABEL_REPEATED, ".shop.Order.Line"))
                        .addField(field("attributes", 7, Type.TYPE_MESSAGE, Label.LABEL_REPEATED,
                                ".shop.Order.AttributesEntry"))
                        .addField(field("parent", 8, Type.TYPE_MESSAGE, Label.LABEL_OPTIONAL, ".shop.Order"))
                        .addField(field("invoice", 9, Type.TYPE_STRING, Label.LABEL_OPTIONAL, null)
                                .setOneofIndex(0))
                        .addField(field("receipt", 10, Type.TYPE_INT64, Label.LABEL_OPTIONAL, null)
                                .setOneofIndex(0))
                        .build();
                FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("shop.proto").setPackage("shop")
                        .setSyntax("proto3").addMessageType(order).build();
                return ProtobufContractSchema.ofDescriptorSet(
                        FileDescriptorSet.newBuilder().addFile(file).build().toByteArray(), "shop.Order");
        }
    }

    private static FieldDescriptorProto.Builder field(String name, int number, Type type, Label label, String typeName) {
        FieldDescriptorProto.Builder field = FieldDescriptorProto.newBuilder().setName(name).setNumber(number)
                .setType(type).setLabel(label);
        if (typeName != null) {
            field.setTypeName(typeName);
        }
        return field;
    }
}
