package dev.kontract.serde.internal.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kontract.core.ContractViolationException;
import dev.kontract.core.ContractViolationException.Stage;
import dev.kontract.serde.ContractHeaders;
import dev.kontract.serde.internal.HeaderText;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The parts of the dead-letter protocol that need no broker. */
class DeadLetterMarkTest {

    private static final ContractViolationException VIOLATION = new ContractViolationException(Stage.DECODE,
            "customer.accounts", "2.0", "accounts", null, null, "decode", "cannot decode bytes", null);

    @Test
    void aMarkedRecordsDeadLetterHasTheHeadersItArrivedWithThenTheErrorHeaders() {
        Headers headers = new RecordHeaders();
        headers.add("trace", new byte[] {1, 2});
        headers.add("dp.internal.raw-value", "forged".getBytes(StandardCharsets.UTF_8));
        headers.add(ContractHeaders.ERROR_STAGE, "WRITE".getBytes(StandardCharsets.UTF_8));
        byte[] key = {(byte) 0xff, (byte) 0xfe, 0};
        KeyCapture.capture(headers, ByteBuffer.wrap(key));

        DeadLetterMark.mark(headers, ByteBuffer.wrap(new byte[] {9}), "accounts.dlq", VIOLATION, "customer.accounts",
                "2.0", 1234);

        assertThat(DeadLetterMark.removeForged(headers)).as("this JVM's mark").isTrue();
        assertThat(DeadLetterMark.rawKey(headers)).containsExactly(key);
        assertThat(DeadLetterMark.rawValue(headers)).containsExactly(9);
        assertThat(DeadLetterMark.dlqTopic(headers)).isEqualTo("accounts.dlq");
        assertThat(Arrays.stream(DeadLetterMark.deadLetterHeaders(headers).toArray()).map(Header::key))
                .containsExactly("trace", "dp.internal.raw-value", ContractHeaders.ERROR_STAGE,
                        ContractHeaders.ERROR_STAGE, ContractHeaders.ERROR_RULE, ContractHeaders.ERROR_REASON,
                        ContractHeaders.ERROR_TOPIC, ContractHeaders.ERROR_TIMESTAMP);
    }

    @Test
    void keyBytesAreOnlyTakenForTheSameRecordsHeaders() {
        KeyCapture.capture(new RecordHeaders(), ByteBuffer.wrap(new byte[] {1}));
        Headers other = new RecordHeaders();

        DeadLetterMark.mark(other, ByteBuffer.wrap(new byte[] {9}), "accounts.dlq", VIOLATION, "p", "1.0", 0);

        assertThat(DeadLetterMark.hasRawKey(other)).isFalse();
    }

    @Test
    void aForgedRawKeyIsNeverTakenForTheKey() {
        Headers headers = new RecordHeaders();
        headers.add("dp.internal.raw-key", "attacker-chosen".getBytes(StandardCharsets.UTF_8));
        KeyCapture.forget();

        DeadLetterMark.mark(headers, ByteBuffer.wrap(new byte[] {9}), "accounts.dlq", VIOLATION, "p", "1.0", 0);

        assertThat(DeadLetterMark.removeForged(headers)).isTrue();
        assertThat(DeadLetterMark.hasRawKey(headers)).as("no key was captured: the record's own key is used").isFalse();
    }

    @Test
    void internalHeadersWithoutThisJvmsTokenAreRemoved() {
        Headers headers = new RecordHeaders();
        headers.add("dp.internal.raw-value", new byte[] {1});
        headers.add("dp.internal.dlq-topic", "attacker".getBytes(StandardCharsets.UTF_8));
        headers.add("dp.internal.something-new", new byte[0]);
        headers.add("dp.internal.mark", new byte[16]);
        headers.add("kept", new byte[0]);

        assertThat(DeadLetterMark.removeForged(headers)).isFalse();
        assertThat(Arrays.stream(headers.toArray()).map(Header::key)).containsExactly("kept");
    }

    @Test
    void producerTextInTheReasonIsBoundedAndEscaped() {
        String hostile = "2.0\nINFO fake log line\u202e" + "x".repeat(10_000);

        String quoted = HeaderText.quote(hostile);

        assertThat(quoted).startsWith("2.0\\u000aINFO fake log line\\u202e").doesNotContain("\n")
                .endsWith("...(" + hostile.getBytes(StandardCharsets.UTF_8).length + " bytes)");
        assertThat(quoted.length()).isLessThan(256 + 40);
        assertThat(HeaderText.quote("a\\u000a")).as("a backslash is escaped too").isEqualTo("a\\u005cu000a");
        Headers headers = new RecordHeaders();
        DeadLetterMark.addErrorHeaders(headers, new ContractViolationException(Stage.DECODE, "p", null, "t", null, null,
                "headers", "written as " + "é".repeat(5_000), null), 0);
        assertThat(headers.lastHeader(ContractHeaders.ERROR_REASON).value().length)
                .isLessThanOrEqualTo(DeadLetterMark.MAX_REASON_BYTES);
    }

    @Test
    void without_keepsThePositionOfPartitionsLeftEmptyAndStopsAtWithheldRecords() {
        TopicPartition first = new TopicPartition("accounts", 0);
        TopicPartition second = new TopicPartition("accounts", 1);
        ConsumerRecord<String, String> rejected = new ConsumerRecord<>("accounts", 0, 3, "a", null);
        ConsumerRecord<String, String> kept = new ConsumerRecord<>("accounts", 1, 9, "b", "v");
        ConsumerRecord<String, String> stuck = new ConsumerRecord<>("accounts", 1, 10, "c", null);
        ConsumerRecord<String, String> after = new ConsumerRecord<>("accounts", 1, 11, "d", "v");
        ConsumerRecords<String, String> batch = new ConsumerRecords<>(
                Map.of(first, List.of(rejected), second, List.of(kept, stuck, after)),
                Map.of(first, new OffsetAndMetadata(4), second, new OffsetAndMetadata(12)));
        Set<ConsumerRecord<?, ?>> removed = Collections.newSetFromMap(new IdentityHashMap<>());
        removed.add(rejected);
        removed.add(stuck);

        ConsumerRecords<String, String> left = ConsumerDeadLetters.without(batch, removed, Map.of(second, 10L));

        assertThat(left.partitions()).containsExactly(second);
        assertThat(left.records(second)).containsExactly(kept);
        assertThat(left.nextOffsets()).containsEntry(first, new OffsetAndMetadata(4))
                .containsEntry(second, new OffsetAndMetadata(10));
    }

    @Test
    void withoutMarked_stopsEachPartitionAtItsFirstRejectedRecord() {
        TopicPartition partition = new TopicPartition("accounts", 0);
        ConsumerRecord<String, String> good = new ConsumerRecord<>("accounts", 0, 2, "a", "v");
        ConsumerRecord<String, String> rejected = new ConsumerRecord<>("accounts", 0, 3, "b", null);
        DeadLetterMark.mark(rejected.headers(), ByteBuffer.wrap(new byte[] {9}), "accounts.dlq", VIOLATION, "p", "1.0", 0);
        ConsumerRecord<String, String> after = new ConsumerRecord<>("accounts", 0, 4, "c", "v");
        ConsumerRecords<String, String> batch = new ConsumerRecords<>(Map.of(partition, List.of(good, rejected, after)),
                Map.of(partition, new OffsetAndMetadata(5)));

        ConsumerRecords<String, String> left = ConsumerDeadLetters.withoutMarked(batch);

        assertThat(left.records(partition)).containsExactly(good);
        assertThat(left.nextOffsets()).containsEntry(partition, new OffsetAndMetadata(3));
    }
}
