package dev.kontract.serde.internal;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Header values as text (UTF-8, as every {@code dp.*} header is), and text taken from a record's
 * headers made safe to put in messages, logs and {@code dp.error.*} headers: a producer controls it,
 * so it is bounded and its control characters are escaped.
 */
public final class HeaderText {

    /** Longest header text quoted in a message, in UTF-8 bytes before escaping. */
    static final int MAX_QUOTED_BYTES = 256;

    private HeaderText() {}

    /** The header's value as text, or {@code null} when there is no header or no value. */
    public static String of(Header header) {
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The value of the last header named {@code key} as text, or {@code null}. */
    public static String last(Headers headers, String key) {
        return of(headers.lastHeader(key));
    }

    /** A header value of {@code text}. */
    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code text} bounded to {@value #MAX_QUOTED_BYTES} UTF-8 bytes (longer text ends in
     * {@code ...(N bytes)}), then with backslashes, control, format and line-breaking characters written
     * as {@code \}{@code uXXXX} (so a producer cannot write what looks like an escape).
     */
    public static String quote(String text) {
        return escape(truncate(text, MAX_QUOTED_BYTES));
    }

    /**
     * {@code text} in at most {@code maxBytes} UTF-8 bytes: when longer, cut on a character boundary and
     * ended by a note of its length, the note included in the bound.
     */
    public static String truncate(String text, int maxBytes) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= maxBytes) {
            return text;
        }
        String note = "...(" + utf8.length + " bytes)";
        int budget = Math.max(0, maxBytes - note.length());
        int end = 0;
        int bytes = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > budget) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end) + note;
    }

    private static String escape(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    || Character.getType(c) == Character.FORMAT || c == '\\';
            if (unsafe && escaped == null) {
                escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (escaped != null) {
                if (unsafe) {
                    escaped.append(String.format("\\u%04x", (int) c));
                } else {
                    escaped.append(c);
                }
            }
        }
        return escaped == null ? text : escaped.toString();
    }
}
