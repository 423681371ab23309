package dev.kontract.core;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record broke its data contract, or could not be read under it. Thrown from the serializer (so
 * it comes straight out of {@code send()}) and from the deserializer (where the consumer wraps it in
 * a {@code RecordDeserializationException} that names the partition and offset).
 *
 * <p>The message names the stage, product, version, topic and rule, and the reason; it never holds
 * field values.
 */
public class ContractViolationException extends SerializationException {

    /** Where the record failed; the values of the {@code dp.error.stage} header. */
    public enum Stage {
        /** A producer-side check: the schema or a {@code WRITE} rule. */
        WRITE,
        /** A consumer-side {@code READ} rule. */
        READ,
        /** A migration rule between majors. */
        MIGRATE,
        /** The bytes or the {@code dp.*} headers could not be read. */
        DECODE
    }

    /** The {@code rule} of a record that does not match its schema. */
    public static final String SCHEMA = "schema";
    /** The {@code rule} of a record whose bytes cannot be decoded. */
    public static final String UNDECODABLE = "decode";
    /** The {@code rule} of a record whose {@code dp.product} / {@code dp.version} headers are missing or unknown. */
    public static final String HEADERS = "headers";

    private final Stage stage;
    private final String product;
    private final String version;
    private final String topic;
    private final Integer partition;
    private final Long offset;
    private final String rule;
    private final String reason;

    public ContractViolationException(Stage stage, String product, String version, String topic, String rule,
            String reason) {
        this(stage, product, version, topic, null, null, rule, reason, null);
    }

    public ContractViolationException(Stage stage, String product, String version, String topic, Integer partition,
            Long offset, String rule, String reason, Throwable cause) {
        super(render(stage, product, version, topic, partition, offset, rule, reason), cause);
        this.stage = stage;
        this.product = product;
        this.version = version;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.rule = rule;
        this.reason = reason;
    }

    private static String render(Stage stage, String product, String version, String topic, Integer partition,
            Long offset, String rule, String reason) {
        StringBuilder message = new StringBuilder("Contract ").append(stage).append(" failure");
        if (product != null) {
            message.append(" for ").append(product);
            if (version != null) {
                message.append(' ').append(version);
            }
        }
        if (topic != null) {
            message.append(" on topic ").append(topic);
        }
        if (partition != null) {
            message.append(" partition ").append(partition);
        }
        if (offset != null) {
            message.append(" offset ").append(offset);
        }
        if (rule != null) {
            message.append(", rule ").append(rule);
        }
        return message.append(": ").append(reason).toString();
    }

    public Stage stage() {
        return stage;
    }

    public Optional<String> product() {
        return Optional.ofNullable(product);
    }

    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    public Optional<String> topic() {
        return Optional.ofNullable(topic);
    }

    public OptionalInt partition() {
        return partition == null ? OptionalInt.empty() : OptionalInt.of(partition);
    }

    public OptionalLong offset() {
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /** The rule's name, or {@link #SCHEMA}, {@link #UNDECODABLE} or {@link #HEADERS}. */
    public Optional<String> rule() {
        return Optional.ofNullable(rule);
    }

    public String reason() {
        return reason;
    }
}
