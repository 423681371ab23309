package dev.kontract.serde.internal.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kontract.core.ContractViolationException;
import dev.kontract.core.ContractViolationException.Stage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/** The write side's dead letters, without a broker: which key bytes, and the message when there are none. */
class StreamsDeadLettersTest {

    private final Counter deadLettered = new SimpleMeterRegistry().counter("dead_lettered");
    private final DeadLetterRequest request = new DeadLetterRequest(new ContractViolationException(Stage.WRITE,
            "customer.accounts", "2.0", "accounts", "countryIsIso3166", "country is not ISO 3166"), "accounts.dlq",
            new byte[] {9}, deadLettered, DeadLetterRoute.PRODUCTION_HANDLER);

    @Test
    void ofWrite_serializesKeysOfKafkasTypesAndCountsTheHandOff() {
        ProducerRecord<byte[], byte[]> letter = StreamsDeadLetters.of(Map.of()).ofWrite(request, context(),
                new ProducerRecord<>("accounts", null, 5L, "id-7", "value"), 10L);

        assertThat(letter.topic()).isEqualTo("accounts.dlq");
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("id-7");
        assertThat(letter.value()).containsExactly(9);
        assertThat(letter.headers().lastHeader("__streams.errors.offset").value()).asString().isEqualTo("41");
        assertThat(deadLettered.count()).isEqualTo(1);
    }

    @Test
    void ofWrite_aKeyOfATypeNoSerdeIsKnownFor_namesTheRuleAndThePosition() {
        assertThatThrownBy(() -> StreamsDeadLetters.of(Map.of()).ofWrite(request, context(),
                new ProducerRecord<>("accounts", null, 5L, List.of("composite", "key"), "value"), 10L))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Kontract cannot dead-letter the record that rule countryIsIso3166 of"
                        + " customer.accounts rejected on accounts (processing countries-0@41): its key is a java.util.")
                .hasMessageEndingWith("which Kafka has no serde for; set default.key.serde to the serde of such keys");
        assertThat(deadLettered.count()).isZero();
    }

    private static ErrorHandlerContext context() {
        return new ErrorHandlerContext() {
            @Override public String topic() { return "countries"; }
            @Override public int partition() { return 0; }
            @Override public long offset() { return 41; }
            @Override public Headers headers() { return new RecordHeaders(); }
            @Override public String processorNodeId() { return "sink"; }
            @Override public TaskId taskId() { return new TaskId(0, 0); }
            @Override public long timestamp() { return 5; }
            @Override public byte[] sourceRawKey() { return null; }
            @Override public byte[] sourceRawValue() { return null; }
        };
    }
}
