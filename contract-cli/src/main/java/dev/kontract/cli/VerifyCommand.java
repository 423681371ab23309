package dev.kontract.cli;

import dev.kontract.core.ContractException;
import dev.kontract.core.DataContract;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kontract verify PATH...}: proves every major step's migrations round-trip (see {@link RoundTrip}). */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Proves migrations: for every major step, generated records of the lower version go UPGRADE"
                + " then DOWNGRADE and must come back equal. Exit 1 on any that does not, or on a rule that errors.")
final class VerifyCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--records", defaultValue = "1000", paramLabel = "N",
            description = "Records generated per step and direction (default ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "Seed of the record generator (default ${DEFAULT-VALUE}); the same seed gives the same records.")
    long seed;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Contract directories or files.")
    List<Path> paths;

    record VerifyReport(List<RoundTrip.StepReport> steps, int failedSteps, List<String> problems) {}

    @Override
    public Integer call() throws Exception {
        if (records < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--records must be at least 1");
        }
        CommonOptions.requireExisting(paths.toArray(Path[]::new));
        List<String> text = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<RoundTrip.StepReport> steps = new ArrayList<>();
        try (URLClassLoader classLoader = options.classLoader()) {
            for (Path path : paths) {
                List<DataContract> contracts;
                try {
                    contracts = CommonOptions.loader(classLoader).load(path.toString()).contracts().stream()
                            .sorted(Comparator.comparing(DataContract::product)).toList();
                } catch (ContractException e) {
                    LintCommand.problems(path, e).forEach(problem -> problems.add(problem.toString()));
                    continue;
                }
                for (DataContract contract : contracts) {
                    steps.addAll(new RoundTrip(contract).verify(records, seed));
                }
            }
        }
        text.addAll(problems);
        for (RoundTrip.StepReport step : steps) {
            String name = step.name();
            if (step.failed()) {
                step.failures().forEach(failure -> text.add("FAIL " + name + ": " + failure));
            } else {
                text.add("OK   " + name + ": " + step.records() + " records came back equal");
            }
            if (!step.lossyFields().isEmpty()) {
                text.add("     " + name + ": the reverse trip (" + step.step().replace(" -> ", " <- ")
                        + " and back) loses " + String.join(", ", step.lossyFields()));
            }
        }
        long failed = steps.stream().filter(RoundTrip.StepReport::failed).count();
        text.add("verify: " + steps.size() + (steps.size() == 1 ? " major step, " : " major steps, ") + failed
                + " failed" + (problems.isEmpty() ? "" : ", " + problems.size() + " contract problems"));
        Output.print(options.format, spec.commandLine().getOut(), text, new VerifyReport(steps, (int) failed, problems));
        return failed == 0 && problems.isEmpty() ? Kontract.CLEAN : Kontract.FINDINGS;
    }
}
