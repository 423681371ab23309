package dev.kontract.core.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named Micrometer registries that clients select with {@code contract.metrics.registry}, for
 * frameworks that own their registry (Spring Boot's, say): register it once at startup, then name
 * it in the client config. Without a name, clients use Micrometer's global registry.
 */
public final class MeterRegistries {

    private static final Map<String, MeterRegistry> REGISTRIES = new ConcurrentHashMap<>();

    private MeterRegistries() {}

    /** Makes {@code registry} selectable as {@code name}, replacing any registry of that name. */
    public static void register(String name, MeterRegistry registry) {
        REGISTRIES.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(registry, "registry"));
    }

    public static void unregister(String name) {
        REGISTRIES.remove(name);
    }

    /** The registry named {@code name}; Micrometer's global registry when {@code name} is null. */
    public static Optional<MeterRegistry> find(String name) {
        return name == null ? Optional.of(Metrics.globalRegistry) : Optional.ofNullable(REGISTRIES.get(name));
    }

    /** The names registered, for messages. */
    public static java.util.Set<String> names() {
        return java.util.Set.copyOf(REGISTRIES.keySet());
    }
}
