package dev.kontract.core.format.jsonschema;

import java.util.function.Predicate;
import org.everit.json.schema.FormatValidator;
import org.everit.json.schema.Schema;
import org.everit.json.schema.StringSchema;
import org.everit.json.schema.loader.SchemaLoader;
import org.everit.json.schema.loader.SpecificationVersion;
import org.json.JSONObject;

/**
 * A {@code format} that everit knows in the schema's draft, with exactly everit's verdicts.
 * {@code date-time}, {@code date}, {@code time} and {@code ipv4} first try a check that accepts only
 * well-formed values everit accepts too (RFC 3339 with ASCII digits, real calendar dates, seconds
 * below 60, offsets within ±18:00; dotted quads without leading zeros), and ask everit's own
 * validator only about the rest; the other formats (e-mail, URIs, ipv6, host names, ...) are
 * everit's validator itself. A format everit does not know asserts nothing, as in everit and in
 * draft-07 ({@code uuid} is one: it came with 2019-09).
 */
final class Format {

    private final FormatValidator everit;
    private final Predicate<String> surelyValid;

    private Format(FormatValidator everit, Predicate<String> surelyValid) {
        this.everit = everit;
        this.surelyValid = surelyValid;
    }

    /** The format of that name, or {@code null} when everit does not know it in that draft. */
    static Format of(String name, SpecificationVersion draft) {
        JSONObject probe = new JSONObject().put("format", name);
        if (draft != SpecificationVersion.DRAFT_4) {
            probe.put("$schema", draft == SpecificationVersion.DRAFT_6 ? "http://json-schema.org/draft-06/schema#"
                    : "http://json-schema.org/draft-07/schema#");
        }
        Schema schema = SchemaLoader.builder().schemaJson(probe).build().load().build();
        FormatValidator everit = schema instanceof StringSchema string ? string.getFormatValidator() : null;
        if (everit == null || everit == FormatValidator.NONE) {
            return null;
        }
        Predicate<String> surelyValid = switch (name) {
            case "date-time" -> Format::isDateTime;
            case "date" -> value -> value.length() == 10 && isDate(value, 0, 0);
            case "time" -> value -> isTime(value, 0);
            case "ipv4" -> Format::isIpv4;
            default -> value -> false;
        };
        return new Format(everit, surelyValid);
    }

    /** Whether the value is valid; false too when everit's validator fails on it (its uri-template one can). */
    boolean test(String value) {
        if (surelyValid.test(value)) {
            return true;
        }
        try {
            return everit.validate(value).isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@code YYYY-MM-DDTHH:MM:SS[.F{1,9}](Z|±HH:MM)}, a real date of year 1 or later, a real time. */
    static boolean isDateTime(String value) {
        return value.length() >= 20 && isDate(value, 0, 1) && value.charAt(10) == 'T' && isTime(value, 11);
    }

    /** {@code YYYY-MM-DD} at {@code at}, a real date with a year of at least {@code minYear}. */
    static boolean isDate(String value, int at, int minYear) {
        if (value.length() < at + 10 || value.charAt(at + 4) != '-' || value.charAt(at + 7) != '-') {
            return false;
        }
        int year = digits(value, at, 4);
        int month = digits(value, at + 5, 2);
        int day = digits(value, at + 8, 2);
        return year >= minYear && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(month, year);
    }

    private static int daysIn(int month, int year) {
        return switch (month) {
            case 2 -> year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** {@code HH:MM:SS[.F{1,9}](Z|±HH:MM)} from {@code at} to the end. */
    static boolean isTime(String value, int at) {
        int length = value.length();
        if (length < at + 9 || value.charAt(at + 2) != ':' || value.charAt(at + 5) != ':') {
            return false;
        }
        int hour = digits(value, at, 2);
        int minute = digits(value, at + 3, 2);
        int second = digits(value, at + 6, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return false;
        }
        int i = at + 8;
        if (value.charAt(i) == '.') {
            int start = ++i;
            while (i < length && isDigit(value.charAt(i))) {
                i++;
            }
            if (i == start || i - start > 9 || i == length) {
                return false;
            }
        }
        char zone = value.charAt(i);
        if (zone == 'Z') {
            return i + 1 == length;
        }
        if ((zone != '+' && zone != '-') || length != i + 6 || value.charAt(i + 3) != ':') {
            return false;
        }
        int offsetHours = digits(value, i + 1, 2);
        int offsetMinutes = digits(value, i + 4, 2);
        return offsetHours >= 0 && offsetMinutes >= 0 && offsetMinutes <= 59
                && (offsetHours < 18 || offsetHours == 18 && offsetMinutes == 0);
    }

    /** Four dotted decimal octets, each 0 to 255 without leading zeros. */
    static boolean isIpv4(String value) {
        int length = value.length();
        int i = 0;
        for (int octet = 0; octet < 4; octet++) {
            if (octet > 0) {
                if (i >= length || value.charAt(i) != '.') {
                    return false;
                }
                i++;
            }
            int start = i;
            int number = 0;
            while (i < length && i - start < 3 && isDigit(value.charAt(i))) {
                number = number * 10 + value.charAt(i) - '0';
                i++;
            }
            if (i == start || number > 255 || i - start > 1 && value.charAt(start) == '0') {
                return false;
            }
        }
        return i == length;
    }

    /** The value of {@code count} ASCII digits at {@code at}, or -1. */
    private static int digits(String value, int at, int count) {
        int number = 0;
        for (int i = at; i < at + count; i++) {
            char c = value.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            number = number * 10 + c - '0';
        }
        return number;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
