package dev.kontract.core;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a product promises its consumers: {@code freshness} bounds the time from a record's event
 * time to its consumption; {@code quality} is the minimum share of valid records, as a fraction
 * (the file's {@code 99.99%} is {@code 0.9999}).
 */
public record ServiceLevel(Optional<Duration> freshness, OptionalDouble quality) {

    public static final ServiceLevel NONE = new ServiceLevel(Optional.empty(), OptionalDouble.empty());

    public ServiceLevel {
        freshness = freshness == null ? Optional.empty() : freshness;
        quality = quality == null ? OptionalDouble.empty() : quality;
    }
}
