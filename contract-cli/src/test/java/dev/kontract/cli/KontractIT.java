package dev.kontract.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs the built {@code kontract.jar} as users do, with {@code java -jar}, and checks outputs and exit codes. */
class KontractIT {

    private static final Path JAR = Path.of(System.getProperty("kontract.jar", "target/kontract.jar"));
    private static final Path CLI = Path.of("src/test/resources/cli").toAbsolutePath();
    private static final Path EXAMPLES = Path.of("../examples/src/main/resources/contracts").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Run(int exitCode, String out, String err) {}

    @Test
    void lint_reportsEveryProblemOfTheFileOneLineEach() throws Exception {
        Run run = kontract(CLI, "lint", "broken");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out().lines()).containsExactly(
                "broken/orders.yaml: version 1.0: versions[0].ruleSet.domainRules[0].expr: rule totalIsPositive:"
                        + " invalid JSONata expression at line 1, column 8: mismatched input '<EOF>' expecting {'(',"
                        + " 'true', 'false', STRING, 'null', '[', '{', '$', '$$', '**', NUMBER, FUNCTIONID, '*', '/',"
                        + " '-', '%', VAR_ID, ID}",
                "broken/orders.yaml: version 1.0: versions[0].ruleSet.domainRules[1].onFailure: unknown action"
                        + " 'RETRY' (known: DLQ, ERROR, NONE)",
                "lint: 2 problems");
    }

    @Test
    void lint_cleanContracts_exitZero_andJsonNamesTheProducts() throws Exception {
        Run text = kontract(EXAMPLES, "lint", "customer-accounts.yaml", "orders-placed.yaml");
        Run json = kontract(EXAMPLES, "lint", "--format", "json", "customer-accounts.yaml");

        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).isEqualTo("lint: 2 contracts, no problems\n");
        assertThat(json.exitCode()).isZero();
        JsonNode report = JSON.readTree(json.out());
        assertThat(report.at("/paths/0/products/0").asString()).isEqualTo("customer.accounts");
        assertThat(report.at("/problemCount").asInt()).isZero();
    }

    @Test
    void lint_protobufClassesMissing_saysToGiveTheClasspath() throws Exception {
        Run run = kontract(EXAMPLES, "lint", "payments-settled.yaml");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out().lines()).containsExactly(
                "payments-settled.yaml: version 1.0: versions[0].schema.class: Protobuf message class"
                        + " dev.kontract.examples.payments.v1.Payment is not on the classpath",
                "payments-settled.yaml: version 2.0: versions[1].schema.class: Protobuf message class"
                        + " dev.kontract.examples.payments.v2.Payment is not on the classpath",
                "lint: contracts name generated Protobuf classes; give them with --classpath (a directory or jar)",
                "lint: 2 problems");
    }

    @Test
    void diff_compatibleChangeExitsZero_breakingOneExitsOne() throws Exception {
        Run compatible = kontract(CLI, "diff", "diff/old", "diff/compatible");
        Run breaking = kontract(CLI, "diff", "diff/old", "diff/breaking");

        assertThat(compatible.exitCode()).isZero();
        assertThat(compatible.out().lines()).containsExactly(
                "COMPATIBLE shop.orders: owner changed from 'shop-team@example.com' to 'orders-team@example.com':"
                        + " metadata only: records and clients are unaffected",
                "COMPATIBLE shop.orders: version 1.1 added: minor step from 1.0: each reads the other's records",
                "diff diff/old -> diff/compatible: 2 changes, 0 breaking");
        assertThat(breaking.exitCode()).isEqualTo(1);
        assertThat(breaking.out().lines()).containsExactly(
                "BREAKING shop.orders: version 1.1 added: version 1.1 cannot read records written as 1.0 (a minor step"
                        + " must be compatible both ways; a breaking change needs a new major version with migration"
                        + " rules): READER_FIELD_MISSING_DEFAULT_VALUE at /fields/2: currency",
                "diff diff/old -> diff/breaking: 1 change, 1 breaking");
    }

    @Test
    void diff_json_classifiesEachChange() throws Exception {
        Run run = kontract(CLI, "diff", "--format", "json", "diff/old", "diff/breaking");

        JsonNode report = JSON.readTree(run.out());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(report.at("/breaking").asInt()).isEqualTo(1);
        assertThat(report.at("/changes/0/classification").asString()).isEqualTo("BREAKING");
        assertThat(report.at("/changes/0/product").asString()).isEqualTo("shop.orders");
        assertThat(report.at("/changes/0/change").asString()).isEqualTo("version 1.1 added");
    }

    @Test
    void diff_git_readsOldFromARevision(@TempDir Path repository) throws Exception {
        Path contracts = repository.resolve("contracts");
        copy(CLI.resolve("diff/old"), contracts);
        git(repository, "init", "-q");
        git(repository, "add", ".");
        git(repository, "-c", "user.name=ci", "-c", "user.email=ci@example.com", "commit", "-q", "-m", "v1");
        copy(CLI.resolve("diff/breaking"), contracts);

        Run run = kontract(repository, "diff", "--git", "HEAD", "contracts");
        Run unknownRevision = kontract(repository, "diff", "--git", "no-such-branch", "contracts");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("BREAKING shop.orders: version 1.1 added: version 1.1 cannot read records")
                .contains("diff contracts@HEAD -> contracts: 1 change, 1 breaking");
        assertThat(unknownRevision.exitCode()).isEqualTo(2);
        assertThat(unknownRevision.err()).contains("kontract diff: git revision 'no-such-branch' is not a commit of");
    }

    @Test
    void verify_catchesALossyUpgrade_namingStepRulesAndField() throws Exception {
        Run run = kontract(CLI, "verify", "--records", "200", "--seed", "7", "lossy");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out().lines().toList()).hasSize(2);
        assertThat(run.out().lines().findFirst().orElseThrow()).matches(
                "FAIL crm\\.people step 1\\.0 -> 2\\.0 \\(UPGRADE nameToFullName; DOWNGRADE fullNameToName\\): \\d+ of 200"
                        + " records: does not come back equal after UPGRADE then DOWNGRADE at field email");
        assertThat(run.out()).endsWith("verify: 1 major step, 1 failed\n");
    }

    @Test
    void verify_passesTheExamples_andListsWhatTheReverseTripLoses() throws Exception {
        Run run = kontract(EXAMPLES, "verify", "customer-accounts.yaml", "orders-placed.yaml");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("OK   customer.accounts step 1.0 -> 2.0 (UPGRADE changeSsnToNationalId;"
                + " DOWNGRADE changeNationalIdToSsn): 1000 records came back equal");
    }

    @Test
    void test_reportsEachRulesOutcomePerLine() throws Exception {
        Run run = kontract(CLI, "test", "samples", "--product", "shop.orders", "--version", "1",
                "--data", "samples/orders.jsonl");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out().lines()).containsExactly(
                "line 1: WRITE totalIsPositive pass",
                "line 1: WRITE currencyIsKnown pass",
                "line 1: READ currencyIsKnown pass",
                "line 2: WRITE totalIsPositive fail (condition is false)",
                "line 2: WRITE currencyIsKnown pass",
                "line 2: READ currencyIsKnown pass",
                "line 4: WRITE totalIsPositive pass",
                "line 4: WRITE currencyIsKnown fail (condition is false)",
                "line 4: READ currencyIsKnown fail (condition is false)",
                "line 5: not a record of shop.orders 1.0: does not match JSON Schema Order: #: required key [total]"
                        + " not found",
                "line 6: not a JSON object: Unrecognized token 'not': was expecting (JSON String, Number, Array,"
                        + " Object or token 'null', 'true' or 'false')",
                "test shop.orders 1.0: 11 outcomes, 5 not passed");
    }

    @Test
    void usageAndIoErrorsExitTwo_helpExitsZero() throws Exception {
        Run noCommand = kontract(CLI);
        Run badFormat = kontract(CLI, "lint", "--format", "xml", "broken");
        Run missing = kontract(CLI, "lint", "no-such-dir");
        Run missingData = kontract(CLI, "test", "samples", "--product", "shop.orders", "--version", "1",
                "--data", "no-such.jsonl");
        Run help = kontract(CLI, "diff", "--help");

        assertThat(noCommand.exitCode()).isEqualTo(2);
        assertThat(noCommand.err()).contains("name a command: lint, diff, verify, test or publish");
        assertThat(badFormat.exitCode()).isEqualTo(2);
        assertThat(badFormat.err()).contains("Invalid value for option '--format'");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("kontract lint: no-such-dir: does not exist\n");
        assertThat(missingData.exitCode()).isEqualTo(2);
        assertThat(missingData.err()).isEqualTo("kontract test: no-such.jsonl: does not exist\n");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: kontract diff").contains("--git=REF");
    }

    private static Run kontract(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile("kontract-out", ".txt");
        Path err = Files.createTempFile("kontract-err", ".txt");
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kontract " + String.join(" ", arguments) + " did not finish in 120 s");
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void git(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).inheritIO().start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("git " + String.join(" ", arguments)).isZero();
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
