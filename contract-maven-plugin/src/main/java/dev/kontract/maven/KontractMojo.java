package dev.kontract.maven;

import dev.kontract.cli.Kontract;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What every goal shares: it runs one {@code kontract} command through {@link Kontract#run}, so the
 * build log holds the command line's own messages, one log line per output line (findings as errors,
 * the rest as info), and turns the exit code into the build's outcome: {@link Kontract#FINDINGS}
 * fails the build with the command's summary line, {@link Kontract#ERROR} is an execution error
 * carrying what the command wrote to its error stream.
 *
 * <p>A goal names its command and its own arguments; this class adds {@code --classpath} (the
 * project's runtime classpath, its own {@code target/classes} included, so contracts naming
 * generated Protobuf classes resolve) and the contract paths where the goal asks for them.
 */
abstract class KontractMojo extends AbstractMojo {

    /**
     * Contract directories or files. From the command line, {@code -Dkontract.contracts=a,b}.
     */
    @Parameter(property = "kontract.contracts", defaultValue = "${project.basedir}/src/main/resources/contracts")
    List<File> contracts;

    /** Skips the goal. */
    @Parameter(property = "kontract.skip", defaultValue = "false")
    boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    /** The command this goal runs: {@code lint}, {@code verify} or {@code diff}. */
    abstract String command();

    /**
     * The command's arguments after {@code --classpath}, or empty when the goal has nothing to do
     * (it has then said why in the log).
     */
    abstract Optional<List<String>> arguments() throws MojoExecutionException;

    /**
     * Whether a line of a run that found something is one of the findings, logged as an error; the
     * last line, the summary, never is.
     */
    abstract boolean isFinding(String line);

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("kontract " + command() + ": skipped (kontract.skip)");
            return;
        }
        Optional<List<String>> arguments = arguments();
        if (arguments.isEmpty()) {
            return;
        }
        List<String> line = new ArrayList<>();
        line.add(command());
        String classpath = classpath();
        if (!classpath.isEmpty()) {
            line.add("--classpath");
            line.add(classpath);
        }
        line.addAll(arguments.get());
        getLog().debug("kontract " + String.join(" ", line));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Kontract.run(line.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        List<String> lines = out.toString().lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (code == Kontract.FINDINGS && i < lines.size() - 1 && isFinding(lines.get(i))) {
                getLog().error(lines.get(i));
            } else {
                getLog().info(lines.get(i));
            }
        }
        String errors = err.toString().strip();
        switch (code) {
            case Kontract.CLEAN -> errors.lines().forEach(getLog()::warn);
            case Kontract.FINDINGS -> {
                errors.lines().forEach(getLog()::error);
                String summary = lines.isEmpty() ? command() + ": findings" : lines.get(lines.size() - 1);
                throw new MojoFailureException("kontract " + summary);
            }
            default -> throw new MojoExecutionException(failure(errors, code));
        }
    }

    /**
     * Why the command could not run, from its error stream: without the usage help that follows a
     * usage error (the goal's parameters, not the command's options, are what the user sets), and
     * naming the command.
     */
    private String failure(String errors, int code) {
        int usage = errors.startsWith("Usage: ") ? 0 : errors.indexOf("\nUsage: ");
        String reason = (usage < 0 ? errors : errors.substring(0, usage)).strip();
        if (reason.isEmpty()) {
            return "kontract " + command() + " could not run (exit " + code + ")";
        }
        return reason.startsWith("kontract ") ? reason : "kontract " + command() + ": " + reason;
    }

    /** The contract paths, as the command takes them. */
    final List<String> contractPaths() {
        return contracts.stream().map(File::getPath).toList();
    }

    /**
     * The project's runtime classpath, without the entries that do not exist (a project without
     * classes of its own has no {@code target/classes}, which the command would refuse).
     */
    private String classpath() throws MojoExecutionException {
        try {
            return project.getRuntimeClasspathElements().stream()
                    .filter(element -> new File(element).exists())
                    .collect(Collectors.joining(File.pathSeparator));
        } catch (DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("kontract " + command()
                    + ": the project's runtime classpath is not resolved: " + e.getMessage(), e);
        }
    }
}
