package dev.kontract.serde.internal.deadletter;

import dev.kontract.serde.internal.ClientSettings;
import java.util.Map;

/**
 * How a client's dead letters reach their topic (see the package description): through Kontract's
 * interceptors in a plain producer or consumer, or through Kafka Streams' exception handlers in a
 * topology that uses {@code ContractSerde}.
 */
public enum DeadLetterRoute {

    /** A plain client: the consumer's deserializer marks, its interceptor writes; the producer's interceptor re-addresses. */
    INTERCEPTORS,
    /** Kafka Streams with Kontract's handlers: the serde throws a {@link DeadLetterRequest}, the handler hands the dead letter to Streams. */
    STREAMS_HANDLERS,
    /** Kafka Streams without Kontract's handler for this side: a record cannot be dead-lettered. */
    STREAMS_WITHOUT_HANDLERS;

    /** Streams' keys that name the deserialization handler, the current one first. */
    private static final String[] DESERIALIZATION_HANDLER_KEYS = {
        "deserialization.exception.handler", "default.deserialization.exception.handler"};
    private static final String[] PRODUCTION_HANDLER_KEYS = {
        "production.exception.handler", "default.production.exception.handler"};

    /** Kontract's handlers, by name: naming the classes would load Kafka Streams, which plain clients lack. */
    public static final String DESERIALIZATION_HANDLER = "dev.kontract.serde.ContractDeserializationExceptionHandler";
    public static final String PRODUCTION_HANDLER = "dev.kontract.serde.ContractProductionExceptionHandler";

    /** The route of a {@code ContractSerde}'s deserializer, from the Streams config it is configured with. */
    public static DeadLetterRoute streamsReading(Map<String, ?> streamsConfig) {
        return names(streamsConfig, DESERIALIZATION_HANDLER_KEYS, DESERIALIZATION_HANDLER) ? STREAMS_HANDLERS
                : STREAMS_WITHOUT_HANDLERS;
    }

    /** The route of a {@code ContractSerde}'s serializer, from the Streams config it is configured with. */
    public static DeadLetterRoute streamsWriting(Map<String, ?> streamsConfig) {
        return names(streamsConfig, PRODUCTION_HANDLER_KEYS, PRODUCTION_HANDLER) ? STREAMS_HANDLERS
                : STREAMS_WITHOUT_HANDLERS;
    }

    private static boolean names(Map<String, ?> config, String[] keys, String handler) {
        for (String key : keys) {
            if (config.containsKey(key)) {
                return handler.equals(ClientSettings.className(config.get(key)));
            }
        }
        return false;
    }

    /** Where a client on this route dead-letters, for messages: "on the consumer", "in Kafka Streams". */
    public String where(String side) {
        return this == INTERCEPTORS ? "on the " + side : "in Kafka Streams";
    }

    /**
     * What a {@code ContractSerde} half lacks to dead-letter, or {@code null}.
     *
     * @param reading the deserializer's side, else the serializer's
     */
    public String streamsProblem(boolean reading) {
        if (this != STREAMS_WITHOUT_HANDLERS) {
            return null;
        }
        return (reading ? DESERIALIZATION_HANDLER_KEYS[0] + "=" + DESERIALIZATION_HANDLER
                : PRODUCTION_HANDLER_KEYS[0] + "=" + PRODUCTION_HANDLER)
                + " in the config ContractSerde is configured with (Streams' own config for its default serdes;"
                + " for a serde built in code, pass the Streams config to ContractSerde.configured)";
    }
}
