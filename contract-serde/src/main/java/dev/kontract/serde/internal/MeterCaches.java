package dev.kontract.serde.internal;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kontract.core.metrics.ContractMeters;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Caches of per-topic state that holds meters: bounded, and the meters of an evicted entry released
 * (they leave the registry unless another client holds them), on the thread that evicts it.
 */
public final class MeterCaches {

    private MeterCaches() {}

    /**
     * A cache builder of at most {@code maximumSize} entries whose evicted values give up the meters
     * {@code scope} finds in them ({@code null}: none), after {@code onEviction}.
     */
    public static <K, V> Caffeine<K, V> releasingMeters(long maximumSize, Function<? super V, ContractMeters> scope,
            Consumer<? super V> onEviction) {
        return Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run)
                .<K, V>removalListener((key, value, cause) -> {
                    if (value != null && cause.wasEvicted()) {
                        onEviction.accept(value);
                        ContractMeters meters = scope.apply(value);
                        if (meters != null) {
                            meters.release();
                        }
                    }
                });
    }
}
