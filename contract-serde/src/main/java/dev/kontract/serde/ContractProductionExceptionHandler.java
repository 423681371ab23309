package dev.kontract.serde;

import dev.kontract.serde.internal.deadletter.DeadLetterRequest;
import dev.kontract.serde.internal.deadletter.StreamsDeadLetters;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;

/**
 * Kafka Streams' {@code production.exception.handler} for topologies that write with
 * {@link ContractSerde}: a record that a {@code DLQ} rule of the written version rejects goes to the
 * product's dead-letter topic instead of its topic, and the topology goes on. The dead letter holds
 * the record's key, its value encoded in the contract's format without rules, and its headers with
 * the product's tags, then the {@code dp.error.*} headers next to Streams' {@code __streams.errors.*}
 * ones (whose position is that of the input record being processed). Streams writes it with the
 * task's output; Kontract counts the record {@code dead_lettered} when it hands it over.
 *
 * <p>Streams serializes the key with the sink's key serde, which a handler cannot see, so the dead
 * letter's key is serialized with Kafka's own serde for the key's type (strings, numbers, UUIDs, byte
 * arrays and buffers) or else with {@code default.key.serde}; a key of any other type stops the
 * thread, saying so.
 *
 * <p>Any other failure, including a dead letter's own send, is handled as
 * {@link DefaultProductionExceptionHandler} does.
 */
public final class ContractProductionExceptionHandler implements ProductionExceptionHandler {

    private final Clock clock;
    private final DefaultProductionExceptionHandler otherwise = new DefaultProductionExceptionHandler();
    private StreamsDeadLetters deadLetters = StreamsDeadLetters.of(Map.of());

    /** For Kafka Streams, which instantiates handlers by class name and then calls {@link #configure}. */
    public ContractProductionExceptionHandler() {
        this(Clock.systemUTC());
    }

    ContractProductionExceptionHandler(Clock clock) {
        this.clock = clock;
    }

    /** @throws org.apache.kafka.common.config.ConfigException when {@code default.key.serde} cannot be made */
    @Override
    public void configure(Map<String, ?> configs) {
        otherwise.configure(configs);
        deadLetters = StreamsDeadLetters.of(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        return otherwise.handleError(context, record, exception);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
            SerializationExceptionOrigin origin) {
        DeadLetterRequest request = DeadLetterRequest.in(exception);
        if (request == null || origin != SerializationExceptionOrigin.VALUE) {
            return otherwise.handleSerializationError(context, record, exception, origin);
        }
        return Response.resume(List.of(deadLetters.ofWrite(request, context, record, clock.millis())));
    }
}
