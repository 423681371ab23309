package dev.kontract.core.rules.jsonata;

/**
 * An evaluation error of a compiled expression, with JSONata's error code ({@code T2001},
 * {@code D3030}, ...) so that compiled and interpreted rules fail the same way. Messages never hold
 * field values.
 */
final class JsonataError extends RuntimeException {

    private final String code;

    JsonataError(String code, String message) {
        super(code + ": " + message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
