package dev.kontract.core.format;

/**
 * Bounds on what one record may declare, so that no input a producer can write crashes or stalls a
 * reader: a record beyond them is an {@link InvalidRecordException} (a decode failure, which
 * {@code contract.read.failure} turns into an error or a dead letter), never an {@link Error} out of
 * {@code poll()}. The bounds are far above what real records need; raise one only for records
 * known to need more.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>default</th><th>what it bounds</th></tr>
 *   <tr><td>{@link #maxCollectionItems}</td><td>10,000,000</td><td>Array items and map entries in one
 *     Avro record, counted over all its arrays and maps, nested ones included, as their counts are
 *     read. Avro items of {@code null}, of empty records and the like take no bytes, so the record's
 *     size does not bound their number; a few bytes could otherwise declare billions of them.
 *     Protobuf and JSON items take at least a byte each, so the record's size bounds them.</td></tr>
 *   <tr><td>{@link #maxNestingDepth}</td><td>100</td><td>Levels of values nested below the record:
 *     messages and groups in Protobuf (its parser's recursion limit, whose own default is also
 *     100), objects and arrays in JSON (on reading, and before a record is validated against its
 *     JSON Schema, whose validator recurses with about 4 KB of stack per level), records in Avro
 *     records of recursive schemas.</td></tr>
 * </table>
 *
 * <p>Fixed bounds, not configurable: a string, bytes or fixed value, and a Protobuf length-delimited
 * field, cannot declare more bytes than the record has left (Avro's and Protobuf's own checks); a
 * JSON number has at most 1,000 characters, a string 100,000,000 and a property name 50,000
 * (Jackson's defaults). Whatever the limits, a record nested deeper than the reading thread's stack
 * allows is an invalid record, not a {@link StackOverflowError}; that holds for decoding, for
 * {@link RecordCodec#toJson}, {@link RecordCodec#fromJson} and the encoders.
 *
 * <p>A codec takes the limits current when {@link RecordCodec#of(ContractSchema)} builds it, that is
 * when a client loads its contracts; so to raise a limit, set it once at startup, before the
 * clients are created:
 *
 * <pre>{@code
 * DecodeLimits.setDefaults(DecodeLimits.defaults().withMaxCollectionItems(50_000_000));
 * }</pre>
 *
 * <p>Code that builds codecs itself can pass limits to {@link RecordCodec#of(ContractSchema,
 * DecodeLimits)} instead. Immutable.
 *
 * @param maxCollectionItems the most array items and map entries one Avro record may declare
 * @param maxNestingDepth the most levels values may nest below the record
 */
public record DecodeLimits(long maxCollectionItems, int maxNestingDepth) {

    /** The limits as shipped: 10,000,000 collection items, 100 levels of nesting. */
    public static final DecodeLimits DEFAULTS = new DecodeLimits(10_000_000L, 100);

    private static volatile DecodeLimits defaults = DEFAULTS;

    /**
     * @throws IllegalArgumentException when a limit is not positive
     */
    public DecodeLimits {
        if (maxCollectionItems < 1) {
            throw new IllegalArgumentException("Invalid value " + maxCollectionItems
                    + " for maxCollectionItems: must be at least 1");
        }
        if (maxNestingDepth < 1) {
            throw new IllegalArgumentException("Invalid value " + maxNestingDepth
                    + " for maxNestingDepth: must be at least 1");
        }
    }

    /** The limits codecs built from now on take: {@link #DEFAULTS} unless {@link #setDefaults} changed them. */
    public static DecodeLimits defaults() {
        return defaults;
    }

    /**
     * Sets the limits that codecs built from now on take (codecs built before keep theirs). Meant to
     * be called once, at startup, before the Kafka clients are created.
     */
    public static void setDefaults(DecodeLimits limits) {
        defaults = java.util.Objects.requireNonNull(limits, "limits");
    }

    /** These limits with another {@link #maxCollectionItems}. */
    public DecodeLimits withMaxCollectionItems(long maxCollectionItems) {
        return new DecodeLimits(maxCollectionItems, maxNestingDepth);
    }

    /** These limits with another {@link #maxNestingDepth}. */
    public DecodeLimits withMaxNestingDepth(int maxNestingDepth) {
        return new DecodeLimits(maxCollectionItems, maxNestingDepth);
    }
}
