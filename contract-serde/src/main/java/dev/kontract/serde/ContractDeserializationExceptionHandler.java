package dev.kontract.serde;

import dev.kontract.serde.internal.deadletter.DeadLetterRequest;
import dev.kontract.serde.internal.deadletter.StreamsDeadLetters;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;

/**
 * Kafka Streams' {@code deserialization.exception.handler} for topologies that read with
 * {@link ContractSerde}: a record that the contract sends to its dead-letter topic (a {@code DLQ} rule
 * of the read path, or {@code contract.read.failure=dlq}) is written there, as read, with the
 * {@code dp.error.*} headers next to Streams' {@code __streams.errors.*} ones, and the topology goes
 * on. Streams writes the dead letter with the task's output (in its transaction under
 * {@code exactly_once_v2}); Kontract counts the record {@code dead_lettered} when it hands it over.
 *
 * <p>Any other failure is handled as {@link LogAndFailExceptionHandler} does: the thread stops, after
 * writing the record to {@code errors.dead.letter.queue.topic.name} when that is set.
 */
public final class ContractDeserializationExceptionHandler implements DeserializationExceptionHandler {

    private final Clock clock;
    private final LogAndFailExceptionHandler otherwise = new LogAndFailExceptionHandler();

    /** For Kafka Streams, which instantiates handlers by class name and then calls {@link #configure}. */
    public ContractDeserializationExceptionHandler() {
        this(Clock.systemUTC());
    }

    ContractDeserializationExceptionHandler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        otherwise.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        DeadLetterRequest request = DeadLetterRequest.in(exception);
        if (request == null) {
            return otherwise.handleError(context, record, exception);
        }
        return Response.resume(List.of(StreamsDeadLetters.ofRead(request, context, record, clock.millis())));
    }
}
