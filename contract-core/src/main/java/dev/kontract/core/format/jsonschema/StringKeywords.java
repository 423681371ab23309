package dev.kontract.core.format.jsonschema;

import com.google.re2j.Pattern;

/** {@code minLength} and {@code maxLength} (in code points), {@code pattern} and {@code format} of one schema. */
final class StringKeywords {

    private final long minLength;
    private final long maxLength;
    private final Pattern pattern;
    private final Format format;

    /**
     * @param pattern the pattern in RE2/J, matched with {@code find()}; {@code null} when there is none
     * @param format {@code null} when the schema has none or everit does not know it
     */
    StringKeywords(long minLength, long maxLength, Pattern pattern, Format format) {
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.pattern = pattern;
        this.format = format;
    }

    boolean test(String value) {
        int chars = value.length();
        // a string of n chars has between ceil(n / 2) and n code points
        if (chars < minLength) {
            return false;
        }
        if (chars > maxLength || (chars + 1) / 2 < minLength) {
            int codePoints = value.codePointCount(0, chars);
            if (codePoints < minLength || codePoints > maxLength) {
                return false;
            }
        }
        return (pattern == null || pattern.matcher(value).find()) && (format == null || format.test(value));
    }
}
