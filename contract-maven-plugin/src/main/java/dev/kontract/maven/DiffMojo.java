package dev.kontract.maven;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.inject.Inject;
import org.apache.kafka.common.utils.Utils;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * {@code kontract diff}: fails the build on any {@code BREAKING} change from a baseline to the
 * contracts as they are now. The baseline is a directory, or the contracts inside a released
 * artifact ({@code groupId:artifactId:version}), resolved from the project's repositories and
 * unpacked under {@code target/kontract-baseline/}. Without a baseline the goal is skipped.
 */
@Mojo(name = "diff", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public final class DiffMojo extends KontractMojo {

    /**
     * The contracts to compare with: a directory (relative to the project's base directory), or a
     * released artifact as {@code groupId:artifactId:version} (also
     * {@code groupId:artifactId:extension[:classifier]:version}) whose jar holds them.
     */
    @Parameter(property = "kontract.baseline")
    String baseline;

    /** Where the contracts are inside the baseline artifact. */
    @Parameter(property = "kontract.baselinePath", defaultValue = "contracts/")
    String baselinePath;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    private final RepositorySystem repositorySystem;

    /** Maven builds the goal, with the resolver that fetches a baseline artifact. */
    @Inject
    public DiffMojo(RepositorySystem repositorySystem) {
        this.repositorySystem = repositorySystem;
    }

    @Override
    String command() {
        return "diff";
    }

    @Override
    Optional<List<String>> arguments() throws MojoExecutionException {
        if (baseline == null || baseline.isBlank()) {
            getLog().info("kontract diff: no baseline configured (kontract.baseline), skipped");
            return Optional.empty();
        }
        if (contracts.size() != 1) {
            throw new MojoExecutionException("kontract diff compares one contracts directory with the baseline; "
                    + "contracts names " + contracts.size() + ": " + contracts);
        }
        return Optional.of(List.of(baselineDirectory().toString(), contracts.get(0).getPath()));
    }

    @Override
    boolean isFinding(String line) {
        return !line.startsWith("COMPATIBLE ");
    }

    private Path baselineDirectory() throws MojoExecutionException {
        try {
            Path directory = project.getBasedir().toPath().resolve(baseline.strip());
            if (Files.exists(directory)) {
                return directory;
            }
        } catch (InvalidPathException e) {
            // Not a path on this platform (a colon on Windows): coordinates, then.
        }
        Artifact artifact;
        try {
            artifact = new DefaultArtifact(baseline.strip());
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("Invalid value " + baseline + " for parameter baseline: neither an existing"
                    + " directory nor groupId:artifactId:version");
        }
        File jar = resolve(artifact);
        Path unpacked = Path.of(project.getBuild().getDirectory(), "kontract-baseline",
                artifact.getArtifactId() + "-" + artifact.getVersion());
        unzip(jar.toPath(), unpacked);
        Path contractsInside = unpacked.resolve(baselinePath).normalize();
        if (!contractsInside.startsWith(unpacked) || !Files.exists(contractsInside)) {
            throw new MojoExecutionException("kontract diff: baseline " + artifact + " holds no " + baselinePath
                    + " (set baselinePath to where its contracts are)");
        }
        getLog().info("kontract diff: baseline " + artifact + " (" + baselinePath + ")");
        return contractsInside;
    }

    private File resolve(Artifact artifact) throws MojoExecutionException {
        ArtifactRequest request = new ArtifactRequest(artifact, project.getRemoteProjectRepositories(), null);
        try {
            return repositorySystem.resolveArtifact(session.getRepositorySession(), request).getArtifact().getFile();
        } catch (ArtifactResolutionException e) {
            throw new MojoExecutionException("kontract diff: baseline " + artifact + " does not resolve: "
                    + e.getMessage(), e);
        }
    }

    /** Unpacks the jar into a fresh directory, refusing entries that would land outside it. */
    private static void unzip(Path jar, Path target) throws MojoExecutionException {
        try {
            Utils.delete(target.toFile());
            Files.createDirectories(target);
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements();) {
                    ZipEntry entry = entries.nextElement();
                    Path destination = target.resolve(entry.getName()).normalize();
                    if (!destination.startsWith(target)) {
                        throw new MojoExecutionException("kontract diff: " + jar + " has an entry outside its root: "
                                + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(destination);
                    } else {
                        Files.createDirectories(destination.getParent());
                        try (InputStream in = zip.getInputStream(entry)) {
                            Files.copy(in, destination);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new MojoExecutionException("kontract diff: cannot unpack " + jar + " into " + target + ": "
                    + e.getMessage(), e);
        }
    }
}
