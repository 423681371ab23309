package dev.kontract.cli;

import static dev.kontract.core.SchemaType.AVRO;
import static dev.kontract.core.SchemaType.JSON;
import static dev.kontract.core.SchemaType.PROTOBUF;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import dev.kontract.cli.Change.Classification;
import dev.kontract.core.DataContract;
import dev.kontract.core.SchemaType;
import dev.kontract.core.Version;
import dev.kontract.core.load.ContractLoader;
import dev.kontract.core.rules.RuleEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of contract changes, each an old and a new state of the contract files, over Avro,
 * Protobuf (descriptor sets built here) and JSON Schema, with the changes {@link ContractDiff} must
 * report and how it must classify them (DESIGN.md, "Contract lifecycle and distribution"). Each state
 * is written to its own directory and loaded as {@code kontract diff} loads it. Every change must be
 * expected and every expectation met: no change goes unreported, none is reported twice.
 *
 * <p>Every Avro minor step a new state adds is also checked against Avro's own
 * {@link SchemaCompatibility}, both ways: the step is {@code BREAKING} exactly when a reader of one
 * version cannot read the other's records.
 */
class ContractDiffCorpusTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void between_reportsAndClassifiesEveryChange(Case corpusCase, @TempDir Path directory) throws IOException {
        List<Change> changes = diff(corpusCase, directory);

        assertThat(matchExactly(changes, corpusCase.expected()))
                .as("%s%nexpected:%n%s%nreported:%n%s", corpusCase, lines(corpusCase.expected()), lines(changes))
                .isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("avroMinorSteps")
    void between_agreesWithAvroSchemaCompatibility_onEveryAvroMinorStep(Case corpusCase, @TempDir Path directory)
            throws IOException {
        List<Change> changes = diff(corpusCase, directory);

        for (MinorStep step : minorSteps(corpusCase)) {
            List<String> incompatible = new ArrayList<>();
            Schema added = avroSchema(step.added());
            for (VersionSpec lower : step.lower()) {
                Schema older = avroSchema(lower);
                check(added, older, step.added().version() + " reading " + lower.version(), incompatible);
                check(older, added, lower.version() + " reading " + step.added().version(), incompatible);
            }
            List<Change> ofStep = changes.stream()
                    .filter(change -> change.product().equals(step.product()))
                    .filter(change -> change.change().equals("version " + step.added().version() + " added")
                            || change.change().equals("version " + step.added().version()))
                    .toList();
            assertThat(ofStep.stream().anyMatch(Change::isBreaking))
                    .as("%s: %s %s; Avro says %s; reported:%n%s", corpusCase, step.product(), step.added().version(),
                            incompatible.isEmpty() ? "compatible both ways" : incompatible, lines(changes))
                    .isEqualTo(!incompatible.isEmpty());
            if (step.productExisted() && incompatible.isEmpty()) {
                assertThat(ofStep).singleElement()
                        .satisfies(change -> assertThat(change.classification()).isEqualTo(Classification.COMPATIBLE));
            }
        }
    }

    @Test
    void corpus_coversEveryFormat_andEveryAvroMinorStepIsChecked() {
        List<Case> cases = corpus().toList();
        Map<SchemaType, Long> byFormat = cases.stream().collect(Collectors.groupingBy(Case::format, Collectors.counting()));

        assertThat(cases).hasSizeGreaterThanOrEqualTo(30);
        assertThat(byFormat.get(AVRO)).isGreaterThanOrEqualTo(12);
        assertThat(byFormat.get(PROTOBUF)).isGreaterThanOrEqualTo(8);
        assertThat(byFormat.get(JSON)).isGreaterThanOrEqualTo(8);
        assertThat(cases).extracting(Case::name).doesNotHaveDuplicates();
        assertThat(cases).allSatisfy(corpusCase -> assertThat(Stream.concat(corpusCase.before().stream(),
                        corpusCase.after().stream()).flatMap(contract -> contract.versions().stream())
                .map(version -> version.schema().type())).as(corpusCase.name()).containsOnly(corpusCase.format()));
        List<Case> avroMinor = avroMinorSteps().toList();
        assertThat(avroMinor).hasSizeGreaterThanOrEqualTo(12);
        assertThat(avroMinor).anySatisfy(corpusCase -> assertThat(corpusCase.breaking()).isTrue());
        assertThat(avroMinor).anySatisfy(corpusCase -> assertThat(corpusCase.breaking()).isFalse());
    }

    // ---------------------------------------------------------------------------------------------
    // The corpus

    private static final String ID = "{'name': 'id', 'type': 'string'}";
    private static final String TOTAL = "{'name': 'total', 'type': 'double'}";
    private static final String NOTE = "{'name': 'note', 'type': ['null', 'string'], 'default': null}";

    private static final String UP = rule("up", "TRANSFORM", "UPGRADE", "$merge([$, {}])");
    private static final String DOWN = rule("down", "TRANSFORM", "DOWNGRADE", "$merge([$, {}])");
    private static final String POSITIVE = rule("totalIsPositive", "CONDITION", "WRITE", "total > 0");

    static Stream<Case> corpus() {
        return Stream.of(avroCases(), protobufCases(), jsonCases()).flatMap(Function.identity());
    }

    static Stream<Case> avroMinorSteps() {
        return corpus().filter(corpusCase -> corpusCase.format() == AVRO && !minorSteps(corpusCase).isEmpty());
    }

    private static Stream<Case> avroCases() {
        VersionSpec v1 = v("1.0", avro(ID, TOTAL));
        VersionSpec v2 = v("2.0", avro(ID, "{'name': 'amount', 'type': 'double'}"));
        String status = "{'name': 'status', 'type': {'type': 'enum', 'name': 'Status', 'symbols': ['NEW', 'PAID']%s}}";
        String statusMore = "{'name': 'status', 'type': {'type': 'enum', 'name': 'Status', 'symbols': ['NEW', 'PAID',"
                + " 'REFUNDED']%s}}";
        return Stream.of(
                change("avro: nothing changed", AVRO, orders(v1), orders(v1)),
                change("avro: the same schema laid out and ordered differently", AVRO, orders(v1),
                        orders(v("1.0", new Avro("{ \"namespace\": \"shop\",  \"name\": \"Order\", \"type\": \"record\","
                                + " \"fields\": [ {\"type\": \"string\", \"name\": \"id\"},\n {\"type\": \"double\","
                                + " \"name\": \"total\"} ] }")))),
                change("avro: minor adds an optional field with a null default", AVRO, orders(v1),
                        orders(v1, v("1.1", avro(ID, TOTAL, NOTE))),
                        compatible("version 1.1 added", "minor step from 1.0: each reads the other's records")),
                change("avro: minor adds a string field with a default", AVRO, orders(v1),
                        orders(v1, v("1.1", avro(ID, TOTAL, "{'name': 'currency', 'type': 'string', 'default': 'EUR'}"))),
                        compatible("version 1.1 added")),
                change("avro: minor adds a required field without a default", AVRO, orders(v1),
                        orders(v1, v("1.1", avro(ID, TOTAL, "{'name': 'currency', 'type': 'string'}"))),
                        breaking("version 1.1 added", "version 1.1 cannot read records written as 1.0")),
                change("avro: minor changes a field's type", AVRO, orders(v1),
                        orders(v1, v("1.1", avro(ID, "{'name': 'total', 'type': 'string'}"))),
                        breaking("version 1.1 added", "version 1.1 cannot read records written as 1.0...TYPE_MISMATCH"),
                        breaking("version 1.1 added", "version 1.0 cannot read records written as 1.1...TYPE_MISMATCH")),
                change("avro: minor promotes int to long, which old readers cannot read", AVRO,
                        orders(v("1.0", avro(ID, "{'name': 'quantity', 'type': 'int'}"))),
                        orders(v("1.0", avro(ID, "{'name': 'quantity', 'type': 'int'}")),
                                v("1.1", avro(ID, "{'name': 'quantity', 'type': 'long'}"))),
                        breaking("version 1.1 added", "version 1.0 cannot read records written as 1.1")),
                change("avro: minor removes a field without a default", AVRO, orders(v1),
                        orders(v1, v("1.1", avro(ID))),
                        breaking("version 1.1 added",
                                "version 1.0 cannot read records written as 1.1...READER_FIELD_MISSING_DEFAULT_VALUE")),
                change("avro: minor removes a field with a default", AVRO, orders(v("1.0", avro(ID, TOTAL, NOTE))),
                        orders(v("1.0", avro(ID, TOTAL, NOTE)), v("1.1", avro(ID, TOTAL))),
                        compatible("version 1.1 added")),
                change("avro: minor renames a field without an alias", AVRO, orders(v1),
                        orders(v1, v("1.1", avro(ID, "{'name': 'amount', 'type': 'double'}"))),
                        breaking("version 1.1 added", "version 1.1 cannot read records written as 1.0"),
                        breaking("version 1.1 added", "version 1.0 cannot read records written as 1.1")),
                change("avro: minor renames an optional field with an alias", AVRO,
                        orders(v("1.0", avro(ID, TOTAL, NOTE))),
                        orders(v("1.0", avro(ID, TOTAL, NOTE)), v("1.1", avro(ID, TOTAL,
                                "{'name': 'remark', 'aliases': ['note'], 'type': ['null', 'string'], 'default': null}"))),
                        compatible("version 1.1 added")),
                change("avro: minor renames a required field with an alias, which old readers cannot follow", AVRO,
                        orders(v1),
                        orders(v1, v("1.1", avro(ID, "{'name': 'amount', 'aliases': ['total'], 'type': 'double'}"))),
                        breaking("version 1.1 added", "version 1.0 cannot read records written as 1.1")),
                change("avro: minor adds an enum symbol, the old reader has an enum default", AVRO,
                        orders(v("1.0", avro(ID, status.formatted(", 'default': 'NEW'")))),
                        orders(v("1.0", avro(ID, status.formatted(", 'default': 'NEW'"))),
                                v("1.1", avro(ID, statusMore.formatted(", 'default': 'NEW'")))),
                        compatible("version 1.1 added")),
                change("avro: minor adds an enum symbol without an enum default", AVRO,
                        orders(v("1.0", avro(ID, status.formatted("")))),
                        orders(v("1.0", avro(ID, status.formatted(""))), v("1.1", avro(ID, statusMore.formatted("")))),
                        breaking("version 1.1 added", "version 1.0 cannot read records written as 1.1...MISSING_ENUM_SYMBOLS")),
                change("avro: minor adds an enum symbol and an enum default the old reader lacks", AVRO,
                        orders(v("1.0", avro(ID, status.formatted("")))),
                        orders(v("1.0", avro(ID, status.formatted(""))),
                                v("1.1", avro(ID, statusMore.formatted(", 'default': 'NEW'")))),
                        breaking("version 1.1 added", "MISSING_ENUM_SYMBOLS")),
                change("avro: minor changes a field's default", AVRO,
                        orders(v("1.0", avro(ID, "{'name': 'currency', 'type': 'string', 'default': 'EUR'}"))),
                        orders(v("1.0", avro(ID, "{'name': 'currency', 'type': 'string', 'default': 'EUR'}")),
                                v("1.1", avro(ID, "{'name': 'currency', 'type': 'string', 'default': 'USD'}"))),
                        compatible("version 1.1 added")),
                change("avro: a field's default changed in place", AVRO,
                        orders(v("1.0", avro(ID, "{'name': 'currency', 'type': 'string', 'default': 'EUR'}"))),
                        orders(v("1.0", avro(ID, "{'name': 'currency', 'type': 'string', 'default': 'USD'}"))),
                        breaking("version 1.0 changed in place (schema)", "a published version is immutable")),
                change("avro: a field alias added in place (Avro's Schema.equals ignores aliases)", AVRO, orders(v1),
                        orders(v("1.0", avro(ID, "{'name': 'total', 'aliases': ['amount'], 'type': 'double'}"))),
                        breaking("version 1.0 changed in place (schema)")),
                change("avro: an enum default changed in place (Avro's Schema.equals ignores it)", AVRO,
                        orders(v("1.0", avro(ID, status.formatted(", 'default': 'NEW'")))),
                        orders(v("1.0", avro(ID, status.formatted(", 'default': 'PAID'")))),
                        breaking("version 1.0 changed in place (schema)")),
                change("avro: minor reads the previous minor but not the first", AVRO,
                        orders(v1, v("1.1", avro(ID, TOTAL, NOTE))),
                        orders(v1, v("1.1", avro(ID, TOTAL, NOTE)),
                                v("1.2", avro(ID, TOTAL, "{'name': 'note', 'type': ['null', 'string']}"))),
                        breaking("version 1.2 added", "version 1.2 cannot read records written as 1.0")),
                change("avro: minor adds a domain rule", AVRO, orders(v1),
                        orders(v1, v("1.1", avro(ID, TOTAL, NOTE)).domain(POSITIVE)),
                        compatible("version 1.1 added")),
                change("avro: major with UPGRADE and DOWNGRADE rules", AVRO, orders(v1),
                        orders(v1, v2.migrations(UP, DOWN)),
                        compatible("version 2.0 added", "major step 1 -> 2 with UPGRADE (up) and DOWNGRADE (down)")),
                change("avro: major with one UPDOWN rule", AVRO, orders(v1),
                        orders(v1, v2.migrations(rule("both", "TRANSFORM", "UPDOWN", "$merge([$, {}])"))),
                        compatible("version 2.0 added", "UPGRADE (both) and DOWNGRADE (both)")),
                change("avro: major without a DOWNGRADE rule", AVRO, orders(v1), orders(v1, v2.migrations(UP)),
                        breaking("version 2.0 added", "major step 1 -> 2 has no DOWNGRADE rule")),
                change("avro: major whose DOWNGRADE rule is disabled", AVRO, orders(v1),
                        orders(v1, v2.migrations(UP, DOWN.replace(" }", ", disabled: true }"))),
                        breaking("version 2.0 added", "has no DOWNGRADE rule")),
                change("avro: major without migration rules", AVRO, orders(v1), orders(v1, v2),
                        breaking("version 2.0 added", "has no UPGRADE rule"),
                        breaking("version 2.0 added", "has no DOWNGRADE rule")),
                change("avro: DOWNGRADE rule removed in place from a published major", AVRO,
                        orders(v1, v2.migrations(UP, DOWN)), orders(v1, v2.migrations(UP)),
                        breaking("version 2.0 changed in place (migration rules down)"),
                        breaking("version 2.0", "has no DOWNGRADE rule")),
                change("avro: a migration rule's expression changed in place", AVRO,
                        orders(v1, v2.migrations(UP, DOWN)),
                        orders(v1, v2.migrations(rule("up", "TRANSFORM", "UPGRADE", "$merge([$, {'amount': total}])"),
                                DOWN)),
                        breaking("version 2.0 changed in place (migration rules up)")),
                change("avro: a domain rule changed in place", AVRO, orders(v1.domain(POSITIVE)),
                        orders(v1.domain(rule("totalIsPositive", "CONDITION", "WRITE", "total >= 0"))),
                        breaking("version 1.0 changed in place (domain rules totalIsPositive)")),
                change("avro: a minor version removed", AVRO, orders(v1, v("1.1", avro(ID, TOTAL, NOTE))), orders(v1),
                        breaking("version 1.1 removed", "can no longer be read")),
                change("avro: product renamed on the same topic", AVRO, orders(v1),
                        orders(v1).product("sales.orders"),
                        breaking("product renamed to sales.orders")),
                change("avro: a topic removed", AVRO, orders(v1).topics("shop.orders", "shop.orders.eu"), orders(v1),
                        breaking("topic shop.orders.eu removed")),
                change("avro: product added with a minor step of its own that breaks", AVRO, List.of(orders(v1)),
                        List.of(orders(v1), refunds(v("1.0", avro(ID)),
                                v("1.1", avro(ID, "{'name': 'reason', 'type': 'string'}")))),
                        compatible("product added"),
                        breaking("version 1.1", "version 1.1 cannot read records written as 1.0")));
    }

    private static Stream<Case> protobufCases() {
        FieldDescriptorProto id = field("id", 1, Type.TYPE_STRING);
        FieldDescriptorProto note = field("note", 2, Type.TYPE_STRING);
        VersionSpec v1 = v("1.0", proto(id, note));
        VersionSpec v2 = v("2.0", proto("shop.v2", List.of(), List.of(), "proto3", id, field("memo", 2, Type.TYPE_STRING)));
        DescriptorProto address = message("Address", field("city", 1, Type.TYPE_STRING));
        DescriptorProto addressCityNumber = message("Address", field("city", 1, Type.TYPE_INT32));
        FieldDescriptorProto addressField = typed("address", 3, Type.TYPE_MESSAGE, ".shop.v1.Address");
        FieldDescriptorProto statusField = typed("status", 3, Type.TYPE_ENUM, ".shop.v1.Status");
        return Stream.of(
                change("protobuf: nothing changed", PROTOBUF, orders(v1), orders(v("1.0", proto(id, note)))),
                change("protobuf: minor adds a field with a new number", PROTOBUF, orders(v1),
                        orders(v1, v("1.1", proto(id, note, field("quantity", 3, Type.TYPE_INT64)))),
                        compatible("version 1.1 added", "minor step from 1.0")),
                change("protobuf: minor removes a field", PROTOBUF, orders(v1), orders(v1, v("1.1", proto(id))),
                        compatible("version 1.1 added")),
                change("protobuf: minor changes a field's type", PROTOBUF, orders(v1),
                        orders(v1, v("1.1", proto(id, field("note", 2, Type.TYPE_INT64)))),
                        breaking("version 1.1 added", "field 'note' (2) changed type from string to int64"),
                        breaking("version 1.1 added", "field 'note' (2) changed type from int64 to string")),
                change("protobuf: minor widens int32 to int64, the same wire type", PROTOBUF,
                        orders(v("1.0", proto(id, field("quantity", 2, Type.TYPE_INT32)))),
                        orders(v("1.0", proto(id, field("quantity", 2, Type.TYPE_INT32))),
                                v("1.1", proto(id, field("quantity", 2, Type.TYPE_INT64)))),
                        compatible("version 1.1 added")),
                change("protobuf: minor reuses a field number for another field", PROTOBUF, orders(v1),
                        orders(v1, v("1.1", proto(id, field("quantity", 2, Type.TYPE_INT64)))),
                        breaking("version 1.1 added", "field number 2 is 'note' in one version and 'quantity'"),
                        breaking("version 1.1 added", "field number 2 is 'quantity' in one version and 'note'")),
                change("protobuf: minor renames a field and keeps its number", PROTOBUF, orders(v1),
                        orders(v1, v("1.1", proto(id, field("remark", 2, Type.TYPE_STRING)))),
                        breaking("version 1.1 added", "field number 2"),
                        breaking("version 1.1 added", "field number 2")),
                change("protobuf: minor turns a singular field repeated", PROTOBUF, orders(v1),
                        orders(v1, v("1.1", proto(id, repeated("note", 2, Type.TYPE_STRING)))),
                        breaking("version 1.1 added", "changed between repeated and singular"),
                        breaking("version 1.1 added", "changed between repeated and singular")),
                change("protobuf: minor changes a nested message's field type", PROTOBUF,
                        orders(v("1.0", proto("shop.v1", List.of(address), List.of(), "proto3", id, addressField))),
                        orders(v("1.0", proto("shop.v1", List.of(address), List.of(), "proto3", id, addressField)),
                                v("1.1", proto("shop.v1", List.of(addressCityNumber), List.of(), "proto3", id,
                                        addressField))),
                        breaking("version 1.1 added", "field 'address.city' (1) changed type from string to int32"),
                        breaking("version 1.1 added", "field 'address.city' (1) changed type from int32 to string")),
                change("protobuf: minor adds a proto2 required field", PROTOBUF,
                        orders(v("1.0", proto("shop.v1", List.of(), List.of(), "proto2", id))),
                        orders(v("1.0", proto("shop.v1", List.of(), List.of(), "proto2", id)),
                                v("1.1", proto("shop.v1", List.of(), List.of(), "proto2", id,
                                        required("currency", 2, Type.TYPE_STRING)))),
                        breaking("version 1.1 added", "required field 'currency' (2) is missing on the other side")),
                change("protobuf: minor adds an enum value", PROTOBUF,
                        orders(v("1.0", proto("shop.v1", List.of(), List.of(enumType("Status", "UNKNOWN", "NEW", "PAID")),
                                "proto3", id, statusField))),
                        orders(v("1.0", proto("shop.v1", List.of(), List.of(enumType("Status", "UNKNOWN", "NEW", "PAID")),
                                        "proto3", id, statusField)),
                                v("1.1", proto("shop.v1", List.of(),
                                        List.of(enumType("Status", "UNKNOWN", "NEW", "PAID", "REFUNDED")), "proto3", id,
                                        statusField))),
                        compatible("version 1.1 added")),
                change("protobuf: minor reuses the number an earlier minor removed", PROTOBUF,
                        orders(v1, v("1.1", proto(id))),
                        orders(v1, v("1.1", proto(id)), v("1.2", proto(id, field("quantity", 2, Type.TYPE_INT64)))),
                        breaking("version 1.2 added", "version 1.2 cannot read records written as 1.0...field number 2"),
                        breaking("version 1.2 added", "version 1.0 cannot read records written as 1.2...field number 2")),
                change("protobuf: a published version's message changed in place", PROTOBUF, orders(v1),
                        orders(v("1.0", proto(id, note, field("quantity", 3, Type.TYPE_INT64)))),
                        breaking("version 1.0 changed in place (schema)")),
                change("protobuf: major with UPGRADE and DOWNGRADE rules", PROTOBUF, orders(v1),
                        orders(v1, v2.migrations(UP, DOWN)),
                        compatible("version 2.0 added", "major step 1 -> 2 with UPGRADE (up) and DOWNGRADE (down)")),
                change("protobuf: major without an UPGRADE rule", PROTOBUF, orders(v1), orders(v1, v2.migrations(DOWN)),
                        breaking("version 2.0 added", "major step 1 -> 2 has no UPGRADE rule")),
                change("protobuf: a major version removed", PROTOBUF, orders(v1, v2.migrations(UP, DOWN)), orders(v1),
                        breaking("version 2.0 removed")),
                change("protobuf: a topic added", PROTOBUF, orders(v1), orders(v1).topics("shop.orders", "shop.orders.eu"),
                        compatible("topic shop.orders.eu added")),
                change("protobuf: owner changed", PROTOBUF, orders(v1), orders(v1).owner("sales-team@example.com"),
                        compatible("owner changed from 'shop-team@example.com' to 'sales-team@example.com'",
                                "metadata only")),
                change("protobuf: product removed", PROTOBUF, List.of(orders(v1), refunds(v1)), List.of(orders(v1)),
                        breaking("product removed", "[shop.refunds]")));
    }

    private static Stream<Case> jsonCases() {
        String id = "'id': {'type': 'string'}";
        String total = "'total': {'type': 'number'}";
        VersionSpec v1 = v("1.0", json("'required': ['id'], 'properties': {" + id + ", " + total + "}"));
        VersionSpec v2 = v("2.0", json("'required': ['id'], 'properties': {" + id + ", 'amount': {'type': 'number'}}"));
        String address = "'address': {'type': 'object', 'properties': {'city': {'type': '%s'}}}";
        String tags = "'tags': {'type': 'array', 'items': {'type': '%s'}}";
        return Stream.of(
                change("json: nothing changed", JSON, orders(v1), orders(v1)),
                change("json: schema moved from inline to a file, unchanged", JSON, orders(v1),
                        orders(v("1.0", new JsonFile("order-v1.schema.json", ((Json) v1.schema()).definition())))),
                change("json: minor adds an optional property", JSON, orders(v1),
                        orders(v1, v("1.1", json("'required': ['id'], 'properties': {" + id + ", " + total
                                + ", 'note': {'type': 'string'}}"))),
                        compatible("version 1.1 added", "minor step from 1.0")),
                change("json: minor removes an optional property of an open schema", JSON, orders(v1),
                        orders(v1, v("1.1", json("'required': ['id'], 'properties': {" + id + "}"))),
                        compatible("version 1.1 added")),
                change("json: minor makes a property required", JSON, orders(v1),
                        orders(v1, v("1.1", json("'required': ['id', 'total'], 'properties': {" + id + ", " + total + "}"))),
                        breaking("version 1.1 added", "version 1.1 cannot read records written as 1.0...field 'total' is"
                                + " required on one side but not on the other")),
                change("json: minor removes a required property", JSON,
                        orders(v("1.0", json("'required': ['id', 'total'], 'properties': {" + id + ", " + total + "}"))),
                        orders(v("1.0", json("'required': ['id', 'total'], 'properties': {" + id + ", " + total + "}")),
                                v("1.1", json("'required': ['id'], 'properties': {" + id + "}"))),
                        breaking("version 1.1 added", "version 1.0 cannot read records written as 1.1...field 'total'")),
                change("json: minor changes a property's type", JSON, orders(v1),
                        orders(v1, v("1.1", json("'required': ['id'], 'properties': {" + id
                                + ", 'total': {'type': 'string'}}"))),
                        breaking("version 1.1 added", "field 'total' changed type from number to string"),
                        breaking("version 1.1 added", "field 'total' changed type from string to number")),
                change("json: minor widens integer to number, which old readers reject", JSON,
                        orders(v("1.0", json("'properties': {'quantity': {'type': 'integer'}}"))),
                        orders(v("1.0", json("'properties': {'quantity': {'type': 'integer'}}")),
                                v("1.1", json("'properties': {'quantity': {'type': 'number'}}"))),
                        breaking("version 1.1 added",
                                "version 1.0 cannot read records written as 1.1...field 'quantity' changed type")),
                change("json: minor adds a property the old closed schema forbids", JSON,
                        orders(v("1.0", json("'additionalProperties': false, 'properties': {" + id + "}"))),
                        orders(v("1.0", json("'additionalProperties': false, 'properties': {" + id + "}")),
                                v("1.1", json("'additionalProperties': false, 'properties': {" + id
                                        + ", 'note': {'type': 'string'}}"))),
                        breaking("version 1.1 added", "field 'note' exists on one side but the other forbids it")),
                change("json: minor changes a nested property's type", JSON,
                        orders(v("1.0", json("'properties': {" + id + ", " + address.formatted("string") + "}"))),
                        orders(v("1.0", json("'properties': {" + id + ", " + address.formatted("string") + "}")),
                                v("1.1", json("'properties': {" + id + ", " + address.formatted("integer") + "}"))),
                        breaking("version 1.1 added", "field 'address.city' changed type from string to integer"),
                        breaking("version 1.1 added", "field 'address.city' changed type from integer to string")),
                change("json: minor changes an array's item type", JSON,
                        orders(v("1.0", json("'properties': {" + id + ", " + tags.formatted("string") + "}"))),
                        orders(v("1.0", json("'properties': {" + id + ", " + tags.formatted("string") + "}")),
                                v("1.1", json("'properties': {" + id + ", " + tags.formatted("integer") + "}"))),
                        breaking("version 1.1 added", "field 'tags[]' changed type"),
                        breaking("version 1.1 added", "field 'tags[]' changed type")),
                change("json: migration rules on a minor of the first major", JSON, orders(v1),
                        orders(v1, v("1.1", ((Json) v1.schema())).migrations(UP, DOWN)),
                        breaking("version 1.1 added", "is in the first major, which has nothing to migrate from")),
                change("json: migration rules on a later minor of a major", JSON, orders(v1, v2.migrations(UP, DOWN)),
                        orders(v1, v2.migrations(UP, DOWN), v("2.1", v2.schema()).migrations(UP, DOWN)),
                        breaking("version 2.1 added", "migration rules belong to the first version of major 2 (2.0)")),
                change("json: major with UPGRADE and DOWNGRADE rules", JSON, orders(v1),
                        orders(v1, v2.migrations(UP, DOWN)),
                        compatible("version 2.0 added", "with UPGRADE (up) and DOWNGRADE (down) migration rules")),
                change("json: major without a DOWNGRADE rule", JSON, orders(v1), orders(v1, v2.migrations(UP)),
                        breaking("version 2.0 added", "major step 1 -> 2 has no DOWNGRADE rule")),
                change("json: a published version's schema changed in place", JSON, orders(v1),
                        orders(v("1.0", json("'required': ['id', 'total'], 'properties': {" + id + ", " + total + "}"))),
                        breaking("version 1.0 changed in place (schema)")),
                change("json: schema and domain rules changed in place", JSON, orders(v1.domain(POSITIVE)),
                        orders(v("1.0", json("'required': ['id'], 'properties': {" + id + "}"))),
                        breaking("version 1.0 changed in place (schema, domain rules totalIsPositive)")),
                change("json: a topic renamed", JSON, orders(v1), orders(v1).topics("shop.orders-placed"),
                        breaking("topic renamed from shop.orders to shop.orders-placed")),
                change("json: product added", JSON, List.of(orders(v1)), List.of(orders(v1), refunds(v1)),
                        compatible("product added", "nothing depended on it before")),
                change("json: description, tags, SLA and dead-letter topic changed", JSON, orders(v1),
                        orders(v1).metadata("""
                                description: Orders as placed at checkout.
                                tags: [revenue]
                                sla: { freshness: 30s, quality: 99.9% }
                                dlq: { topic: shop.orders.dead }
                                """),
                        compatible("description changed from none to 'Orders as placed at checkout.'"),
                        compatible("tags changed from [] to [revenue]"),
                        compatible("sla changed"),
                        compatible("dead-letter topic changed from <topic>.dlq to shop.orders.dead")));
    }

    // ---------------------------------------------------------------------------------------------
    // Running a case

    private static List<Change> diff(Case corpusCase, Path directory) throws IOException {
        Path before = write(directory.resolve("old"), corpusCase.before());
        Path after = write(directory.resolve("new"), corpusCase.after());
        return ContractDiff.between(load(before), load(after));
    }

    /** As {@code kontract diff} loads each side: every check but those between versions. */
    private static Collection<DataContract> load(Path directory) {
        return new ContractLoader(RuleEngine.defaults(), ContractDiffCorpusTest.class.getClassLoader())
                .withoutStepChecks().load(directory.toString()).contracts();
    }

    private static Path write(Path directory, List<ContractSpec> contracts) throws IOException {
        Files.createDirectories(directory);
        for (ContractSpec contract : contracts) {
            StringBuilder yaml = new StringBuilder()
                    .append("product: ").append(contract.product()).append('\n')
                    .append("owner: ").append(contract.owner()).append('\n')
                    .append("topics: [").append(String.join(", ", contract.topics())).append("]\n")
                    .append(contract.metadata())
                    .append("versions:\n");
            for (VersionSpec version : contract.versions()) {
                yaml.append("  - version: \"").append(version.version()).append("\"\n")
                        .append("    schema: ").append(schema(directory, contract.product(), version)).append('\n');
                if (!version.migrationRules().isEmpty() || !version.domainRules().isEmpty()) {
                    yaml.append("    ruleSet:\n");
                    rules(yaml, "migrationRules", version.migrationRules());
                    rules(yaml, "domainRules", version.domainRules());
                }
            }
            Files.writeString(directory.resolve(contract.product() + ".yaml"), yaml);
        }
        return directory;
    }

    private static String schema(Path directory, String product, VersionSpec version) throws IOException {
        SchemaSpec schema = version.schema();
        if (schema instanceof Avro avro) {
            return "{ type: AVRO, definition: '" + avro.definition() + "' }";
        }
        if (schema instanceof Json json) {
            return "{ type: JSON, definition: '" + json.definition() + "' }";
        }
        if (schema instanceof JsonFile json) {
            Files.writeString(directory.resolve(json.file()), json.definition());
            return "{ type: JSON, file: " + json.file() + " }";
        }
        Proto proto = (Proto) schema;
        String file = product + "-" + version.version() + ".desc";
        Files.write(directory.resolve(file), FileDescriptorSet.newBuilder().addFile(proto.file()).build().toByteArray());
        return "{ type: PROTOBUF, file: " + file + ", message: " + proto.message() + " }";
    }

    private static void rules(StringBuilder yaml, String kind, List<String> rules) {
        if (!rules.isEmpty()) {
            yaml.append("      ").append(kind).append(":\n");
            rules.forEach(rule -> yaml.append("        - ").append(rule).append('\n'));
        }
    }

    /** Whether each change meets exactly one expectation and each expectation exactly one change. */
    private static boolean matchExactly(List<Change> changes, List<Expect> expected) {
        return changes.size() == expected.size() && assign(changes, expected, 0, new boolean[expected.size()]);
    }

    private static boolean assign(List<Change> changes, List<Expect> expected, int next, boolean[] used) {
        if (next == changes.size()) {
            return true;
        }
        for (int i = 0; i < expected.size(); i++) {
            if (!used[i] && expected.get(i).matches(changes.get(next))) {
                used[i] = true;
                if (assign(changes, expected, next + 1, used)) {
                    return true;
                }
                used[i] = false;
            }
        }
        return false;
    }

    private static String lines(List<?> items) {
        return items.isEmpty() ? "  (none)" : items.stream().map(item -> "  " + item).collect(Collectors.joining("\n"));
    }

    // ---------------------------------------------------------------------------------------------
    // Avro's own verdict on minor steps

    /** A version the new state adds above others of its major, in a product of the new state. */
    private record MinorStep(String product, boolean productExisted, VersionSpec added, List<VersionSpec> lower) {}

    private static List<MinorStep> minorSteps(Case corpusCase) {
        List<MinorStep> steps = new ArrayList<>();
        for (ContractSpec contract : corpusCase.after()) {
            Optional<ContractSpec> old = corpusCase.before().stream()
                    .filter(previous -> previous.product().equals(contract.product())).findFirst();
            List<String> published = old.map(previous -> previous.versions().stream().map(VersionSpec::version).toList())
                    .orElse(List.of());
            for (VersionSpec version : contract.versions()) {
                if (published.contains(version.version())) {
                    continue;
                }
                Version added = Version.parse(version.version());
                List<VersionSpec> lower = contract.versions().stream()
                        .filter(other -> {
                            Version v = Version.parse(other.version());
                            return v.sameMajor(added) && v.compareTo(added) < 0;
                        })
                        .toList();
                if (!lower.isEmpty()) {
                    steps.add(new MinorStep(contract.product(), old.isPresent(), version, lower));
                }
            }
        }
        return steps;
    }

    private static Schema avroSchema(VersionSpec version) {
        return new Schema.Parser().parse(((Avro) version.schema()).definition());
    }

    private static void check(Schema reader, Schema writer, String direction, List<String> incompatible) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.INCOMPATIBLE) {
            incompatible.add(direction + ": " + result.getDescription());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The corpus's vocabulary

    /** One change between two states, what {@link ContractDiff} must report, in any order. */
    record Case(String name, SchemaType format, List<ContractSpec> before, List<ContractSpec> after,
            List<Expect> expected) {

        boolean breaking() {
            return expected.stream().anyMatch(expect -> expect.classification() == Classification.BREAKING);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A change reported with this classification, its change text holding {@code change} and its reason
     * the parts of {@code reason} (separated by {@code ...}) in that order.
     */
    record Expect(Classification classification, String change, String reason) {

        boolean matches(Change actual) {
            if (actual.classification() != classification || !actual.change().contains(change)) {
                return false;
            }
            int from = 0;
            for (String part : reason == null ? new String[0] : reason.split("\\.\\.\\.")) {
                int at = actual.reason().indexOf(part, from);
                if (at < 0) {
                    return false;
                }
                from = at + part.length();
            }
            return true;
        }

        @Override
        public String toString() {
            return classification + " " + change + (reason == null ? "" : ": ..." + reason + "...");
        }
    }

    record ContractSpec(String product, String owner, List<String> topics, String metadata, List<VersionSpec> versions) {

        ContractSpec product(String name) {
            return new ContractSpec(name, owner, topics, metadata, versions);
        }

        ContractSpec owner(String email) {
            return new ContractSpec(product, email, topics, metadata, versions);
        }

        ContractSpec topics(String... names) {
            return new ContractSpec(product, owner, List.of(names), metadata, versions);
        }

        ContractSpec metadata(String yaml) {
            return new ContractSpec(product, owner, topics, yaml, versions);
        }
    }

    record VersionSpec(String version, SchemaSpec schema, List<String> migrationRules, List<String> domainRules) {

        VersionSpec migrations(String... rules) {
            return new VersionSpec(version, schema, List.of(rules), domainRules);
        }

        VersionSpec domain(String... rules) {
            return new VersionSpec(version, schema, migrationRules, List.of(rules));
        }
    }

    sealed interface SchemaSpec permits Avro, Json, JsonFile, Proto {

        SchemaType type();
    }

    record Avro(String definition) implements SchemaSpec {

        @Override
        public SchemaType type() {
            return AVRO;
        }
    }

    record Json(String definition) implements SchemaSpec {

        @Override
        public SchemaType type() {
            return JSON;
        }
    }

    /** A JSON Schema in a file beside the contract. */
    record JsonFile(String file, String definition) implements SchemaSpec {

        @Override
        public SchemaType type() {
            return JSON;
        }
    }

    /** A message of a descriptor set, written beside the contract as {@code PRODUCT-VERSION.desc}. */
    record Proto(FileDescriptorProto file, String message) implements SchemaSpec {

        @Override
        public SchemaType type() {
            return PROTOBUF;
        }
    }

    private static Case change(String name, SchemaType format, ContractSpec before, ContractSpec after,
            Expect... expected) {
        return change(name, format, List.of(before), List.of(after), expected);
    }

    private static Case change(String name, SchemaType format, List<ContractSpec> before, List<ContractSpec> after,
            Expect... expected) {
        return new Case(name, format, before, after, List.of(expected));
    }

    private static Expect compatible(String change) {
        return new Expect(Classification.COMPATIBLE, change, null);
    }

    private static Expect compatible(String change, String reason) {
        return new Expect(Classification.COMPATIBLE, change, reason);
    }

    private static Expect breaking(String change) {
        return new Expect(Classification.BREAKING, change, null);
    }

    private static Expect breaking(String change, String reason) {
        return new Expect(Classification.BREAKING, change, reason);
    }

    private static ContractSpec orders(VersionSpec... versions) {
        return new ContractSpec("shop.orders", "shop-team@example.com", List.of("shop.orders"), "", List.of(versions));
    }

    private static ContractSpec refunds(VersionSpec... versions) {
        return new ContractSpec("shop.refunds", "shop-team@example.com", List.of("shop.refunds"), "", List.of(versions));
    }

    private static VersionSpec v(String version, SchemaSpec schema) {
        return new VersionSpec(version, schema, List.of(), List.of());
    }

    private static String rule(String name, String kind, String mode, String expr) {
        return "{ name: " + name + ", kind: " + kind + ", type: JSONATA, mode: " + mode + ", expr: \"" + expr + "\" }";
    }

    /** An Avro record {@code shop.Order} with these fields, written with ' for ". */
    private static Avro avro(String... fields) {
        return new Avro(("{'type': 'record', 'name': 'Order', 'namespace': 'shop', 'fields': ["
                + String.join(", ", fields) + "]}").replace('\'', '"'));
    }

    /** A JSON Schema object titled Order with these keywords, written with ' for ". */
    private static Json json(String keywords) {
        return new Json(("{'title': 'Order', 'type': 'object', " + keywords + "}").replace('\'', '"'));
    }

    /** Message {@code shop.v1.Order} with these fields in a proto3 file. */
    private static Proto proto(FieldDescriptorProto... fields) {
        return proto("shop.v1", List.of(), List.of(), "proto3", fields);
    }

    /** Message {@code PACKAGE.Order} with these fields, beside the other messages and enums of its file. */
    private static Proto proto(String protoPackage, List<DescriptorProto> messages, List<EnumDescriptorProto> enums,
            String syntax, FieldDescriptorProto... fields) {
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("shop/order.proto").setPackage(protoPackage).setSyntax(syntax)
                .addMessageType(message("Order", fields)).addAllMessageType(messages).addAllEnumType(enums)
                .build();
        return new Proto(file, protoPackage + ".Order");
    }

    private static DescriptorProto message(String name, FieldDescriptorProto... fields) {
        return DescriptorProto.newBuilder().setName(name).addAllField(List.of(fields)).build();
    }

    private static EnumDescriptorProto enumType(String name, String... values) {
        return EnumDescriptorProto.newBuilder().setName(name)
                .addAllValue(IntStream.range(0, values.length)
                        .mapToObj(i -> EnumValueDescriptorProto.newBuilder().setName(values[i]).setNumber(i).build())
                        .toList())
                .build();
    }

    private static FieldDescriptorProto field(String name, int number, Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(Label.LABEL_OPTIONAL).build();
    }

    private static FieldDescriptorProto repeated(String name, int number, Type type) {
        return field(name, number, type).toBuilder().setLabel(Label.LABEL_REPEATED).build();
    }

    private static FieldDescriptorProto required(String name, int number, Type type) {
        return field(name, number, type).toBuilder().setLabel(Label.LABEL_REQUIRED).build();
    }

    private static FieldDescriptorProto typed(String name, int number, Type type, String typeName) {
        return field(name, number, type).toBuilder().setTypeName(typeName).build();
    }
}
