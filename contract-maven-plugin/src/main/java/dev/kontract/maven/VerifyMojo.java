package dev.kontract.maven;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code kontract verify}: fails the build when a major step's migrations do not round-trip on
 * generated records (UPGRADE then DOWNGRADE must give back the record), or a contract does not load.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public final class VerifyMojo extends KontractMojo {

    /** Records generated per major step and direction. */
    @Parameter(property = "kontract.records", defaultValue = "1000")
    int records;

    /** Seed of the record generator; the same seed gives the same records. */
    @Parameter(property = "kontract.seed", defaultValue = "1")
    long seed;

    @Override
    String command() {
        return "verify";
    }

    @Override
    Optional<List<String>> arguments() {
        List<String> arguments = new ArrayList<>(
                List.of("--records", Integer.toString(records), "--seed", Long.toString(seed)));
        arguments.addAll(contractPaths());
        return Optional.of(arguments);
    }

    @Override
    boolean isFinding(String line) {
        // Not a finding: a step that came back equal ("OK   ..."), or what its reverse trip loses ("     ...").
        return !line.startsWith("OK ") && !line.startsWith(" ");
    }
}
