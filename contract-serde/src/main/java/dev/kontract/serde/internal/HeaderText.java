package dev.kontract.serde.internal;

import java.nio.charset.StandardCharsets;

/**
 * Text taken from a record's headers, made safe to put in messages, logs and {@code dp.error.*}
 * headers: a producer controls it, so it is bounded and its control characters are escaped.
 */
public final class HeaderText {

    /** Longest header text quoted in a message, in UTF-8 bytes before escaping. */
    public static final int MAX_QUOTED_BYTES = 256;

    private HeaderText() {}

    /**
     * {@code text} bounded to {@value #MAX_QUOTED_BYTES} UTF-8 bytes (longer text ends in
     * {@code ...(N bytes)}), with control and line-breaking characters written as {@code \}{@code uXXXX}.
     */
    public static String quote(String text) {
        return escape(truncate(text, MAX_QUOTED_BYTES));
    }

    /** {@code text} cut to at most {@code maxBytes} UTF-8 bytes (plus the note of its length), on a character boundary. */
    public static String truncate(String text, int maxBytes) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= maxBytes) {
            return text;
        }
        int end = 0;
        int bytes = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end) + "...(" + utf8.length + " bytes)";
    }

    private static String escape(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    || Character.getType(c) == Character.FORMAT;
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
