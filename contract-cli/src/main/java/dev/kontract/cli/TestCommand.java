package dev.kontract.cli;

import dev.kontract.core.ContractVersion;
import dev.kontract.core.DataContract;
import dev.kontract.core.Rule;
import dev.kontract.core.RulePhase;
import dev.kontract.core.RuleSet;
import dev.kontract.core.format.InvalidRecordException;
import dev.kontract.core.format.RecordCodec;
import dev.kontract.core.rules.RuleChain;
import dev.kontract.core.rules.RuleContext;
import dev.kontract.core.rules.RuleEngine;
import java.io.BufferedReader;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code kontract test PATH --product P --version V --data FILE.jsonl}: runs a version's domain rules on
 * sample records, one JSON object per line, and reports each rule's outcome per line, for contract
 * authors. Each line is first read as a record of the version (as a producer's would be); the rules of
 * each phase then run in order as a chain, transforms feeding the rules after them, with their actions
 * left out so that every rule is heard.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Runs a version's domain rules on sample records (one JSON object per line) and prints each"
                + " rule's outcome per line. Exit 1 when a line is not a record of the version or a rule does not pass.")
final class TestCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "Contract directory or file.")
    Path path;

    @Option(names = "--product", required = true, paramLabel = "P", description = "The product whose rules run.")
    String product;

    @Option(names = "--version", required = true, paramLabel = "V",
            description = "The contract version, as clients name it (2.1, or 2 for the latest 2.x).")
    String version;

    @Option(names = "--data", required = true, paramLabel = "FILE.jsonl", description = "Sample records, one per line.")
    Path data;

    /** One rule's outcome on one line, or a line that is not a record ({@code rule} null). */
    record Outcome(int line, String phase, String rule, String result, String reason) {

        boolean passed() {
            return "pass".equals(result);
        }

        @Override
        public String toString() {
            return "line " + line + ": " + (rule == null ? reason
                    : phase + " " + rule + " " + result + (reason == null ? "" : " (" + reason + ")"));
        }
    }

    record TestReport(String product, String version, List<Outcome> outcomes, int notPassed) {}

    @Override
    public Integer call() throws Exception {
        CommonOptions.requireExisting(path, data);
        ContractVersion contractVersion;
        DataContract contract;
        try (URLClassLoader classLoader = options.classLoader()) {
            contract = CommonOptions.loader(classLoader).load(path.toString()).product(product)
                    .orElseThrow(() -> new IllegalArgumentException("no product " + product + " in " + path));
            contractVersion = contract.resolve(version);
        }
        RecordCodec codec = RecordCodec.of(contractVersion.schema());
        RuleEngine engine = RuleEngine.defaults();
        List<RulePhase> phases = List.of(RulePhase.WRITE, RulePhase.READ);
        List<RuleChain> chains = new ArrayList<>();
        for (RulePhase phase : phases) {
            List<Rule> rules = contractVersion.ruleSet().domainRules().stream()
                    .filter(rule -> !rule.disabled() && rule.mode().appliesTo(phase))
                    .map(TestCommand::withoutActions).toList();
            chains.add(engine.chain(new RuleSet(rules, List.of()), phase));
        }
        List<Outcome> outcomes = new ArrayList<>();
        try (BufferedReader lines = Files.newBufferedReader(data, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = lines.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode record;
                try {
                    record = codec.toJson(codec.fromJson(JSON.readTree(line), null));
                } catch (JacksonException e) {
                    outcomes.add(new Outcome(number, null, null, "invalid", "not a JSON object: "
                            + e.getOriginalMessage()));
                    continue;
                } catch (InvalidRecordException e) {
                    outcomes.add(new Outcome(number, null, null, "invalid", "not a record of " + product + " "
                            + contractVersion.version() + ": " + e.getMessage()));
                    continue;
                }
                for (int i = 0; i < phases.size(); i++) {
                    RulePhase phase = phases.get(i);
                    int lineNumber = number;
                    chains.get(i).run(record, new RuleContext(product, contractVersion.version(), phase, null),
                            (context, outcome) -> outcomes.add(new Outcome(lineNumber, phase.name(),
                                    outcome.rule().name(), outcome.result().tag(), outcome.reason())));
                }
            }
        }
        long notPassed = outcomes.stream().filter(outcome -> !outcome.passed()).count();
        List<String> text = new ArrayList<>(outcomes.stream().map(Outcome::toString).toList());
        text.add("test " + product + " " + contractVersion.version() + ": " + outcomes.size() + " outcomes, "
                + notPassed + " not passed");
        Output.print(options.format, spec.commandLine().getOut(), text,
                new TestReport(product, contractVersion.version().toString(), outcomes, (int) notPassed));
        return notPassed == 0 ? Kontract.CLEAN : Kontract.FINDINGS;
    }

    private static Rule withoutActions(Rule rule) {
        return new Rule(rule.name(), rule.doc(), rule.kind(), rule.mode(), rule.type(), rule.tags(), rule.params(),
                rule.expr(), "NONE", "NONE", false);
    }
}
