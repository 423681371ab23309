package dev.kontract.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import dev.kontract.core.DataContract;
import dev.kontract.core.load.ContractLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RoundTrip} over the three formats: a person whose {@code name} becomes {@code label} in 2.0.
 * Renaming both ways round-trips; dropping {@code email} in 2.0 does not, and says where; a rule that
 * errors is reported as such; the reverse trip's losses are listed, not failed.
 */
class RoundTripTest {

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"AVRO", "PROTOBUF", "JSON"})
    void aRenameBothWaysRoundTrips(String format) throws IOException {
        DataContract contract = contract(format, true, "{'id': id, 'label': name, 'email': email}",
                "{'id': id, 'name': label, 'email': email}");

        List<RoundTrip.StepReport> reports = new RoundTrip(contract).verify(300, 11);

        assertThat(reports).singleElement().satisfies(report -> {
            assertThat(report.step()).isEqualTo("1.0 -> 2.0");
            assertThat(report.upgradeRules()).containsExactly("up");
            assertThat(report.downgradeRules()).containsExactly("down");
            assertThat(report.records()).isEqualTo(300);
            assertThat(report.failures()).isEmpty();
            assertThat(report.lossyFields()).isEmpty();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"AVRO", "PROTOBUF", "JSON"})
    void aDroppedFieldFailsTheStepAtThatField_andTheReverseTripLosesNothingItHas(String format) throws IOException {
        DataContract contract = contract(format, false, "{'id': id, 'label': name}", "{'id': id, 'name': label}");

        RoundTrip.StepReport report = new RoundTrip(contract).verify(300, 11).get(0);

        assertThat(report.failures()).singleElement().asString()
                .matches("\\d+ of 300 records: does not come back equal after UPGRADE then DOWNGRADE at field email");
        assertThat(report.lossyFields()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"AVRO", "PROTOBUF", "JSON"})
    void whatOnlyTheHigherVersionHolds_isListedAsLostOnTheReverseTrip(String format) throws IOException {
        DataContract contract = contract(format, true, "{'id': id, 'label': name}",
                "{'id': id, 'name': label}");

        RoundTrip.StepReport report = new RoundTrip(contract).verify(300, 11).get(0);

        assertThat(report.lossyFields()).containsExactly("email");
    }

    @ParameterizedTest
    @ValueSource(strings = {"AVRO", "PROTOBUF", "JSON"})
    void aRuleThatErrorsOnValidRecordsIsReported(String format) throws IOException {
        DataContract contract = contract(format, true, "name", "{'id': id, 'name': label, 'email': email}");

        RoundTrip.StepReport report = new RoundTrip(contract).verify(50, 11).get(0);

        assertThat(report.failures()).contains("50 of 50 records: rule up (UPGRADE) errors on a schema-valid record:"
                + " transform returned string, not an object");
    }

    /** Version 1.0 has id, name and email; 2.0 has id, label and, when {@code emailInV2}, email. */
    private DataContract contract(String format, boolean emailInV2, String upgrade, String downgrade) throws IOException {
        String v1 = schema(format, "v1", "name", true);
        String v2 = schema(format, "v2", "label", emailInV2);
        Files.writeString(directory.resolve("people.yaml"), """
                product: crm.people
                owner: crm@example.com
                topics: [crm.people]
                versions:
                  - version: "1.0"
                    schema: %s
                  - version: "2.0"
                    schema: %s
                    ruleSet:
                      migrationRules:
                        - { name: up, kind: TRANSFORM, type: JSONATA, mode: UPGRADE, expr: "%s" }
                        - { name: down, kind: TRANSFORM, type: JSONATA, mode: DOWNGRADE, expr: "%s" }
                """.formatted(v1, v2, upgrade, downgrade));
        return new ContractLoader().load(directory.resolve("people.yaml").toString()).contracts().iterator().next();
    }

    private String schema(String format, String version, String nameField, boolean withEmail) throws IOException {
        switch (format) {
            case "AVRO":
                return "{ type: AVRO, definition: '{\"type\": \"record\", \"name\": \"Person\", \"fields\": ["
                        + "{\"name\": \"id\", \"type\": \"long\"}, {\"name\": \"" + nameField + "\", \"type\": \"string\"}"
                        + (withEmail ? ", {\"name\": \"email\", \"type\": [\"null\", \"string\"], \"default\": null}" : "")
                        + "]}' }";
            case "JSON":
                return "{ type: JSON, definition: '{\"title\": \"Person\", \"type\": \"object\", \"required\": [\"id\", \""
                        + nameField + "\"], \"additionalProperties\": false, \"properties\": {\"id\": {\"type\": \"integer\"}, \""
                        + nameField + "\": {\"type\": \"string\"}"
                        + (withEmail ? ", \"email\": {\"type\": \"string\", \"format\": \"email\"}" : "") + "}}' }";
            default:
                DescriptorProto.Builder person = DescriptorProto.newBuilder().setName("Person")
                        .addField(field("id", 1, FieldDescriptorProto.Type.TYPE_INT64))
                        .addField(field(nameField, 2, FieldDescriptorProto.Type.TYPE_STRING));
                if (withEmail) {
                    person.addField(field("email", 3, FieldDescriptorProto.Type.TYPE_STRING));
                }
                FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("people_" + version + ".proto")
                        .setPackage("crm." + version).setSyntax("proto3").addMessageType(person).build();
                Files.write(directory.resolve(version + ".desc"),
                        FileDescriptorSet.newBuilder().addFile(file).build().toByteArray());
                return "{ type: PROTOBUF, file: " + version + ".desc, message: crm." + version + ".Person }";
        }
    }

    private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL).build();
    }
}
