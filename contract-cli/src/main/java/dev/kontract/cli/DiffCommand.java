package dev.kontract.cli;

import dev.kontract.core.ContractException;
import dev.kontract.core.DataContract;
import dev.kontract.core.Problem;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kontract diff OLD NEW}: each change between two states of the contracts, classified
 * {@code COMPATIBLE} or {@code BREAKING} with a one-line reason (see {@link ContractDiff}). NEW must
 * load on its own (its problems are reported as {@code lint} reports them); the checks between
 * versions are what the diff classifies.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Classifies every change from OLD to NEW as COMPATIBLE or BREAKING, with a one-line reason."
                + " Exit 1 on any BREAKING change.")
final class DiffCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--git", paramLabel = "REF",
            description = "Read OLD from this git revision of the working repository. With one PATH, OLD is that"
                    + " path at REF and NEW is it as it is now.")
    String gitRevision;

    @Parameters(arity = "1..2", paramLabel = "OLD NEW", description = "Contract directories or files.")
    List<Path> paths;

    record DiffReport(String oldContracts, String newContracts, List<Change> changes, List<Problem> problems, int breaking) {}

    @Override
    public Integer call() throws Exception {
        if (paths.size() == 1 && gitRevision == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "diff needs OLD and NEW (or --git REF and PATH)");
        }
        Path newPath = paths.get(paths.size() - 1);
        Path oldPath = paths.get(0);
        CommonOptions.requireExisting(newPath, gitRevision == null ? oldPath : null);
        try (URLClassLoader classLoader = options.classLoader();
                GitRevision revision = gitRevision == null ? null : GitRevision.checkout(gitRevision, oldPath)) {
            Path oldLocation = revision == null ? oldPath : revision.path();
            String oldName = revision == null ? oldPath.toString() : oldPath + "@" + gitRevision;
            Collection<DataContract> now;
            try {
                now = load(newPath, classLoader);
            } catch (ContractException e) {
                List<Problem> problems = LintCommand.problems(newPath, e);
                List<String> text = new ArrayList<>(problems.stream().map(Problem::toString).toList());
                text.add("diff: " + newPath + " does not load (" + problems.size() + " problems); nothing compared");
                Output.print(options.format, spec.commandLine().getOut(), text,
                        new DiffReport(oldName, newPath.toString(), List.of(), problems, 0));
                return Kontract.FINDINGS;
            }
            Collection<DataContract> old;
            try {
                old = load(oldLocation, classLoader);
            } catch (ContractException e) {
                throw new IllegalStateException("OLD (" + oldName + ") does not load, so there is nothing to compare"
                        + " against: " + e.getMessage(), e);
            }
            List<Change> changes = ContractDiff.between(old, now);
            long breaking = changes.stream().filter(Change::isBreaking).count();
            List<String> text = new ArrayList<>(changes.stream().map(Change::toString).toList());
            text.add("diff " + oldName + " -> " + newPath + ": " + changes.size()
                    + (changes.size() == 1 ? " change, " : " changes, ") + breaking + " breaking");
            Output.print(options.format, spec.commandLine().getOut(), text,
                    new DiffReport(oldName, newPath.toString(), changes, List.of(), (int) breaking));
            return breaking == 0 ? Kontract.CLEAN : Kontract.FINDINGS;
        }
    }

    private static Collection<DataContract> load(Path path, ClassLoader classLoader) {
        return CommonOptions.loader(classLoader).withoutStepChecks().load(path.toString()).contracts();
    }
}
