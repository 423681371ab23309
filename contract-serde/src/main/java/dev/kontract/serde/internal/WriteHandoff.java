package dev.kontract.serde.internal;

/**
 * Hands the producer interceptor's evaluation of a value to the serializer, so the rules run once
 * per record. Both run on the thread that called {@code send()}: the interceptor's {@code onSend},
 * then the key and value serializers. The serializer takes the evaluation only for the very same
 * value object and topic.
 */
public final class WriteHandoff {

    private static final ThreadLocal<Pending> PENDING = new ThreadLocal<>();

    private record Pending(Object value, String topic, ContractWriter.Evaluation evaluation) {}

    private WriteHandoff() {}

    public static void put(Object value, String topic, ContractWriter.Evaluation evaluation) {
        PENDING.set(new Pending(value, topic, evaluation));
    }

    /** The evaluation left for this value and topic, or {@code null}; clears what was left either way. */
    public static ContractWriter.Evaluation take(Object value, String topic) {
        Pending pending = PENDING.get();
        if (pending == null) {
            return null;
        }
        PENDING.remove();
        return pending.value() == value && pending.topic().equals(topic) ? pending.evaluation() : null;
    }
}
