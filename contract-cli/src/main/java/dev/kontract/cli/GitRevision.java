package dev.kontract.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Utils;

/**
 * A path of the working repository as it was at a git revision, copied into a temporary directory
 * with {@code git ls-tree} and {@code git cat-file} (which change nothing in the repository). Deleted
 * when closed.
 */
final class GitRevision implements AutoCloseable {

    private final Path directory;
    private final Path copy;

    private GitRevision(Path directory, Path copy) {
        this.directory = directory;
        this.copy = copy;
    }

    /**
     * Copies {@code path} (a file: its whole directory, for the schema files it names) as of {@code revision}.
     *
     * @return the copy of {@code path} itself
     */
    static GitRevision checkout(String revision, Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        Path directory = Files.isDirectory(absolute) ? absolute : absolute.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new IOException(path + " is not in a directory of a git working tree");
        }
        Path root = Path.of(git(directory, "rev-parse", "--show-toplevel").strip()).toRealPath();
        String relative = root.relativize(directory.toRealPath()).toString().replace('\\', '/');
        String resolved;
        try {
            resolved = git(root, "rev-parse", "--verify", "--quiet", revision + "^{commit}").strip();
        } catch (IOException e) {
            throw new IOException("git revision '" + revision + "' is not a commit of " + root, e);
        }
        Path temporary = Files.createTempDirectory("kontract-git-");
        String listing = git(root, "ls-tree", "-r", "-z", "--name-only", resolved, "--",
                relative.isEmpty() ? "." : relative);
        for (String file : listing.split("\0")) {
            if (file.isEmpty()) {
                continue;
            }
            Path target = temporary.resolve(file).normalize();
            if (!target.startsWith(temporary)) {
                throw new IOException("git path " + file + " leaves the copy");
            }
            Files.createDirectories(target.getParent());
            Files.write(target, gitBytes(root, "cat-file", "blob", resolved + ":" + file));
        }
        Path copiedDirectory = relative.isEmpty() ? temporary : temporary.resolve(relative);
        Path copied = Files.isDirectory(absolute) ? copiedDirectory : copiedDirectory.resolve(absolute.getFileName());
        if (!Files.exists(copied)) {
            throw new IOException(path + " does not exist at git revision " + revision);
        }
        return new GitRevision(temporary, copied);
    }

    /** The path as it was at the revision. */
    Path path() {
        return copy;
    }

    @Override
    public void close() throws IOException {
        Utils.delete(directory.toFile());
    }

    private static String git(Path directory, String... arguments) throws IOException {
        return new String(gitBytes(directory, arguments), StandardCharsets.UTF_8);
    }

    private static byte[] gitBytes(Path directory, String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).start();
        process.getOutputStream().close();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        Thread errorReader = new Thread(() -> copy(process.getErrorStream(), errors), "git-stderr");
        errorReader.setDaemon(true);
        errorReader.start();
        byte[] output = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("git " + String.join(" ", arguments) + " did not finish within 60 s");
            }
            errorReader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running git", e);
        }
        if (process.exitValue() != 0) {
            String message = errors.toString(StandardCharsets.UTF_8).strip();
            throw new IOException("git " + String.join(" ", arguments) + " failed in " + directory
                    + (message.isEmpty() ? " (exit " + process.exitValue() + ")" : ": " + message));
        }
        return output;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
