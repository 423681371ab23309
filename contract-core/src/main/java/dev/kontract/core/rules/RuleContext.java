package dev.kontract.core.rules;

import dev.kontract.core.RulePhase;
import dev.kontract.core.Version;
import java.util.Objects;

/**
 * Where a rule runs: the product, the contract version whose rules these are, the phase and, when
 * there is one, the topic.
 */
public record RuleContext(String product, Version version, RulePhase phase, String topic) {

    public RuleContext {
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(phase, "phase");
    }

    public RuleContext onTopic(String otherTopic) {
        return Objects.equals(topic, otherTopic) ? this : new RuleContext(product, version, phase, otherTopic);
    }
}
