package dev.kontract.core.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kontract.core.ContractException;
import dev.kontract.core.DataContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractBundleTest {

    @TempDir
    Path directory;

    @Test
    void aBundleCarriesTheContractAndItsSchemaFiles_andLoadsAsTheFilesDo() throws Exception {
        Files.createDirectories(directory.resolve("schemas"));
        Files.writeString(directory.resolve("schemas/order.avsc"),
                "{\"type\": \"record\", \"name\": \"Order\", \"fields\": [{\"name\": \"id\", \"type\": \"string\"}]}");
        Files.writeString(directory.resolve("orders.yaml"), """
                product: shop.orders
                owner: shop@example.com
                topics: [shop.orders]
                versions:
                  - version: "1.0"
                    schema: { type: AVRO, file: schemas/order.avsc }
                """);
        DataContract contract = new ContractLoader().loadFile(directory.resolve("orders.yaml"));

        ContractBundle bundle = ContractBundle.of(contract);
        ContractBundle read = ContractBundle.fromBytes(bundle.toBytes());
        DataContract loaded = read.load(new ContractLoader(), "kafka:contracts@7");

        assertThat(read).isEqualTo(bundle);
        assertThat(read.toString()).isEqualTo("contract bundle of shop.orders (orders.yaml, 2 files)");
        assertThat(loaded.product()).isEqualTo("shop.orders");
        assertThat(loaded.versions()).isEqualTo(contract.versions());
    }

    @Test
    void bytesThatAreNotABundle_sayWhatIsWrong() {
        assertThatThrownBy(() -> ContractBundle.fromBytes("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a contract bundle: not JSON (");
        assertThatThrownBy(() -> ContractBundle.fromBytes("{\"bundle\": 2}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("not a contract bundle of format 1");
        assertThatThrownBy(() -> ContractBundle.fromBytes(bundle("orders.yaml", "orders.yaml", "%%%")))
                .hasMessageStartingWith("contract bundle of shop.orders: file orders.yaml is not base64: ");
        assertThatThrownBy(() -> ContractBundle.fromBytes(bundle("orders.yaml", "other.yaml", "eA==")))
                .hasMessage("bundle of shop.orders lacks its contract file orders.yaml");
    }

    @Test
    void aFileThatLeavesTheBundlesDirectoryIsRefused() {
        ContractBundle escaping = ContractBundle.fromBytes(bundle("orders.yaml", "../orders.yaml", "eA==",
                "orders.yaml", "eA=="));

        assertThatThrownBy(() -> escaping.load(new ContractLoader(), "kafka:contracts@3"))
                .isInstanceOf(ContractException.class)
                .hasMessage("kafka:contracts@3: contract bundle of shop.orders names file ../orders.yaml, which leaves"
                        + " its directory");
    }

    @Test
    void problemsOfABundledContractNameTheOrigin() {
        String yaml = "product: shop.orders\nowner: shop@example.com\ntopics: [shop.orders]\nversions: []\n";
        ContractBundle broken = ContractBundle.fromBytes(bundle("orders.yaml", "orders.yaml",
                Base64.getEncoder().encodeToString(yaml.getBytes(StandardCharsets.UTF_8))));

        assertThatThrownBy(() -> broken.load(new ContractLoader(), "kafka:contracts@3"))
                .isInstanceOf(ContractException.class)
                .satisfies(e -> assertThat(((ContractException) e).problems())
                        .allSatisfy(problem -> assertThat(problem.file()).isEqualTo("kafka:contracts@3/orders.yaml")));
    }

    private static byte[] bundle(String entry, String... files) {
        StringBuilder json = new StringBuilder("{\"bundle\": 1, \"product\": \"shop.orders\", \"entry\": \"" + entry
                + "\", \"files\": {");
        for (int i = 0; i < files.length; i += 2) {
            json.append(i == 0 ? "" : ", ").append('"').append(files[i]).append("\": \"").append(files[i + 1]).append('"');
        }
        return json.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
