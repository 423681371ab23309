package dev.kontract.core.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kontract.core.ContractCatalog;
import dev.kontract.core.ContractException;
import dev.kontract.core.DataContract;
import dev.kontract.core.RuleKind;
import dev.kontract.core.RuleMode;
import dev.kontract.core.RulePhase;
import dev.kontract.core.SchemaType;
import dev.kontract.core.Version;
import dev.kontract.core.format.AvroContractSchema;
import dev.kontract.core.format.JsonContractSchema;
import dev.kontract.core.format.ProtobufContractSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractLoaderTest {

    @TempDir
    Path dir;

    private final ContractLoader loader = new ContractLoader();

    @Test
    void load_designExampleFromClasspath() {
        ContractCatalog catalog = loader.load("classpath:contracts/");

        DataContract accounts = catalog.product("customer.accounts").orElseThrow();
        assertThat(accounts.domain()).isEqualTo("customer");
        assertThat(accounts.owner()).isEqualTo("accounts-team@example.com");
        assertThat(accounts.description()).isEqualTo("Customer account state, one event per change.");
        assertThat(accounts.topics()).containsExactly("customer.accounts");
        assertThat(accounts.tags()).containsExactly("pii");
        assertThat(accounts.sla().freshness()).contains(Duration.ofSeconds(5));
        assertThat(accounts.sla().quality().getAsDouble()).isEqualTo(0.9999, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(accounts.dlqTopic()).contains("customer.accounts.dlq");
        assertThat(accounts.versions()).extracting(v -> v.version().toString()).containsExactly("1.0", "2.0", "2.1");
        assertThat(accounts.latest().version()).isEqualTo(new Version(2, 1));
        assertThat(accounts.resolve("2").version()).isEqualTo(new Version(2, 1));
        assertThat(accounts.resolve("2.0").version()).isEqualTo(new Version(2, 0));
        assertThat(accounts.latest().schema()).isInstanceOf(AvroContractSchema.class);

        var v2 = accounts.version(new Version(2, 0)).orElseThrow();
        assertThat(v2.ruleSet().migrationRules()).extracting(r -> r.name())
                .containsExactly("changeSsnToNationalId", "changeNationalIdToSsn");
        var country = v2.ruleSet().domainRules().get(0);
        assertThat(country.kind()).isEqualTo(RuleKind.CONDITION);
        assertThat(country.mode()).isEqualTo(RuleMode.WRITEREAD);
        assertThat(country.onFailureIn(RulePhase.WRITE)).isEqualTo("DLQ");
        assertThat(country.onFailureIn(RulePhase.READ)).isEqualTo("DLQ");

        assertThat(catalog.forTopic("customer.accounts")).contains(accounts);
        assertThat(catalog.contracts()).extracting(DataContract::product)
                .containsExactlyInAnyOrder("customer.accounts", "orders.placed", "payments.settled");
    }

    @Test
    void load_jsonContractWithFileAndInlineSchemas() {
        DataContract orders = loader.load("classpath:contracts/").product("orders.placed").orElseThrow();

        assertThat(orders.domain()).isEqualTo("orders");
        assertThat(orders.dlqTopicFor("orders.placed")).isEqualTo("orders.placed.dlq");
        assertThat(orders.versions()).allSatisfy(v -> assertThat(v.schema()).isInstanceOf(JsonContractSchema.class));
        assertThat(orders.latest().schema().name()).isEqualTo("Order");
    }

    @Test
    void load_protobufByClassAndByDescriptorSet() {
        DataContract payments = loader.load("classpath:contracts/").product("payments.settled").orElseThrow();

        var v1 = (ProtobufContractSchema) payments.version(new Version(1, 0)).orElseThrow().schema();
        var v2 = (ProtobufContractSchema) payments.version(new Version(2, 0)).orElseThrow().schema();
        assertThat(v1.name()).isEqualTo("kontract.test.PaymentV1");
        assertThat(v1.messageClass()).isPresent();
        assertThat(v2.name()).isEqualTo("kontract.test.PaymentV2");
        assertThat(v2.messageClass()).isEmpty();
        assertThat(v2.descriptor().findFieldByName("national_id").getNumber()).isEqualTo(5);
    }

    @Test
    void load_singleFileSource() throws IOException {
        Path file = write("accounts.yaml", minimalContract("AVRO", "{ type: AVRO, definition: '" + AVRO_V1 + "' }"));

        DataContract contract = loader.loadFile(file);

        assertThat(contract.product()).isEqualTo("customer.accounts");
        assertThat(contract.source()).endsWith("accounts.yaml");
        assertThat(loader.load("file:" + file).product("customer.accounts")).isPresent();
        assertThat(loader.load(file.toString()).product("customer.accounts")).isPresent();
    }

    @Test
    void load_directorySkipsSchemaFilesNamedByContracts() throws IOException {
        write("account-v1.json", AVRO_V1);
        write("accounts.yaml", minimalContract("AVRO", "{ type: AVRO, file: account-v1.json }"));

        ContractCatalog catalog = loader.load(dir.toUri().toString());

        assertThat(catalog.contracts()).hasSize(1);
        assertThat(catalog.product("customer.accounts").orElseThrow().latest().schema().type()).isEqualTo(SchemaType.AVRO);
    }

    @Test
    void load_classpathDirectoryInsideJar() throws IOException {
        Path jar = dir.resolve("contracts.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            putEntry(out, "products/", null);
            putEntry(out, "products/accounts.yaml", minimalContract("AVRO", "{ type: AVRO, file: schemas/v1.avsc }"));
            putEntry(out, "products/schemas/", null);
            putEntry(out, "products/schemas/v1.avsc", AVRO_V1);
        }
        try (URLClassLoader classLoader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            ContractLoader jarLoader = new ContractLoader(dev.kontract.core.rules.RuleEngine.defaults(), classLoader);

            ContractCatalog catalog = jarLoader.load("classpath:products/");

            DataContract contract = catalog.product("customer.accounts").orElseThrow();
            assertThat(contract.source()).isEqualTo("classpath:products/accounts.yaml");
            assertThat(contract.latest().schema().name()).isEqualTo("customer.Account");
        }
    }

    @Test
    void load_minorVersionKeepsItsMajorsDomainRulesUnlessItDeclaresItsOwn() throws IOException {
        DataContract accounts = loader.load("classpath:contracts/").product("customer.accounts").orElseThrow();

        assertThat(accounts.version(new Version(2, 1)).orElseThrow().ruleSet().domainRules())
                .extracting(r -> r.name()).containsExactly("countryIsIso3166");
        assertThat(accounts.version(new Version(2, 1)).orElseThrow().ruleSet().migrationRules()).isEmpty();
        assertThat(accounts.version(new Version(1, 0)).orElseThrow().ruleSet().domainRules()).isEmpty();

        write("accounts.yaml", contractWithDomainRule("""
                        - { name: idPresent, kind: CONDITION, type: JSONATA, mode: WRITE, expr: "$exists(id)" }
                """) + """
                  - version: "1.1"
                    schema: { type: AVRO, definition: '%s' }
                  - version: "1.2"
                    schema: { type: AVRO, definition: '%s' }
                    ruleSet: { domainRules: [] }
                """.formatted(AVRO_V1, AVRO_V1));
        DataContract dropped = loader.load(dir.toString()).product("customer.accounts").orElseThrow();
        assertThat(dropped.version(new Version(1, 1)).orElseThrow().ruleSet().domainRules()).hasSize(1);
        assertThat(dropped.version(new Version(1, 2)).orElseThrow().ruleSet().domainRules()).isEmpty();
    }

    @Test
    void load_ruleOutsideTheCompiledSubset_isLoggedAsInterpreted() throws IOException {
        write("accounts.yaml", contractWithDomainRule("""
                        - { name: idHasPrefix, kind: CONDITION, type: JSONATA, mode: WRITE, expr: "$substringBefore(id, '-') = 'c'" }
                        - { name: idPresent, kind: CONDITION, type: JSONATA, mode: WRITE, expr: "$exists(id)" }
                """));
        String logged = stderrOfLoading();

        assertThat(logged)
                .contains("rule idHasPrefix of customer.accounts 1.0 runs interpreted: function $substringBefore is not"
                        + " compiled")
                .doesNotContain("rule idPresent");
    }

    @Test
    void load_jsonSchemaOutsideTheCompiledSubset_isLoggedWithTheKeyword() throws IOException {
        write("accounts.yaml", minimalContract("JSON", """
                { type: JSON, definition: { "$schema": "http://json-schema.org/draft-07/schema#", type: object,
                  properties: { id: { type: string, pattern: "^(a+)\\\\1$" } } } }""") + """
                  - version: "1.1"
                    schema: { type: JSON, definition: { type: object, properties: { id: { type: string } } } }
                """);
        String logged = stderrOfLoading();

        assertThat(logged)
                .contains("JSON Schema of customer.accounts 1.0 is validated by everit alone: 'pattern' at #/properties/id:"
                        + " RE2/J cannot run the pattern ^(a+)\\1$")
                .doesNotContain("customer.accounts 1.1");
    }

    // ---- bad input: every case names the file, the version and the field ----

    @Test
    void load_unknownField_namesFieldAndSuggests() throws IOException {
        write("accounts.yaml", minimalContract("AVRO", "{ type: AVRO, definition: '" + AVRO_V1 + "' }")
                + "onwer: someone\n");

        assertProblems("accounts.yaml: onwer: unknown field 'onwer'", "did you mean 'owner'?");
    }

    @Test
    void load_unknownRuleField_namesVersionAndPath() throws IOException {
        write("accounts.yaml", contractWithDomainRule("""
                        - name: countryIsIso3166
                          kind: CONDITION
                          type: JSONATA
                          mode: WRITE
                          expression: "country = 'DE'"
                """));

        assertProblems("accounts.yaml: version 1.0: versions[0].ruleSet.domainRules[0].expression: unknown field 'expression'",
                "accounts.yaml: version 1.0: versions[0].ruleSet.domainRules[0].expr: missing");
    }

    @Test
    void load_missingSchemaFile() throws IOException {
        write("accounts.yaml", minimalContract("AVRO", "{ type: AVRO, file: schemas/nope.avsc }"));

        assertProblems("accounts.yaml: version 1.0: versions[0].schema.file: schema file schemas/nope.avsc not found");
    }

    @Test
    void load_unparsableAvroSchema() throws IOException {
        write("accounts.yaml", minimalContract("AVRO",
                "{ type: AVRO, definition: '{\"type\": \"record\", \"name\": \"A\", \"fields\": [{\"name\": \"x\", \"type\": \"strang\"}]}' }"));

        assertProblems("accounts.yaml: version 1.0: versions[0].schema.definition: invalid Avro schema:", "strang");
    }

    @Test
    void load_unparsableJsonSchema() throws IOException {
        write("orders.yaml", minimalContract("JSON", "{ type: JSON, definition: { type: object, properties: { a: { type: 7 } } } }"));

        assertProblems("orders.yaml: version 1.0: versions[0].schema.definition: invalid JSON Schema");
    }

    @Test
    void load_missingProtobufClass() throws IOException {
        write("payments.yaml", minimalContract("PROTOBUF", "{ type: PROTOBUF, class: com.example.Missing }"));

        assertProblems("payments.yaml: version 1.0: versions[0].schema.class: Protobuf message class com.example.Missing is not on the classpath");
    }

    @Test
    void load_protobufMessageMissingFromDescriptorSet() throws IOException {
        Files.copy(Path.of("target/test-classes/contracts/schemas/test-schemas.desc"), dir.resolve("set.desc"));
        write("payments.yaml", minimalContract("PROTOBUF", "{ type: PROTOBUF, file: set.desc, message: kontract.test.Nope }"));

        assertProblems("payments.yaml: version 1.0: versions[0].schema.file: set.desc: message kontract.test.Nope is not in the descriptor set",
                "kontract.test.PaymentV1");
    }

    @Test
    void load_badJsonata_namesRuleAndPosition() throws IOException {
        write("accounts.yaml", contractWithDomainRule("""
                        - name: countryIsIso3166
                          kind: CONDITION
                          type: JSONATA
                          mode: WRITE
                          expr: "$contains(country, "
                """));

        ContractException error = loadFails();
        assertThat(lines(error).get(0))
                .startsWith("accounts.yaml: version 1.0: versions[0].ruleSet.domainRules[0].expr: rule countryIsIso3166:"
                        + " invalid JSONata expression at line 1, column ");
    }

    @Test
    void load_duplicateVersion() throws IOException {
        write("accounts.yaml", """
                product: customer.accounts
                owner: team@example.com
                topics: [customer.accounts]
                versions:
                  - version: "1.0"
                    schema: { type: AVRO, definition: '%s' }
                  - version: "1.0"
                    schema: { type: AVRO, definition: '%s' }
                """.formatted(AVRO_V1, AVRO_V1));

        assertProblems("accounts.yaml: version 1.0: versions[1].version: duplicate version 1.0 (also at versions[0])");
    }

    @Test
    void load_unquotedAndMalformedVersions() throws IOException {
        write("accounts.yaml", """
                product: customer.accounts
                owner: team@example.com
                topics: [customer.accounts]
                versions:
                  - version: 1.10
                    schema: { type: AVRO, definition: '%s' }
                  - version: "v2"
                    schema: { type: AVRO, definition: '%s' }
                """.formatted(AVRO_V1, AVRO_V1));

        assertProblems("versions[0].version: write the version as a quoted string",
                "accounts.yaml: version v2: versions[1].version: 'v2' is not a version of the form MAJOR.MINOR");
    }

    @Test
    void load_ruleNamesMustBeWellFormedAndUnique() throws IOException {
        write("accounts.yaml", contractWithDomainRule("""
                        - name: "1st rule"
                          kind: CONDITION
                          type: JSONATA
                          mode: WRITE
                          expr: "true"
                        - name: same
                          kind: CONDITION
                          type: JSONATA
                          mode: WRITE
                          expr: "true"
                        - name: same
                          kind: CONDITION
                          type: JSONATA
                          mode: READ
                          expr: "true"
                """));

        assertProblems("accounts.yaml: version 1.0: versions[0].ruleSet.domainRules[0].name: '1st rule' is not a rule name",
                "accounts.yaml: version 1.0: versions[0].ruleSet.domainRules[2].name: duplicate rule name same"
                        + " (also at versions[0].ruleSet.domainRules[1])");
    }

    @Test
    void load_wrongModeForRuleList() throws IOException {
        write("accounts.yaml", contractWithDomainRule("""
                        - name: upgradeInDomainRules
                          kind: TRANSFORM
                          type: JSONATA
                          mode: UPGRADE
                          expr: "$"
                """));

        assertProblems("accounts.yaml: version 1.0: versions[0].ruleSet.domainRules[0].mode: domain rules run on WRITE,"
                + " READ or WRITEREAD, not UPGRADE");
    }

    @Test
    void load_wrongModeInMigrationRules() throws IOException {
        write("accounts.yaml", twoMajors("""
                      migrationRules:
                        - name: up
                          kind: TRANSFORM
                          type: JSONATA
                          mode: UPGRADE
                          expr: "$"
                        - name: down
                          kind: TRANSFORM
                          type: JSONATA
                          mode: DOWNGRADE
                          expr: "$"
                        - name: check
                          kind: CONDITION
                          type: JSONATA
                          mode: WRITE
                          expr: "true"
                """));

        assertProblems("accounts.yaml: version 2.0: versions[1].ruleSet.migrationRules[2].mode: migration rules run on"
                + " UPGRADE, DOWNGRADE or UPDOWN, not WRITE");
    }

    @Test
    void load_unknownKindTypeAndAction() throws IOException {
        write("accounts.yaml", contractWithDomainRule("""
                        - name: r
                          kind: CHECK
                          type: CEL
                          mode: WRITE
                          expr: "true"
                          onFailure: PAGE_SOMEONE
                        - name: s
                          kind: CONDITION
                          type: JSONATA
                          mode: WRITE
                          expr: "true"
                          onFailure: DLQ,ERROR
                """));

        assertProblems("versions[0].ruleSet.domainRules[0].kind: 'CHECK' is not one of CONDITION, TRANSFORM",
                "versions[0].ruleSet.domainRules[0].type: unknown rule type 'CEL'",
                "versions[0].ruleSet.domainRules[0].onFailure: unknown action 'PAGE_SOMEONE'",
                "versions[0].ruleSet.domainRules[1].onFailure: 'DLQ,ERROR' is a pair of actions, which only WRITEREAD and"
                        + " UPDOWN rules take");
    }

    @Test
    void load_majorStepWithoutMigrationRules() throws IOException {
        write("accounts.yaml", twoMajors("""
                      migrationRules:
                        - name: up
                          kind: TRANSFORM
                          type: JSONATA
                          mode: UPGRADE
                          expr: "$"
                """));

        assertProblems("accounts.yaml: version 2.0: versions[1].ruleSet.migrationRules: major step 1 -> 2 has no DOWNGRADE"
                + " rule: add an enabled TRANSFORM rule with mode DOWNGRADE (or UPDOWN)");
    }

    @Test
    void load_majorStepWithNoRulesAtAll_namesBothDirections() throws IOException {
        write("accounts.yaml", twoMajors(""));

        ContractException error = loadFails();
        assertThat(lines(error)).containsExactly(
                "accounts.yaml: version 2.0: versions[1].ruleSet.migrationRules: major step 1 -> 2 has no UPGRADE rule:"
                        + " add an enabled TRANSFORM rule with mode UPGRADE (or UPDOWN) that turns major 1 records up to 2",
                "accounts.yaml: version 2.0: versions[1].ruleSet.migrationRules: major step 1 -> 2 has no DOWNGRADE rule:"
                        + " add an enabled TRANSFORM rule with mode DOWNGRADE (or UPDOWN) that turns major 2 records down to 1");
    }

    @Test
    void load_updownRuleCoversBothDirections() throws IOException {
        write("accounts.yaml", twoMajors("""
                      migrationRules:
                        - name: same
                          kind: TRANSFORM
                          type: JSONATA
                          mode: UPDOWN
                          expr: "$"
                """));

        assertThat(loader.load(dir.toString()).product("customer.accounts")).isPresent();
    }

    @Test
    void load_migrationRulesOnAMinorVersion() throws IOException {
        write("accounts.yaml", """
                product: customer.accounts
                owner: team@example.com
                topics: [customer.accounts]
                versions:
                  - version: "1.0"
                    schema: { type: AVRO, definition: '%s' }
                  - version: "1.1"
                    schema: { type: AVRO, definition: '%s' }
                    ruleSet:
                      migrationRules:
                        - { name: up, kind: TRANSFORM, type: JSONATA, mode: UPGRADE, expr: "$" }
                """.formatted(AVRO_V1, AVRO_V1));

        assertProblems("accounts.yaml: version 1.1: versions[1].ruleSet.migrationRules: version 1.1 is in the first major,"
                + " which has nothing to migrate from");
    }

    @Test
    void load_incompatibleAvroMinorStep() throws IOException {
        String v11 = "{\"type\": \"record\", \"name\": \"Account\", \"namespace\": \"customer\", \"fields\": ["
                + "{\"name\": \"id\", \"type\": \"long\"}, {\"name\": \"country\", \"type\": \"string\"}]}";
        write("accounts.yaml", minorStep("AVRO", AVRO_V1, v11));

        assertProblems("accounts.yaml: version 1.1: versions[1].schema: version 1.1 cannot read records written as 1.0",
                "TYPE_MISMATCH at /fields/0/type: reader type: LONG not compatible with writer type: STRING",
                "version 1.0 cannot read records written as 1.1");
    }

    @Test
    void load_compatibleAvroMinorStep() throws IOException {
        String v11 = AVRO_V1.replace("]}", ", {\"name\": \"email\", \"type\": [\"null\", \"string\"], \"default\": null}]}");
        write("accounts.yaml", minorStep("AVRO", AVRO_V1, v11));

        assertThat(loader.load(dir.toString()).product("customer.accounts").orElseThrow().versions()).hasSize(2);
    }

    @Test
    void load_incompatibleJsonSchemaMinorStep_removedRequiredFieldAndChangedType() throws IOException {
        String v10 = "{\"type\": \"object\", \"required\": [\"id\", \"total\"], \"properties\": "
                + "{\"id\": {\"type\": \"string\"}, \"total\": {\"type\": \"number\"}}}";
        String v11 = "{\"type\": \"object\", \"required\": [\"id\"], \"properties\": "
                + "{\"id\": {\"type\": \"integer\"}}}";
        write("orders.yaml", minorStep("JSON", v10, v11));

        assertProblems("orders.yaml: version 1.1: versions[1].schema: version 1.1 cannot read records written as 1.0",
                "field 'id' changed type from string to integer",
                "version 1.0 cannot read records written as 1.1",
                "field 'total' is required on one side but not on the other");
    }

    @Test
    void load_incompatibleProtobufMinorStep_reusedNumberAndChangedType() throws IOException {
        write("payments.yaml", """
                product: payments.settled
                owner: team@example.com
                topics: [payments.settled]
                versions:
                  - version: "2.0"
                    schema: { type: PROTOBUF, class: dev.kontract.core.testproto.PaymentV2 }
                  - version: "2.1"
                    schema: { type: PROTOBUF, class: dev.kontract.core.testproto.PaymentV2NumberReused }
                  - version: "2.2"
                    schema: { type: PROTOBUF, class: dev.kontract.core.testproto.PaymentV2TypeChanged }
                  - version: "2.3"
                    schema: { type: PROTOBUF, class: dev.kontract.core.testproto.PaymentV2Plus }
                """);

        ContractException error = loadFails();
        assertThat(error.getMessage())
                .contains("payments.yaml: version 2.1: versions[1].schema: version 2.1 cannot read records written as 2.0"
                        + " (a minor step must be compatible both ways; a breaking change needs a new major version with"
                        + " migration rules): field number 5 is 'national_id' in one version and 'email' in the other")
                .contains("payments.yaml: version 2.2: versions[2].schema: version 2.2 cannot read records written as 2.0")
                .contains("field 'amount_cents' (2) changed type from int64 to string")
                .doesNotContain("version 2.3 cannot read records written as 2.0")
                .doesNotContain("version 2.0 cannot read records written as 2.3");
    }

    @Test
    void load_manyProblemsInOneFileReportedTogether() throws IOException {
        write("accounts.yaml", """
                product: Customer Accounts
                owner: ""
                topics: ["bad topic!"]
                sla: { freshness: soon, quality: 120% }
                color: blue
                versions:
                  - version: "1.0"
                    schema: { type: XML, definition: "<a/>" }
                """);

        ContractException error = loadFails();
        assertThat(error.problems()).hasSize(7);
        assertThat(error.getMessage()).startsWith("7 problems in contract files:")
                .contains("accounts.yaml: color: unknown field 'color'")
                .contains("accounts.yaml: product: 'Customer Accounts' is not <domain>.<entity>[.<event>]")
                .contains("accounts.yaml: owner: must not be empty")
                .contains("accounts.yaml: topics[0]: 'bad topic!' is not a valid Kafka topic name")
                .contains("accounts.yaml: sla.freshness: 'soon' is not a positive duration")
                .contains("accounts.yaml: sla.quality: '120%' is not a percentage")
                .contains("accounts.yaml: version 1.0: versions[0].schema.type: 'XML' is not one of AVRO, PROTOBUF, JSON");
    }

    @Test
    void load_aTopicWhoseDerivedDeadLetterTopicIsIllegal() throws IOException {
        String topic = "t".repeat(246);
        write("accounts.yaml", minimalContract("AVRO", "{ type: AVRO, file: missing.avsc }")
                .replace("[customer.accounts]", "[" + topic + "]"));

        assertThat(loadFails().getMessage()).contains("accounts.yaml: topics[0]: its dead-letter topic '" + topic
                + ".dlq' (no dlq.topic is set) is not a valid Kafka topic name");
    }

    @Test
    void load_aDeadLetterTopicThatIsOneOfTheProductsTopics() throws IOException {
        write("accounts.yaml", minimalContract("AVRO", "{ type: AVRO, file: missing.avsc }")
                .replace("topics: [customer.accounts]", "topics: [customer.accounts]\ndlq: { topic: customer.accounts }"));

        assertThat(loadFails().getMessage()).contains("accounts.yaml: dlq.topic: 'customer.accounts' is one of the"
                + " product's topics: its dead letters would be read again");
    }

    @Test
    void load_problemsInSeveralFilesReportedTogether() throws IOException {
        write("a.yaml", minimalContract("AVRO", "{ type: AVRO, file: missing-a.avsc }"));
        write("b.yaml", minimalContract("AVRO", "{ type: AVRO, file: missing-b.avsc }").replace("customer.accounts", "customer.b"));

        assertProblems("a.yaml: version 1.0: versions[0].schema.file: schema file missing-a.avsc not found",
                "b.yaml: version 1.0: versions[0].schema.file: schema file missing-b.avsc not found");
    }

    @Test
    void load_yamlSyntaxError_namesLine() throws IOException {
        write("accounts.yaml", "product: customer.accounts\nowner: [unclosed\n");

        assertThat(lines(loadFails())).containsExactly("accounts.yaml: line 2, column 17: not valid YAML: while parsing a"
                + " flow sequence; expected ',' or ']', but got <stream end>");
    }

    @Test
    void load_duplicateKeyInYaml() throws IOException {
        write("accounts.yaml", "product: customer.accounts\nproduct: customer.other\n");

        assertProblems("accounts.yaml: line 2", "Duplicate", "product");
    }

    @Test
    void load_sameProductOrTopicInTwoFiles() throws IOException {
        write("a.yaml", minimalContract("AVRO", "{ type: AVRO, definition: '" + AVRO_V1 + "' }"));
        write("b.yaml", minimalContract("AVRO", "{ type: AVRO, definition: '" + AVRO_V1 + "' }"));
        write("c.yaml", minimalContract("AVRO", "{ type: AVRO, definition: '" + AVRO_V1 + "' }")
                .replace("product: customer.accounts", "product: customer.other"));

        assertProblems("b.yaml: product: product customer.accounts is also defined in", "a.yaml",
                "c.yaml: topics: topic customer.accounts already belongs to product customer.accounts");
    }

    @Test
    void load_missingSourceAndEmptyDirectory() throws IOException {
        assertThatThrownBy(() -> loader.load("classpath:no-such-dir/"))
                .isInstanceOf(ContractException.class)
                .hasMessage("contract source 'classpath:no-such-dir/' is not on the classpath");
        assertThatThrownBy(() -> loader.load("file:/no/such/dir/"))
                .isInstanceOf(ContractException.class)
                .hasMessageStartingWith("contract source 'file:/no/such/dir/' does not exist");
        Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> loader.load(dir.resolve("empty").toString()))
                .isInstanceOf(ContractException.class)
                .hasMessageEndingWith("no contract files (*.yaml, *.yml, *.json) found");
    }

    @Test
    void load_domainMustMatchProduct() throws IOException {
        write("accounts.yaml", minimalContract("AVRO", "{ type: AVRO, definition: '" + AVRO_V1 + "' }")
                + "domain: billing\n");

        assertProblems("accounts.yaml: domain: 'billing' is not the domain part of product customer.accounts ('customer')");
    }

    @Test
    void load_encodingRulesAreRefusedByName() throws IOException {
        write("accounts.yaml", contractWithRuleSet("""
                      encodingRules:
                        - { name: encrypt, kind: TRANSFORM, type: ENCRYPT, mode: WRITEREAD }
                """));

        assertProblems("accounts.yaml: version 1.0: versions[0].ruleSet.encodingRules: encodingRules (field-level"
                + " encryption) are not supported by Kontract");
    }

    // ---- helpers ----

    static final String AVRO_V1 = "{\"type\": \"record\", \"name\": \"Account\", \"namespace\": \"customer\", \"fields\": ["
            + "{\"name\": \"id\", \"type\": \"string\"}, {\"name\": \"country\", \"type\": \"string\"}]}";

    private static String minimalContract(String type, String schema) {
        return """
                product: customer.accounts
                owner: team@example.com
                topics: [customer.accounts]
                versions:
                  - version: "1.0"
                    schema: %s
                """.formatted(schema);
    }

    private static String contractWithRuleSet(String ruleSetBody) {
        return minimalContract("AVRO", "{ type: AVRO, definition: '" + AVRO_V1 + "' }")
                + "    ruleSet:\n" + ruleSetBody;
    }

    private static String contractWithDomainRule(String rules) {
        return contractWithRuleSet("      domainRules:\n" + rules);
    }

    private static String twoMajors(String v2RuleSetBody) {
        return """
                product: customer.accounts
                owner: team@example.com
                topics: [customer.accounts]
                versions:
                  - version: "1.0"
                    schema: { type: AVRO, definition: '%s' }
                  - version: "2.0"
                    schema: { type: AVRO, definition: '%s' }
                """.formatted(AVRO_V1, AVRO_V1)
                + (v2RuleSetBody.isEmpty() ? "" : "    ruleSet:\n" + v2RuleSetBody);
    }

    private static String minorStep(String type, String v10, String v11) {
        return """
                product: customer.accounts
                owner: team@example.com
                topics: [customer.accounts]
                versions:
                  - version: "1.0"
                    schema: { type: %s, definition: '%s' }
                  - version: "1.1"
                    schema: { type: %s, definition: '%s' }
                """.formatted(type, v10, type, v11);
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    private ContractException loadFails() {
        try {
            loader.load(dir.toString());
        } catch (ContractException e) {
            return e;
        }
        throw new AssertionError("expected the contracts in " + dir + " to fail to load");
    }

    /** The problems as lines, with the temporary directory left out of the file names. */
    private List<String> lines(ContractException error) {
        return error.problems().stream().map(p -> p.toString().replace(dir + java.io.File.separator, "")).toList();
    }

    private void assertProblems(String... fragments) {
        ContractException error = loadFails();
        for (String fragment : fragments) {
            assertThat(error.getMessage()).contains(fragment);
        }
    }

    private static void putEntry(JarOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        if (content != null) {
            OutputStream stream = out;
            stream.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        out.closeEntry();
    }

    /** What loading {@code dir} writes to stderr, where the test logger writes. */
    private String stderrOfLoading() {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            loader.load(dir.toString());
        } finally {
            System.setErr(original);
        }
        return captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
