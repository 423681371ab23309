package dev.kontract.core.load;

import dev.kontract.core.ContractCatalog;
import dev.kontract.core.ContractException;
import dev.kontract.core.DataContract;
import dev.kontract.core.Problem;
import dev.kontract.core.rules.RuleEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Loads data contracts from a source: {@code classpath:dir/}, {@code file:/dir/}, a single file
 * ({@code classpath:contracts/accounts.yaml}, {@code file:/etc/contracts/accounts.yaml}) or a plain
 * path.
 *
 * <p>A directory's contracts are its {@code *.yaml}, {@code *.yml} and {@code *.json} files (not
 * its subdirectories), less those another contract names as a schema file. Schema files are
 * resolved against the contract file's directory. A classpath directory may be spread over several
 * classpath entries, jars included.
 *
 * <p>Loading validates everything a contract can get wrong (see {@code README.md}) and reports
 * every problem of every file in one {@link ContractException}, each naming the file, the version
 * and the field. A contract that loads is a contract that can run: its rules compile.
 */
public final class ContractLoader {

    /** The source a client uses when {@code contract.source} is not set. */
    public static final String DEFAULT_SOURCE = "classpath:contracts/";

    private static final String CLASSPATH = "classpath:";
    private static final String FILE = "file:";
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final RuleEngine engine;
    private final ClassLoader classLoader;
    private final boolean stepChecks;

    /** A loader with the default rule engine and the thread's context class loader. */
    public ContractLoader() {
        this(RuleEngine.defaults(), Thread.currentThread().getContextClassLoader());
    }

    /**
     * @param engine compiles the rules (and knows which rule types and actions exist)
     * @param classLoader finds {@code classpath:} sources and Protobuf message classes
     */
    public ContractLoader(RuleEngine engine, ClassLoader classLoader) {
        this(engine, classLoader, true);
    }

    private ContractLoader(RuleEngine engine, ClassLoader classLoader, boolean stepChecks) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.classLoader = classLoader != null ? classLoader : ContractLoader.class.getClassLoader();
        this.stepChecks = stepChecks;
    }

    /**
     * A loader that checks every version on its own but not the steps between versions (migration
     * rules where a major begins, compatibility within a major), for tools that classify those steps
     * themselves, as {@code kontract diff} does with {@link #stepProblems}. Clients never load this way.
     */
    public ContractLoader withoutStepChecks() {
        return new ContractLoader(engine, classLoader, false);
    }

    /**
     * The problems the loader would find in the steps between {@code contract}'s versions, each
     * naming the contract's file and the version (no field: versions are sorted, not in the file's
     * order). Empty for a contract that a loader with step checks accepted.
     */
    public static List<Problem> stepProblems(DataContract contract) {
        return ContractChecks.of(contract);
    }

    /**
     * Loads every contract of {@code source}.
     *
     * @throws ContractException listing every problem found, or saying the source has no contracts
     */
    public ContractCatalog load(String source) {
        Objects.requireNonNull(source, "source");
        List<FileSystem> opened = new ArrayList<>();
        try {
            List<Location> roots = resolve(source.trim(), opened);
            return ContractCatalog.of(source, readAll(source, roots));
        } finally {
            for (FileSystem fileSystem : opened) {
                try {
                    fileSystem.close();
                } catch (IOException ignored) {
                    // read-only jar file system; nothing was written
                }
            }
        }
    }

    /** Loads a single contract file. */
    public DataContract loadFile(Path file) {
        ContractCatalog catalog = load(file.toAbsolutePath().toUri().toString());
        return catalog.contracts().iterator().next();
    }

    /** A directory or file to read, with how to name it in messages. */
    private record Location(Path path, String displayName) {}

    private List<Location> resolve(String source, List<FileSystem> opened) {
        if (source.startsWith(CLASSPATH)) {
            return resolveClasspath(source, opened);
        }
        Path path;
        try {
            path = source.startsWith(FILE + "/") ? Path.of(new URI(source)) : Path.of(
                    source.startsWith(FILE) ? source.substring(FILE.length()) : source);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ContractException("contract source '" + source + "' is not a usable path: " + e.getMessage());
        }
        if (!Files.exists(path)) {
            throw new ContractException("contract source '" + source + "' does not exist (" + path.toAbsolutePath() + ")");
        }
        return List.of(new Location(path, path.toString()));
    }

    private List<Location> resolveClasspath(String source, List<FileSystem> opened) {
        String name = source.substring(CLASSPATH.length());
        while (name.startsWith("/")) {
            name = name.substring(1);
        }
        String resource = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        List<URL> urls;
        try {
            urls = Collections.list(classLoader.getResources(resource));
        } catch (IOException e) {
            throw new ContractException("cannot search the classpath for contract source '" + source + "': " + e);
        }
        if (urls.isEmpty()) {
            throw new ContractException("contract source '" + source + "' is not on the classpath");
        }
        List<Location> locations = new ArrayList<>();
        for (URL url : urls) {
            locations.add(new Location(toPath(url, source, opened), CLASSPATH + resource));
        }
        return locations;
    }

    private static Path toPath(URL url, String source, List<FileSystem> opened) {
        try {
            URI uri = url.toURI();
            if ("file".equals(uri.getScheme())) {
                return Path.of(uri);
            }
            if ("jar".equals(uri.getScheme())) {
                String text = uri.toString();
                int separator = text.indexOf("!/");
                URI jar = URI.create(text.substring(0, separator));
                FileSystem fileSystem;
                try {
                    fileSystem = FileSystems.getFileSystem(jar);
                } catch (FileSystemNotFoundException notOpen) {
                    try {
                        fileSystem = FileSystems.newFileSystem(jar, Map.of());
                        opened.add(fileSystem);
                    } catch (FileSystemAlreadyExistsException raced) {
                        fileSystem = FileSystems.getFileSystem(jar);
                    }
                }
                return fileSystem.getPath(text.substring(separator + 1));
            }
        } catch (URISyntaxException | IOException e) {
            throw new ContractException("cannot open contract source '" + source + "' at " + url + ": " + e);
        }
        throw new ContractException("contract source '" + source + "' is at " + url
                + ", which is neither a directory nor a jar");
    }

    private List<DataContract> readAll(String source, List<Location> roots) {
        Problems problems = new Problems();
        Map<Path, ParsedFile> files = new LinkedHashMap<>();
        for (Location root : roots) {
            for (Path path : contractCandidates(root.path())) {
                String displayName = Files.isDirectory(root.path())
                        ? root.displayName() + "/" + root.path().relativize(path)
                        : root.displayName();
                files.putIfAbsent(path.toAbsolutePath().normalize(), parse(path, displayName));
            }
        }
        Set<Path> schemaFiles = new HashSet<>();
        for (ParsedFile file : files.values()) {
            schemaFiles.addAll(file.referencedSchemaFiles());
        }
        List<DataContract> contracts = new ArrayList<>();
        int considered = 0;
        for (Map.Entry<Path, ParsedFile> entry : files.entrySet()) {
            if (schemaFiles.contains(entry.getKey())) {
                continue;
            }
            considered++;
            ParsedFile file = entry.getValue();
            if (file.root() != null) {
                new ContractFileReader(file.displayName(), file.path().toAbsolutePath().getParent(), engine, classLoader,
                        problems, stepChecks).read(file.root()).ifPresent(contracts::add);
            } else {
                problems.add(file.displayName(), null, file.errorLocation(), file.error());
            }
        }
        if (!problems.isEmpty()) {
            throw new ContractException(problems.list());
        }
        if (considered == 0) {
            throw new ContractException(
                    List.of(new Problem(source, null, null, "no contract files (*.yaml, *.yml, *.json) found")));
        }
        return contracts;
    }

    private static List<Path> contractCandidates(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of(root);
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(Files::isRegularFile).filter(ContractLoader::isContractFileName).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list contract directory " + root, e);
        }
    }

    private static boolean isContractFileName(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    /** A contract file read into a tree, or the reason it could not be. */
    record ParsedFile(Path path, String displayName, JsonNode root, String errorLocation, String error) {

        /** The schema files this file names, resolved, so that they are not read as contracts. */
        Set<Path> referencedSchemaFiles() {
            Set<Path> referenced = new LinkedHashSet<>();
            if (root == null || !root.path("versions").isArray()) {
                return referenced;
            }
            Path directory = path.toAbsolutePath().getParent();
            for (JsonNode version : root.path("versions")) {
                JsonNode file = version.path("schema").path("file");
                if (file.isString()) {
                    try {
                        referenced.add(directory.resolve(file.asString()).normalize());
                    } catch (RuntimeException invalidPath) {
                        // reported when the schema is read
                    }
                }
            }
            return referenced;
        }
    }

    static ParsedFile parse(Path path, String displayName) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new ParsedFile(path, displayName, null, null, "cannot read the file: " + e);
        }
        boolean json = path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        try {
            JsonNode root = (json ? JSON : YAML).readTree(text);
            if (root == null || root.isMissingNode()) {
                return new ParsedFile(path, displayName, null, null, "the file is empty");
            }
            return new ParsedFile(path, displayName, root, null, null);
        } catch (JacksonException e) {
            TokenStreamLocation location = e.getLocation();
            String where = location == null ? null
                    : "line " + location.getLineNr() + ", column " + location.getColumnNr();
            return new ParsedFile(path, displayName, null, where,
                    "not valid " + (json ? "JSON" : "YAML") + ": " + oneLine(e.getOriginalMessage()));
        }
    }

    /**
     * SnakeYAML's messages span lines, with an excerpt and a caret; keep the sentences, one line. The
     * location is reported separately.
     */
    private static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        return message.lines()
                .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .map(String::strip)
                .reduce((a, b) -> a + "; " + b)
                .orElse(message.strip());
    }
}
