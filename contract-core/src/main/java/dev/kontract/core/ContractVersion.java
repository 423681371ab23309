package dev.kontract.core;

import dev.kontract.core.format.ContractSchema;
import java.util.Objects;

/** One version of a data product's contract: its schema and its rules. */
public record ContractVersion(Version version, ContractSchema schema, RuleSet ruleSet) {

    public ContractVersion {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(schema, "schema");
        ruleSet = ruleSet == null ? RuleSet.EMPTY : ruleSet;
    }
}
