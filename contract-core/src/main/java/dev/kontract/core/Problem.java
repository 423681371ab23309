package dev.kontract.core;

/**
 * One thing wrong with a contract file, located by file, version and field path (for example
 * {@code versions[1].ruleSet.migrationRules[0].expr}). Parts that are not known are {@code null}
 * and left out of the message.
 */
public record Problem(String file, String version, String field, String message) {

    @Override
    public String toString() {
        StringBuilder line = new StringBuilder();
        if (file != null) {
            line.append(file).append(": ");
        }
        if (version != null) {
            line.append("version ").append(version).append(": ");
        }
        if (field != null) {
            line.append(field).append(": ");
        }
        return line.append(message).toString();
    }
}
