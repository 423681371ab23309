package dev.kontract.serde.internal.deadletter;

import dev.kontract.core.ContractViolationException;
import io.micrometer.core.instrument.Counter;

/**
 * What {@code ContractSerde} throws in Kafka Streams for a record the contract sends to its
 * dead-letter topic: Kontract's Streams exception handler turns it into the dead letter (see the
 * package description). It is the rejection itself, with where it goes; a handler that is not
 * Kontract's sees an ordinary {@link ContractViolationException} whose message says which handler
 * was expected.
 */
public final class DeadLetterRequest extends ContractViolationException {

    private final transient ContractViolationException violation;
    private final String dlqTopic;
    private final transient byte[] value;
    private final transient Counter deadLettered;

    /**
     * @param value the value to dead-letter, encoded, on the write side; {@code null} on the read side,
     *     where the dead letter holds the bytes as read
     * @param deadLettered the {@code contract.records{outcome=dead_lettered}} counter of the record
     */
    public DeadLetterRequest(ContractViolationException violation, String dlqTopic, byte[] value, Counter deadLettered,
            String handler) {
        super(violation.stage(), violation.product().orElse(null), violation.version().orElse(null),
                violation.topic().orElse(null), null, null, violation.rule().orElse(null), violation.reason()
                        + " (for " + handler + " to dead-letter to " + dlqTopic + ")", violation);
        this.violation = violation;
        this.dlqTopic = dlqTopic;
        this.value = value;
        this.deadLettered = deadLettered;
    }

    /** The request in {@code exception} or its causes, or {@code null}. */
    public static DeadLetterRequest in(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof DeadLetterRequest request) {
                return request;
            }
        }
        return null;
    }

    /** The rejection, as its {@code dp.error.*} headers tell it. */
    public ContractViolationException violation() {
        return violation;
    }

    public String dlqTopic() {
        return dlqTopic;
    }

    byte[] value() {
        return value;
    }

    /** Counts the record {@code dead_lettered}: Streams writes what its handler returns, with the task's output. */
    void handedOff() {
        deadLettered.increment();
    }
}
