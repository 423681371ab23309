package dev.kontract.serde.internal;

import dev.kontract.core.ContractViolationException;
import dev.kontract.core.metrics.MeterNames;
import dev.kontract.serde.ContractHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * How the deserializer hands a rejected record to {@code ContractConsumerInterceptor}. A
 * deserializer cannot drop a record and does not know its partition and offset; so it returns
 * {@code null}, adds the {@code dp.error.*} headers, and keeps the raw value and the dead-letter
 * topic in internal headers, with a token drawn at random when this JVM loaded the class. The
 * interceptor, which sees the record's position, sends it to the dead-letter topic without the internal
 * headers and removes it from what {@code poll()} returns. The token tells this JVM's marks from
 * internal headers a record arrived with: those are removed, so that no producer can make consumers
 * drop records by forging them, whatever deserializer (Kontract's or one wrapping it) runs.
 */
public final class DeadLetterMark {

    private static final String INTERNAL_PREFIX = "dp.internal.";

    /** The raw value bytes of a record to dead-letter. */
    public static final String RAW_VALUE = "dp.internal.raw-value";
    /** The dead-letter topic of a record to dead-letter. */
    public static final String DLQ_TOPIC = "dp.internal.dlq-topic";

    /** The product and version (or {@code unknown}) the record is counted under, split by a newline. */
    public static final String COUNTED_AS = "dp.internal.counted-as";
    /** This JVM's token, which proves a mark was set by a deserializer in this JVM. */
    static final String TOKEN = "dp.internal.mark";

    private static final List<String> INTERNAL_HEADERS = List.of(RAW_VALUE, DLQ_TOPIC, COUNTED_AS, TOKEN);
    private static final byte[] JVM_TOKEN = new byte[16];

    static {
        new SecureRandom().nextBytes(JVM_TOKEN);
    }

    /** The interceptor a consumer needs for dead-lettering. */
    public static final String CONSUMER_INTERCEPTOR = "dev.kontract.interceptors.ContractConsumerInterceptor";

    private DeadLetterMark() {}

    static void mark(Headers headers, ByteBuffer value, String dlqTopic, ContractViolationException violation,
            String product, String version, long nowMillis) {
        byte[] raw = new byte[value.remaining()];
        value.duplicate().get(raw);
        removeInternal(headers);
        addErrorHeaders(headers, violation, nowMillis);
        headers.add(DLQ_TOPIC, utf8(dlqTopic));
        headers.add(RAW_VALUE, raw);
        headers.add(COUNTED_AS, utf8(product + "\n" + version));
        headers.add(TOKEN, JVM_TOKEN.clone());
    }

    /** The {@code dp.error.*} headers of a dead letter: stage, rule, reason, source topic and time. */
    public static void addErrorHeaders(Headers headers, ContractViolationException violation, long nowMillis) {
        headers.add(ContractHeaders.ERROR_STAGE, utf8(violation.stage().name()));
        violation.rule().ifPresent(rule -> headers.add(ContractHeaders.ERROR_RULE, utf8(rule)));
        headers.add(ContractHeaders.ERROR_REASON, utf8(violation.reason()));
        violation.topic().ifPresent(topic -> headers.add(ContractHeaders.ERROR_TOPIC, utf8(topic)));
        headers.add(ContractHeaders.ERROR_TIMESTAMP, utf8(Long.toString(nowMillis)));
    }

    /**
     * Removes internal headers a record arrived with, unless a deserializer of this JVM set them, and
     * says whether such a mark remains: only this JVM's deserializers may mark a record, or a producer
     * could make consumers drop records by forging the headers.
     */
    public static boolean removeForged(Headers headers) {
        if (!hasInternal(headers)) {
            return false;
        }
        if (isMarked(headers)) {
            return true;
        }
        removeInternal(headers);
        return false;
    }

    /** One pass over the headers: this runs for every record read. */
    private static boolean hasInternal(Headers headers) {
        for (Header header : headers) {
            if (isInternal(header.key())) {
                return true;
            }
        }
        return false;
    }

    private static void removeInternal(Headers headers) {
        INTERNAL_HEADERS.forEach(headers::remove);
    }

    private static boolean isMarked(Headers headers) {
        Header token = headers.lastHeader(TOKEN);
        return token != null && MessageDigest.isEqual(token.value(), JVM_TOKEN)
                && headers.lastHeader(RAW_VALUE) != null && headers.lastHeader(DLQ_TOPIC) != null;
    }

    public static byte[] rawValue(Headers headers) {
        Header header = headers.lastHeader(RAW_VALUE);
        return header == null ? null : header.value();
    }

    public static String dlqTopic(Headers headers) {
        return ContractWriter.text(headers.lastHeader(DLQ_TOPIC));
    }

    /** Where a marked record is counted in {@code contract.records}. */
    public record CountedAs(String product, String version) {}

    /**
     * The product and version a marked record is counted under in {@code contract.records}: the
     * interceptor counts it {@code dead_lettered} once the dead-letter topic has it, else {@code failed}.
     */
    public static CountedAs countedAs(Headers headers) {
        String text = ContractWriter.text(headers.lastHeader(COUNTED_AS));
        int split = text == null ? -1 : text.indexOf('\n');
        return split < 0 ? new CountedAs(MeterNames.UNKNOWN_VERSION, MeterNames.UNKNOWN_VERSION)
                : new CountedAs(text.substring(0, split), text.substring(split + 1));
    }

    public static boolean isInternal(String headerKey) {
        return headerKey.startsWith(INTERNAL_PREFIX);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
