package dev.kontract.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kontract.serde.ContractConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/** The README's configuration table and the code accept the same keys, with the same defaults. */
class ReadmeTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(contract\\.[a-z.]+)` \\|(.*)\\|\\s*$");

    @Test
    void configurationTable_listsExactlyTheKeysTheCodeAccepts() throws IOException {
        Map<String, String> rows = configurationRows();

        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(ContractConfig.configDef().names());
    }

    @Test
    void configurationTable_statesTheDefaultsTheCodeUses() throws IOException {
        Map<String, String> rows = configurationRows();

        for (ConfigDef.ConfigKey key : ContractConfig.configDef().configKeys().values()) {
            if (key.defaultValue != null) {
                assertThat(rows.get(key.name)).as("the README row of %s", key.name)
                        .contains("`" + key.defaultValue + "`");
            }
        }
    }

    @Test
    void quickStart_isTheFirstSectionAndShowsBothCommands() throws IOException {
        List<String> lines = Files.readAllLines(readme());
        List<String> headings = lines.stream().filter(l -> l.startsWith("## ")).toList();

        assertThat(headings.get(0)).isEqualTo("## Quick start");
        assertThat(String.join("\n", lines))
                .contains("mvn -B -q -Pdemo -DskipTests package")
                .contains("mvn -B verify");
        assertThat(Files.readString(readme().resolveSibling(".ci/run"))).contains("exec mvn -B verify");
    }

    /** The rows of the table in the "Configuration keys" section. */
    private static Map<String, String> configurationRows() throws IOException {
        List<String> lines = Files.readAllLines(readme());
        int start = lines.indexOf("## Configuration keys");
        int end = start + 1;
        while (end < lines.size() && !lines.get(end).startsWith("## ")) {
            end++;
        }
        assertThat(start).as("README has a Configuration keys section").isNotNegative();
        return lines.subList(start, end).stream()
                .map(ROW::matcher)
                .filter(Matcher::matches)
                .collect(Collectors.toMap(m -> m.group(1), m -> m.group(2)));
    }

    private static Path readme() {
        return Path.of(System.getProperty("readme", "../README.md"));
    }
}
