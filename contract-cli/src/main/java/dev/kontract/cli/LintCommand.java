package dev.kontract.cli;

import dev.kontract.core.ContractException;
import dev.kontract.core.DataContract;
import dev.kontract.core.Problem;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kontract lint PATH...}: every problem the loader finds, all at once, one line each. */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = "Reports every problem a client's loader would refuse the contracts for, one line each"
                + " (file, version, field). Exit 1 when there is any.")
final class LintCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Contract directories or files.")
    List<Path> paths;

    /** What one path held: its contracts, or the problems that stopped them loading. */
    record Linted(String path, List<String> products, List<Problem> problems) {}

    @Override
    public Integer call() throws Exception {
        CommonOptions.requireExisting(paths.toArray(Path[]::new));
        List<Linted> results = new ArrayList<>();
        try (URLClassLoader classLoader = options.classLoader()) {
            for (Path path : paths) {
                results.add(lint(path, classLoader));
            }
        }
        List<String> text = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (Linted result : results) {
            problems.addAll(result.problems());
            result.problems().forEach(problem -> text.add(problem.toString()));
        }
        if (options.classpath.isEmpty()
                && problems.stream().anyMatch(problem -> problem.message().startsWith("Protobuf message class "))) {
            text.add("lint: contracts name generated Protobuf classes; give them with --classpath (a directory or jar)");
        }
        int contracts = results.stream().mapToInt(result -> result.products().size()).sum();
        text.add(problems.isEmpty()
                ? "lint: " + contracts + (contracts == 1 ? " contract" : " contracts") + ", no problems"
                : "lint: " + problems.size() + (problems.size() == 1 ? " problem" : " problems"));
        Output.print(options.format, spec.commandLine().getOut(), text, new LintReport(results, problems.size()));
        return problems.isEmpty() ? Kontract.CLEAN : Kontract.FINDINGS;
    }

    record LintReport(List<Linted> paths, int problemCount) {}

    static Linted lint(Path path, ClassLoader classLoader) {
        try {
            List<String> products = CommonOptions.loader(classLoader).load(path.toString()).contracts().stream()
                    .map(DataContract::product).sorted().toList();
            return new Linted(path.toString(), products, List.of());
        } catch (ContractException e) {
            return new Linted(path.toString(), List.of(), problems(path, e));
        }
    }

    /** The problems a load failed with; one naming the path when the failure was not about a file's content. */
    static List<Problem> problems(Path path, ContractException e) {
        return e.problems().isEmpty() ? List.of(new Problem(path.toString(), null, null, e.getMessage())) : e.problems();
    }
}
