package dev.kontract.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code kontract} command line: checks a product's contracts in its own build, before any client
 * loads them. {@code lint} reports what the loader would refuse, {@code diff} classifies the changes
 * between two states of the contracts, {@code verify} proves that migrations round-trip,
 * {@code test} runs a version's rules on sample records, and {@code publish} puts the contracts on the
 * cluster's contracts topic.
 *
 * <p>Exit codes: 0 clean, 1 findings (a problem, a {@code BREAKING} change, a failed round trip, a
 * rule that did not pass), 2 usage or I/O error. {@link #run} is the same entry point without
 * {@code System.exit}, for the Maven plugin and tests.
 */
@Command(name = "kontract", mixinStandardHelpOptions = true, versionProvider = Kontract.Version.class,
        description = "Checks data contracts in CI: lint, breaking-change diff, migration round trips, rule tests;"
                + " publishes them to a Kafka contracts topic.",
        subcommands = {LintCommand.class, DiffCommand.class, VerifyCommand.class, TestCommand.class,
                PublishCommand.class})
public final class Kontract implements Runnable {

    /** Clean: no problem, no breaking change, every round trip and rule passed. */
    public static final int CLEAN = 0;
    /** Findings: a problem, a {@code BREAKING} change, a failed round trip or a rule that did not pass. */
    public static final int FINDINGS = 1;
    /** The command could not run: bad usage, a missing file, an unreadable git revision. */
    public static final int ERROR = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // The loader's notes (a rule that runs interpreted) are for client logs, not for this tool's output.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    /**
     * Runs one command line.
     *
     * @param out where reports go (text or JSON, per {@code --format})
     * @param err where usage errors and failures to run go
     * @return the exit code: {@link #CLEAN}, {@link #FINDINGS} or {@link #ERROR}
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine line = new CommandLine(new Kontract())
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, commandLine, parsed) -> {
                    commandLine.getErr().println("kontract " + commandLine.getCommandName() + ": " + describe(e));
                    commandLine.getErr().flush();
                    return ERROR;
                });
        int code = line.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The exception's message, and its cause's when that says more (Kafka's "Failed to construct ..."). */
    private static String describe(Exception e) {
        String message = e.getMessage();
        String text = message == null || message.isBlank() ? e.toString() : message;
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !text.contains(cause.getMessage())) {
            text += ": " + cause.getMessage();
        }
        return text;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: lint, diff, verify, test or publish");
    }

    /** The version this jar was built as, from its manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Kontract.class.getPackage().getImplementationVersion();
            return new String[] {"kontract " + (version != null ? version : "(development build)")};
        }
    }
}
