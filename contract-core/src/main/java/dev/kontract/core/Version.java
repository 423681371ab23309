package dev.kontract.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A contract version, {@code MAJOR.MINOR}. A minor step is compatible under the schema format's own
 * resolution; a major step may break and then carries migration rules.
 */
public record Version(int major, int minor) implements Comparable<Version> {

    private static final Pattern FORMAT = Pattern.compile("(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})");

    public Version {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("version numbers must not be negative: " + major + "." + minor);
        }
    }

    /**
     * Parses {@code "2.1"}.
     *
     * @throws IllegalArgumentException if the text is not {@code MAJOR.MINOR}
     */
    public static Version parse(String text) {
        Matcher matcher = FORMAT.matcher(text == null ? "" : text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a version of the form MAJOR.MINOR, e.g. \"2.1\"");
        }
        return new Version(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    }

    public boolean sameMajor(Version other) {
        return major == other.major;
    }

    @Override
    public int compareTo(Version other) {
        int byMajor = Integer.compare(major, other.major);
        return byMajor != 0 ? byMajor : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
