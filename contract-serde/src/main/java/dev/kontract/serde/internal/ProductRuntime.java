package dev.kontract.serde.internal;

import dev.kontract.core.ContractVersion;
import dev.kontract.core.DataContract;
import dev.kontract.core.Version;
import dev.kontract.core.migration.MigrationPlanner;
import dev.kontract.core.rules.RuleEngine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One product's runtime state: a {@link VersionRuntime} per version and the migration planner. */
public final class ProductRuntime {

    private final DataContract contract;
    private final MigrationPlanner planner;
    private final Map<String, VersionRuntime> versions;

    ProductRuntime(DataContract contract, RuleEngine engine) {
        this.contract = contract;
        this.planner = new MigrationPlanner(contract, engine);
        Map<String, VersionRuntime> byText = new LinkedHashMap<>();
        for (ContractVersion version : contract.versions()) {
            byText.put(version.version().toString(), new VersionRuntime(contract, version, engine));
        }
        this.versions = Map.copyOf(byText);
    }

    public DataContract contract() {
        return contract;
    }

    public String name() {
        return contract.product();
    }

    public MigrationPlanner planner() {
        return planner;
    }

    /** The version written as {@code text} in a {@code dp.version} header. */
    public Optional<VersionRuntime> version(String text) {
        return Optional.ofNullable(text == null ? null : versions.get(text));
    }

    public VersionRuntime version(Version version) {
        return versions.get(version.toString());
    }
}
