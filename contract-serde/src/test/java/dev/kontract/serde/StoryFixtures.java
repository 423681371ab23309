package dev.kontract.serde;

import dev.kontract.core.ContractCatalog;
import dev.kontract.core.DataContract;
import dev.kontract.core.Version;
import dev.kontract.core.format.RecordCodec;
import dev.kontract.core.load.ContractLoader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The story's records, written once for every format: a person is (id, name, secret, country), and
 * each major shows it in its own shape (1: ssn, 2: national_id, 3: full_name and national_id).
 */
public final class StoryFixtures {

    public static final ContractCatalog CATALOG = new ContractLoader().load("classpath:contracts/");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StoryFixtures() {}

    public static String product(String format) {
        return "customer.accounts." + format;
    }

    public static DataContract contract(String format) {
        return CATALOG.product(product(format)).orElseThrow();
    }

    public static RecordCodec codec(String format, String version) {
        return RecordCodec.of(contract(format).version(Version.parse(version)).orElseThrow().schema());
    }

    /**
     * The story's contracts with the country rule of 2.0 dead-lettering ({@code onFailure: DLQ}) rather
     * than failing, copied into {@code directory}.
     *
     * @return the {@code contract.source} of the copy
     */
    public static String deadLetteringSource(Path directory) throws IOException, URISyntaxException {
        Path contracts = Path.of(StoryFixtures.class.getResource("/contracts").toURI());
        try (Stream<Path> files = Files.walk(contracts)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = directory.resolve(contracts.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                if (file.toString().endsWith(".yaml")) {
                    String rule = "expr: \"$contains(country, /^[A-Z]{2}$/)\"\n";
                    String text = Files.readString(file);
                    if (!text.contains(rule)) {
                        throw new IllegalStateException(file + " has no country rule");
                    }
                    Files.writeString(copy, text.replace(rule, rule + "          onFailure: DLQ\n"));
                } else {
                    Files.copy(file, copy);
                }
            }
        }
        return "file:" + directory.toAbsolutePath() + "/";
    }

    /** The JSON view of person {@code i} in major {@code major}. */
    public static ObjectNode view(int major, int i, String country) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", "id-" + i);
        if (major < 3) {
            node.put("name", "Name " + i);
        }
        if (major == 1) {
            node.put("ssn", "secret-" + i);
        } else {
            node.put("national_id", "secret-" + i);
        }
        if (major == 3) {
            node.put("full_name", "Name " + i);
        }
        node.put("country", country);
        return node;
    }

    /** A record of person {@code i} as the application of {@code version} would build it. */
    public static Object record(String format, String version, int i, String country) {
        return codec(format, version).fromJson(view(Version.parse(version).major(), i, country), null);
    }

    /** The JSON view of a record read as {@code version}, without fields a newer minor added as null. */
    public static JsonNode viewOf(String format, String version, Object record) {
        ObjectNode node = (ObjectNode) codec(format, version).toJson(record).deepCopy();
        node.properties().removeIf(entry -> entry.getValue().isNull());
        return node;
    }
}
