package dev.kontract.core;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A data product's contract as loaded from its file: who owns it, which topics carry it, what it
 * promises, and its versions in ascending order.
 *
 * @param source where the contract was loaded from, for messages (a file path or classpath URL)
 */
public record DataContract(
        String product,
        String domain,
        String owner,
        String description,
        List<String> topics,
        List<String> tags,
        ServiceLevel sla,
        Optional<String> dlqTopic,
        List<ContractVersion> versions,
        String source) {

    public DataContract {
        Objects.requireNonNull(product, "product");
        topics = List.copyOf(topics);
        tags = tags == null ? List.of() : List.copyOf(tags);
        sla = sla == null ? ServiceLevel.NONE : sla;
        dlqTopic = dlqTopic == null ? Optional.empty() : dlqTopic;
        versions = versions.stream().sorted(Comparator.comparing(ContractVersion::version)).toList();
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("contract " + product + " has no versions");
        }
    }

    public ContractVersion latest() {
        return versions.get(versions.size() - 1);
    }

    public Optional<ContractVersion> version(Version version) {
        return versions.stream().filter(v -> v.version().equals(version)).findFirst();
    }

    /**
     * Resolves a version as a client names it: {@code "2"} is the latest 2.x, {@code "2.1"} is
     * exactly 2.1.
     *
     * @throws IllegalArgumentException naming the versions that exist when none matches
     */
    public ContractVersion resolve(String spec) {
        String text = spec == null ? "" : spec.trim();
        Optional<ContractVersion> found;
        if (text.matches("0|[1-9][0-9]{0,8}")) {
            int major = Integer.parseInt(text);
            found = versions.stream().filter(v -> v.version().major() == major).reduce((a, b) -> b);
        } else {
            found = version(Version.parse(text));
        }
        return found.orElseThrow(() -> new IllegalArgumentException("product " + product + " has no version '" + text
                + "'; it has " + versionList()));
    }

    /** The versions, for messages: {@code 1.0, 2.0, 2.1}. */
    public String versionList() {
        return versions.stream().map(v -> v.version().toString()).collect(Collectors.joining(", "));
    }

    /** The first version of {@code major}: the one that carries the migration rules into it. */
    public Optional<ContractVersion> firstOfMajor(int major) {
        return versions.stream().filter(v -> v.version().major() == major).findFirst();
    }

    /** The dead-letter topic for records of {@code topic}: the contract's, else {@code <topic>.dlq}. */
    public String dlqTopicFor(String topic) {
        return dlqTopic.orElse(topic + ".dlq");
    }
}
