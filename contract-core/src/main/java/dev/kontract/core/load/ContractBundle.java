package dev.kontract.core.load;

import dev.kontract.core.ContractException;
import dev.kontract.core.DataContract;
import dev.kontract.core.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.utils.Utils;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One product's contract as a single value, for contracts served by a Kafka topic: the contract file and
 * the schema files it names ({@code versions[].schema.file}: Avro and JSON Schema documents, Protobuf
 * descriptor sets), byte for byte, under their paths relative to the contract file. A bundle is loaded by
 * writing those files to a temporary directory and reading them with a {@link ContractLoader}, so a
 * contract from a topic is validated exactly as the same files would be. Immutable.
 *
 * <p>On the wire a bundle is a JSON document: {@code {"bundle": 1, "product": P, "entry": "orders.yaml",
 * "files": {"orders.yaml": BASE64, "schemas/order-v1.avsc": BASE64}}}.
 */
public final class ContractBundle {

    private static final int FORMAT = 1;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String product;
    private final String entry;
    private final Map<String, byte[]> files;

    private ContractBundle(String product, String entry, Map<String, byte[]> files) {
        this.product = Objects.requireNonNull(product, "product");
        this.entry = Objects.requireNonNull(entry, "entry");
        Map<String, byte[]> copy = new LinkedHashMap<>();
        files.forEach((name, bytes) -> copy.put(name, bytes.clone()));
        this.files = java.util.Collections.unmodifiableMap(copy);
        if (!this.files.containsKey(entry)) {
            throw new IllegalArgumentException("bundle of " + product + " lacks its contract file " + entry);
        }
    }

    /**
     * The bundle of a loaded contract: its file (from {@link DataContract#source()}, a path) and the schema
     * files it names.
     *
     * @throws UncheckedIOException when a file cannot be read
     * @throws IllegalArgumentException when the contract was not loaded from a file, or a schema file lies
     *     outside the contract file's directory
     */
    public static ContractBundle of(DataContract contract) {
        Path file = Path.of(contract.source()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("contract " + contract.product() + " was not loaded from a file ("
                    + contract.source() + ")");
        }
        ContractLoader.ParsedFile parsed = ContractLoader.parse(file, contract.source());
        if (parsed.root() == null) {
            throw new IllegalArgumentException(contract.source() + ": " + parsed.error());
        }
        Path directory = file.getParent();
        Map<String, byte[]> files = new LinkedHashMap<>();
        try {
            files.put(file.getFileName().toString(), Files.readAllBytes(file));
            for (Path schema : parsed.referencedSchemaFiles()) {
                if (!schema.startsWith(directory)) {
                    throw new IllegalArgumentException(contract.source() + ": schema file " + directory.relativize(schema)
                            + " lies outside the contract's directory, which a bundle cannot hold");
                }
                files.put(directory.relativize(schema).toString().replace('\\', '/'), Files.readAllBytes(schema));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the files of contract " + contract.product(), e);
        }
        return new ContractBundle(contract.product(), file.getFileName().toString(), files);
    }

    /**
     * Reads a bundle from its wire form.
     *
     * @throws IllegalArgumentException naming what is wrong when the bytes are not a bundle
     */
    public static ContractBundle fromBytes(byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a contract bundle: not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject() || root.path("bundle").asInt(-1) != FORMAT) {
            throw new IllegalArgumentException("not a contract bundle of format " + FORMAT);
        }
        String product = root.path("product").asString(null);
        String entry = root.path("entry").asString(null);
        if (product == null || entry == null || !root.path("files").isObject()) {
            throw new IllegalArgumentException("not a contract bundle: product, entry and files are required");
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> file : root.get("files").properties()) {
            if (!file.getValue().isString()) {
                throw new IllegalArgumentException("contract bundle of " + product + ": file " + file.getKey()
                        + " is not base64 text");
            }
            try {
                files.put(file.getKey(), Base64.getDecoder().decode(file.getValue().asString()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("contract bundle of " + product + ": file " + file.getKey()
                        + " is not base64: " + e.getMessage());
            }
        }
        return new ContractBundle(product, entry, files);
    }

    public byte[] toBytes() {
        ObjectNode root = JSON.createObjectNode();
        root.put("bundle", FORMAT);
        root.put("product", product);
        root.put("entry", entry);
        ObjectNode encoded = root.putObject("files");
        files.forEach((name, bytes) -> encoded.put(name, Base64.getEncoder().encodeToString(bytes)));
        return JSON.writeValueAsBytes(root);
    }

    public String product() {
        return product;
    }

    /**
     * Loads the bundle's contract with {@code loader}, which validates it as it would the same files.
     * Problems, and the contract's {@link DataContract#source()}, name the file as {@code <origin>/<entry>}.
     *
     * @param origin where the bundle came from, for messages (e.g. {@code kafka:_kontract.contracts@3})
     * @throws ContractException listing every problem, or when the bundle is not the contract of its product
     */
    public DataContract load(ContractLoader loader, String origin) {
        Path directory;
        try {
            directory = Files.createTempDirectory("kontract-bundle-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the contract bundle of " + product, e);
        }
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path target = directory.resolve(file.getKey()).normalize();
                if (!target.startsWith(directory) || target.equals(directory)) {
                    throw new ContractException(origin + ": contract bundle of " + product + " names file "
                            + file.getKey() + ", which leaves its directory");
                }
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
            }
            DataContract contract;
            try {
                contract = loader.loadFile(directory.resolve(entry));
            } catch (ContractException e) {
                String prefix = directory.toString();
                if (e.problems().isEmpty()) {
                    throw new ContractException(e.getMessage().replace(prefix, origin), e);
                }
                throw new ContractException(e.problems().stream()
                        .map(problem -> new Problem(problem.file() == null ? origin : problem.file().replace(prefix, origin),
                                problem.version(), problem.field(), problem.message()))
                        .toList());
            }
            if (!contract.product().equals(product)) {
                throw new ContractException(origin + ": contract bundle of " + product + " holds the contract of "
                        + contract.product());
            }
            return new DataContract(contract.product(), contract.domain(), contract.owner(), contract.description(),
                    contract.topics(), contract.tags(), contract.sla(), contract.dlqTopic(), contract.versions(),
                    origin + "/" + entry);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the contract bundle of " + product, e);
        } finally {
            delete(directory);
        }
    }

    private static void delete(Path directory) {
        try {
            Utils.delete(directory.toFile());
        } catch (IOException ignored) {
            // a temporary directory left behind holds nothing secret: the topic's readers can read it all
        }
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ContractBundle that) || !product.equals(that.product) || !entry.equals(that.entry)
                || !files.keySet().equals(that.files.keySet())) {
            return false;
        }
        return files.entrySet().stream().allMatch(file -> java.util.Arrays.equals(file.getValue(),
                that.files.get(file.getKey())));
    }

    @Override
    public int hashCode() {
        return Objects.hash(product, entry, files.keySet());
    }

    @Override
    public String toString() {
        return "contract bundle of " + product + " (" + entry + ", " + files.size() + " files)";
    }
}
