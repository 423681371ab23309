package dev.kontract.cli;

import dev.kontract.core.load.ContractLoader;
import dev.kontract.core.rules.RuleEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every command takes: the report format and where Protobuf message classes are found. */
final class CommonOptions {

    enum Format { TEXT, JSON }

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "Report as text lines (default) or as one JSON document.")
    Format format = Format.TEXT;

    @Option(names = {"--classpath", "-cp"}, split = "${sys:path.separator}", paramLabel = "PATH",
            description = "Directories and jars holding the generated Protobuf classes that contracts name with"
                    + " 'class' (separated by '${sys:path.separator}').")
    List<Path> classpath = new ArrayList<>();

    /** Finds Protobuf message classes on {@code --classpath}; close it when the command is done. */
    URLClassLoader classLoader() {
        List<URL> urls = new ArrayList<>();
        for (Path entry : classpath) {
            if (!Files.exists(entry)) {
                throw new UncheckedIOException(new IOException("--classpath entry " + entry + " does not exist"));
            }
            try {
                urls.add(entry.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("--classpath entry " + entry + " is not usable: " + e.getMessage(), e);
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), Kontract.class.getClassLoader());
    }

    /** A path that is not there is an I/O error (exit 2), not a finding about contracts. */
    static void requireExisting(Path... paths) throws IOException {
        for (Path path : paths) {
            if (path != null && !Files.exists(path)) {
                throw new java.nio.file.NoSuchFileException(path.toString(), null, "does not exist");
            }
        }
    }

    static ContractLoader loader(ClassLoader classLoader) {
        return new ContractLoader(RuleEngine.defaults(), classLoader);
    }
}
