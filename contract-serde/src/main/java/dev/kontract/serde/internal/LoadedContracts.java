package dev.kontract.serde.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kontract.core.ContractCatalog;
import dev.kontract.core.DataContract;
import dev.kontract.core.load.ContractLoader;
import dev.kontract.core.rules.RuleEngine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The contracts of one source with their runtime state, loaded once per JVM and shared by every
 * client that names the same source: a service with ten producers loads and compiles its contracts
 * once. For a contracts topic, one per state of the topic ({@link KafkaContractSource}).
 */
public final class LoadedContracts {

    private static final Cache<Key, LoadedContracts> LOADED = Caffeine.newBuilder().maximumSize(64).build();

    private final ContractCatalog catalog;
    private final Map<String, ProductRuntime> products;

    private LoadedContracts(ContractCatalog catalog, RuleEngine engine, LoadedContracts previous) {
        this.catalog = catalog;
        Map<String, ProductRuntime> runtimes = new LinkedHashMap<>();
        for (DataContract contract : catalog.contracts()) {
            ProductRuntime kept = previous == null ? null : previous.products.get(contract.product());
            runtimes.put(contract.product(), kept != null && kept.contract() == contract ? kept
                    : new ProductRuntime(contract, engine));
        }
        this.products = Map.copyOf(runtimes);
    }

    /**
     * The runtime of {@code catalog}, a later state of the contracts of {@code previous} (or {@code null}):
     * products whose contract is the same object keep their runtime.
     */
    static LoadedContracts of(ContractCatalog catalog, LoadedContracts previous) {
        return new LoadedContracts(catalog, RuleEngine.defaults(), previous);
    }

    /**
     * The contracts of {@code source}, loaded on first use.
     *
     * @throws dev.kontract.core.ContractException listing every problem of the source's files
     */
    public static LoadedContracts of(String source, ClassLoader classLoader) {
        ClassLoader loader = classLoader != null ? classLoader : LoadedContracts.class.getClassLoader();
        return LOADED.get(new Key(source, loader), key -> new LoadedContracts(
                new ContractLoader(RuleEngine.defaults(), key.classLoader()).load(key.source()), RuleEngine.defaults(), null));
    }

    public ContractCatalog catalog() {
        return catalog;
    }

    public Optional<ProductRuntime> product(String product) {
        return Optional.ofNullable(products.get(product));
    }

    public Optional<ProductRuntime> forTopic(String topic) {
        return catalog.forTopic(topic).map(contract -> products.get(contract.product()));
    }

    private record Key(String source, ClassLoader classLoader) {}
}
