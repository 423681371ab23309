package dev.kontract.serde.internal.deadletter;

import dev.kontract.core.ContractViolationException;
import dev.kontract.core.ContractViolationException.Stage;
import dev.kontract.core.metrics.MeterNames;
import dev.kontract.serde.ContractHeaders;
import dev.kontract.serde.internal.HeaderText;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;

/**
 * The mark a deserializer leaves on a record to dead-letter (see the package description): the
 * {@code dp.error.*} headers, then a block of internal headers ending with this JVM's token. The mark
 * writes every internal header it reads later, after the headers the record arrived with, so that
 * {@code lastHeader} always finds the mark's own and never one a producer forged.
 */
public final class DeadLetterMark {

    private static final String INTERNAL_PREFIX = "dp.internal.";
    static final String RAW_KEY = "dp.internal.raw-key";
    static final String RAW_VALUE = "dp.internal.raw-value";
    static final String DLQ_TOPIC = "dp.internal.dlq-topic";
    /** The product and version (or {@code unknown}) the record is counted under, split by a newline. */
    static final String COUNTED_AS = "dp.internal.counted-as";
    /** This JVM's token, which proves a mark was set by a deserializer in this JVM; always the last header. */
    static final String TOKEN = "dp.internal.mark";

    /** Longest {@code dp.error.reason}, in UTF-8 bytes. */
    static final int MAX_REASON_BYTES = 1024;

    private static final byte[] JVM_TOKEN = new byte[16];

    static {
        new SecureRandom().nextBytes(JVM_TOKEN);
    }

    /** The interceptor a consumer needs for dead-lettering. */
    public static final String CONSUMER_INTERCEPTOR = "dev.kontract.interceptors.ContractConsumerInterceptor";

    private DeadLetterMark() {}

    /**
     * Marks a record for the dead-letter topic, with the raw key bytes {@link KeyCapture} holds for
     * these headers and a copy of the raw value bytes. Headers the record arrived with are kept.
     */
    public static void mark(Headers headers, ByteBuffer value, String dlqTopic, ContractViolationException violation,
            String product, String version, long nowMillis) {
        ByteBuffer key = KeyCapture.take(headers);
        addErrorHeaders(headers, violation, nowMillis);
        headers.add(RAW_KEY, key == null ? null : Utils.toArray(key));
        headers.add(RAW_VALUE, Utils.toArray(value));
        headers.add(DLQ_TOPIC, HeaderText.utf8(dlqTopic));
        headers.add(COUNTED_AS, HeaderText.utf8(product + "\n" + version));
        headers.add(TOKEN, JVM_TOKEN.clone());
    }

    /** The {@code dp.error.*} headers of a dead letter: stage, rule, reason, source topic and time. */
    public static void addErrorHeaders(Headers headers, ContractViolationException violation, long nowMillis) {
        headers.add(ContractHeaders.ERROR_STAGE, HeaderText.utf8(violation.stage().name()));
        violation.rule().ifPresent(rule -> headers.add(ContractHeaders.ERROR_RULE, HeaderText.utf8(rule)));
        headers.add(ContractHeaders.ERROR_REASON,
                HeaderText.utf8(HeaderText.truncate(violation.reason(), MAX_REASON_BYTES)));
        violation.topic().ifPresent(topic -> headers.add(ContractHeaders.ERROR_TOPIC, HeaderText.utf8(topic)));
        headers.add(ContractHeaders.ERROR_TIMESTAMP, HeaderText.utf8(Long.toString(nowMillis)));
    }

    /**
     * Removes internal headers unless a deserializer of this JVM marked the record, and says whether
     * it did: only this JVM's deserializers may mark a record, or a producer could make consumers drop
     * records by forging the headers. A marked record keeps the headers it arrived with, forged or not,
     * for its dead letter.
     */
    public static boolean removeForged(Headers headers) {
        if (!hasInternal(headers)) {
            return false;
        }
        if (isMarked(headers)) {
            return true;
        }
        List<String> internal = new ArrayList<>();
        for (Header header : headers) {
            if (isInternal(header.key())) {
                internal.add(header.key());
            }
        }
        internal.forEach(headers::remove);
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

    private static boolean isMarked(Headers headers) {
        Header[] all = headers.toArray();
        Header last = all.length == 0 ? null : all[all.length - 1];
        return last != null && last.key().equals(TOKEN) && MessageDigest.isEqual(last.value(), JVM_TOKEN)
                && headers.lastHeader(RAW_VALUE) != null && headers.lastHeader(DLQ_TOPIC) != null;
    }

    /** The headers of a marked record's dead letter: those it arrived with and the {@code dp.error.*} ones. */
    static Headers deadLetterHeaders(Headers marked) {
        Header[] all = marked.toArray();
        int end = all.length;
        while (end > 0 && isInternal(all[end - 1].key())) {
            end--;
        }
        RecordHeaders headers = new RecordHeaders();
        for (int i = 0; i < end; i++) {
            headers.add(all[i]);
        }
        return headers;
    }

    /** The rejection a mark records, as an exception, with {@code note} added to its reason. */
    public static ContractViolationException violation(Headers marked, String note) {
        CountedAs countedAs = countedAs(marked);
        Stage stage = Stage.valueOf(HeaderText.last(marked, ContractHeaders.ERROR_STAGE));
        return new ContractViolationException(stage, countedAs.product(), countedAs.version(),
                HeaderText.last(marked, ContractHeaders.ERROR_TOPIC), HeaderText.last(marked, ContractHeaders.ERROR_RULE),
                HeaderText.last(marked, ContractHeaders.ERROR_REASON) + " (" + note + ")");
    }

    /**
     * Whether the mark holds the raw key bytes (else the key was {@code null} or its own bytes). The
     * mark always writes this header, after any the record arrived with, so a forged one is never read.
     */
    static boolean hasRawKey(Headers marked) {
        Header rawKey = marked.lastHeader(RAW_KEY);
        return rawKey != null && rawKey.value() != null;
    }

    static byte[] rawKey(Headers marked) {
        return marked.lastHeader(RAW_KEY).value();
    }

    static byte[] rawValue(Headers marked) {
        return marked.lastHeader(RAW_VALUE).value();
    }

    static String dlqTopic(Headers marked) {
        return HeaderText.last(marked, DLQ_TOPIC);
    }

    /** Where a marked record is counted in {@code contract.records}. */
    record CountedAs(String product, String version) {}

    /** The product and version a marked record is counted under in {@code contract.records}. */
    static CountedAs countedAs(Headers marked) {
        String text = HeaderText.last(marked, COUNTED_AS);
        int split = text == null ? -1 : text.indexOf('\n');
        return split < 0 ? new CountedAs(MeterNames.UNKNOWN_VERSION, MeterNames.UNKNOWN_VERSION)
                : new CountedAs(text.substring(0, split), text.substring(split + 1));
    }

    static boolean isInternal(String headerKey) {
        return headerKey.startsWith(INTERNAL_PREFIX);
    }

}
