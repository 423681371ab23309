package dev.kontract.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The contracts loaded from one source, looked up by product or by topic. Every product and every
 * topic belongs to at most one contract. Immutable.
 */
public final class ContractCatalog {

    private final String source;
    private final Map<String, DataContract> byProduct;
    private final Map<String, DataContract> byTopic;

    private ContractCatalog(String source, Map<String, DataContract> byProduct, Map<String, DataContract> byTopic) {
        this.source = source;
        this.byProduct = byProduct;
        this.byTopic = byTopic;
    }

    /**
     * @throws ContractException naming both files when two contracts share a product or a topic
     */
    public static ContractCatalog of(String source, Collection<DataContract> contracts) {
        Map<String, DataContract> byProduct = new LinkedHashMap<>();
        Map<String, DataContract> byTopic = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (DataContract contract : contracts) {
            DataContract other = byProduct.putIfAbsent(contract.product(), contract);
            if (other != null) {
                problems.add(new Problem(contract.source(), null, "product",
                        "product " + contract.product() + " is also defined in " + other.source()));
                continue;
            }
            for (String topic : contract.topics()) {
                DataContract owner = byTopic.putIfAbsent(topic, contract);
                if (owner != null) {
                    problems.add(new Problem(contract.source(), null, "topics", "topic " + topic
                            + " already belongs to product " + owner.product() + " (" + owner.source() + ")"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ContractException(problems);
        }
        return new ContractCatalog(source, java.util.Collections.unmodifiableMap(byProduct),
                java.util.Collections.unmodifiableMap(byTopic));
    }

    /** Where the contracts were loaded from, as configured ({@code classpath:contracts/}). */
    public String source() {
        return source;
    }

    public Optional<DataContract> product(String product) {
        return Optional.ofNullable(product == null ? null : byProduct.get(product));
    }

    /** The contract whose {@code topics} holds {@code topic}. */
    public Optional<DataContract> forTopic(String topic) {
        return Optional.ofNullable(topic == null ? null : byTopic.get(topic));
    }

    public Collection<DataContract> contracts() {
        return byProduct.values();
    }

    @Override
    public String toString() {
        return "ContractCatalog" + byProduct.keySet() + " from " + source;
    }
}
