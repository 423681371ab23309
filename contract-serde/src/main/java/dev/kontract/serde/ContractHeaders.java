package dev.kontract.serde;

/**
 * The record headers Kontract writes. Values are UTF-8 strings; numbers are decimal.
 *
 * <p>Every record: {@link #PRODUCT}, {@link #VERSION} (exact, e.g. {@code 2.1}), {@link #OWNER},
 * {@link #DOMAIN}. Dead-letter records keep the original key, value and headers and add the
 * {@code dp.error.*} headers; {@link #ERROR_PARTITION} and {@link #ERROR_OFFSET} only on the
 * consumer side, where the record had a position.
 */
public final class ContractHeaders {

    public static final String PRODUCT = "dp.product";
    public static final String VERSION = "dp.version";
    public static final String OWNER = "dp.owner";
    public static final String DOMAIN = "dp.domain";

    /** {@code WRITE}, {@code READ}, {@code MIGRATE} or {@code DECODE}. */
    public static final String ERROR_STAGE = "dp.error.stage";
    /** The rule's name, or {@code schema}, {@code decode} or {@code headers} for failures that are not a rule's. */
    public static final String ERROR_RULE = "dp.error.rule";
    public static final String ERROR_REASON = "dp.error.reason";
    public static final String ERROR_TOPIC = "dp.error.topic";
    public static final String ERROR_PARTITION = "dp.error.partition";
    public static final String ERROR_OFFSET = "dp.error.offset";
    /** When the record was rejected, epoch milliseconds. */
    public static final String ERROR_TIMESTAMP = "dp.error.timestamp";

    private ContractHeaders() {}
}
