package dev.kontract.serde.internal;

import dev.kontract.core.ContractViolationException;
import dev.kontract.serde.ContractHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * How the deserializer hands a rejected record to {@code ContractConsumerInterceptor}. A
 * deserializer cannot drop a record and does not know its partition and offset; so it returns
 * {@code null}, adds the {@code dp.error.*} headers, and keeps the raw value and the dead-letter
 * topic in two internal headers. The interceptor, which sees the record's position, sends it to the
 * dead-letter topic without the internal headers and removes it from what {@code poll()} returns.
 */
public final class DeadLetterMark {

    /** The raw value bytes of a record to dead-letter. */
    public static final String RAW_VALUE = "dp.internal.raw-value";
    /** The dead-letter topic of a record to dead-letter. */
    public static final String DLQ_TOPIC = "dp.internal.dlq-topic";

    /** The interceptor a consumer needs for dead-lettering. */
    public static final String CONSUMER_INTERCEPTOR = "dev.kontract.interceptors.ContractConsumerInterceptor";

    private DeadLetterMark() {}

    static void mark(Headers headers, ByteBuffer value, String dlqTopic, ContractViolationException violation,
            long nowMillis) {
        byte[] raw = new byte[value.remaining()];
        value.duplicate().get(raw);
        headers.add(ContractHeaders.ERROR_STAGE, utf8(violation.stage().name()));
        violation.rule().ifPresent(rule -> headers.add(ContractHeaders.ERROR_RULE, utf8(rule)));
        headers.add(ContractHeaders.ERROR_REASON, utf8(violation.reason()));
        violation.topic().ifPresent(topic -> headers.add(ContractHeaders.ERROR_TOPIC, utf8(topic)));
        headers.add(ContractHeaders.ERROR_TIMESTAMP, utf8(Long.toString(nowMillis)));
        headers.add(DLQ_TOPIC, utf8(dlqTopic));
        headers.add(RAW_VALUE, raw);
    }

    /**
     * Removes internal marks a record arrived with: only this client's deserializer may mark a record,
     * or a producer could make consumers drop records by forging the header.
     */
    public static void removeForged(Headers headers) {
        if (headers.lastHeader(RAW_VALUE) != null || headers.lastHeader(DLQ_TOPIC) != null) {
            headers.remove(RAW_VALUE);
            headers.remove(DLQ_TOPIC);
        }
    }

    /** Whether a consumed record was rejected for the dead-letter topic. */
    public static boolean isMarked(Headers headers) {
        return headers.lastHeader(RAW_VALUE) != null;
    }

    public static byte[] rawValue(Headers headers) {
        Header header = headers.lastHeader(RAW_VALUE);
        return header == null ? null : header.value();
    }

    public static String dlqTopic(Headers headers) {
        return ContractWriter.text(headers.lastHeader(DLQ_TOPIC));
    }

    public static boolean isInternal(String headerKey) {
        return RAW_VALUE.equals(headerKey) || DLQ_TOPIC.equals(headerKey);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
