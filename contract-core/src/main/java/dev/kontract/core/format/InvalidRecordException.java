package dev.kontract.core.format;

/**
 * A record does not match its schema, or bytes cannot be decoded with it. The message says where
 * (the field path) and why, without field values.
 */
public class InvalidRecordException extends RuntimeException {

    public InvalidRecordException(String reason) {
        super(reason);
    }

    public InvalidRecordException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
