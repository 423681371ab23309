package dev.kontract.maven;

import java.util.List;
import java.util.Optional;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code kontract lint}: fails the build on every problem a client's loader would refuse the
 * contracts for, each logged as one error line naming file, version and field.
 */
@Mojo(name = "lint", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public final class LintMojo extends KontractMojo {

    @Override
    String command() {
        return "lint";
    }

    @Override
    Optional<List<String>> arguments() {
        return Optional.of(contractPaths());
    }

    @Override
    boolean isFinding(String line) {
        // Every line is a problem but the hints, which start as the summary does.
        return !line.startsWith("lint: ");
    }
}
