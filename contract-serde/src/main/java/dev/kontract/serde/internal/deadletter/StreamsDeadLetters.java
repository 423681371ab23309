package dev.kontract.serde.internal.deadletter;

import dev.kontract.serde.ContractHeaders;
import dev.kontract.serde.internal.HeaderText;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * The dead letters Kontract's Kafka Streams exception handlers hand to Streams (KIP-1034), which
 * writes them with the task's output. Each carries the {@code dp.error.*} headers of a Kontract dead
 * letter and the {@code __streams.errors.*} headers of Streams' own ones.
 */
public final class StreamsDeadLetters {

    /** Streams' dead-letter headers, as its own handlers write them. */
    static final String STREAMS_EXCEPTION = "__streams.errors.exception";
    static final String STREAMS_MESSAGE = "__streams.errors.message";
    static final String STREAMS_STACKTRACE = "__streams.errors.stacktrace";
    static final String STREAMS_TOPIC = "__streams.errors.topic";
    static final String STREAMS_PARTITION = "__streams.errors.partition";
    static final String STREAMS_OFFSET = "__streams.errors.offset";

    private static final String DEFAULT_KEY_SERDE = "default.key.serde";

    /** The serializer of {@code default.key.serde}, for keys of types Kafka has no serde of its own for; or {@code null}. */
    private final Serializer<Object> defaultKeySerializer;

    private StreamsDeadLetters(Serializer<Object> defaultKeySerializer) {
        this.defaultKeySerializer = defaultKeySerializer;
    }

    /** For the handlers' {@code configure}, with Streams' config. */
    @SuppressWarnings("unchecked")
    public static StreamsDeadLetters of(Map<String, ?> streamsConfig) {
        Object keySerde = streamsConfig.get(DEFAULT_KEY_SERDE);
        if (keySerde == null) {
            return new StreamsDeadLetters(null);
        }
        try {
            Serde<Object> serde = keySerde instanceof Class<?> type ? (Serde<Object>) Utils.newInstance(type)
                    : Utils.newInstance(keySerde.toString().trim(), Serde.class);
            serde.configure(streamsConfig, true);
            return new StreamsDeadLetters(serde.serializer());
        } catch (ClassNotFoundException | RuntimeException e) {
            throw new ConfigException(DEFAULT_KEY_SERDE, keySerde, "cannot make the serializer that Kontract's"
                    + " production exception handler writes dead letters' keys with: " + e);
        }
    }

    /**
     * The dead letter of a record {@code ContractSerde} could not read: its key, value and headers as
     * read, then {@code dp.error.*} with its partition and offset.
     */
    public static ProducerRecord<byte[], byte[]> ofRead(DeadLetterRequest request, ErrorHandlerContext context,
            ConsumerRecord<byte[], byte[]> record, long nowMillis) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        DeadLetterMark.addErrorHeaders(headers, request.violation(), nowMillis);
        headers.add(ContractHeaders.ERROR_PARTITION, HeaderText.utf8(Integer.toString(record.partition())));
        headers.add(ContractHeaders.ERROR_OFFSET, HeaderText.utf8(Long.toString(record.offset())));
        addStreamsHeaders(headers, request, context);
        request.handedOff();
        return new ProducerRecord<>(request.dlqTopic(), null, record.timestamp(), record.key(), record.value(), headers);
    }

    /**
     * The dead letter of a record {@code ContractSerde} would not write: its key, its value encoded
     * without rules, its headers with the product's tags, then {@code dp.error.*}; the
     * {@code __streams.errors.*} position is that of the input record being processed.
     *
     * @throws IllegalStateException when the key is of a type no serializer is known for
     */
    public ProducerRecord<byte[], byte[]> ofWrite(DeadLetterRequest request, ErrorHandlerContext context,
            ProducerRecord<?, ?> record, long nowMillis) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        byte[] key = keyBytes(request, context, headers, record.key());
        DeadLetterMark.addErrorHeaders(headers, request.violation(), nowMillis);
        addStreamsHeaders(headers, request, context);
        request.handedOff();
        return new ProducerRecord<>(request.dlqTopic(), null, record.timestamp(), key, request.value(), headers);
    }

    /**
     * A written record's key as bytes. Streams serialized it with the sink's key serde, which a
     * handler cannot see: Kafka's own serde for the key's type (strings, numbers, UUIDs, byte
     * buffers), else {@code default.key.serde}.
     */
    private byte[] keyBytes(DeadLetterRequest request, ErrorHandlerContext context, Headers headers, Object key) {
        String topic = request.violation().topic().orElse(null);
        if (key == null || key instanceof byte[]) {
            return (byte[]) key;
        }
        Serializer<Object> serializer = kafkaSerializer(key.getClass());
        if (serializer == null) {
            serializer = defaultKeySerializer;
        }
        if (serializer == null) {
            throw new IllegalStateException("Kontract cannot dead-letter the record that rule "
                    + request.violation().rule().orElse("?") + " of " + request.violation().product().orElse("?")
                    + " rejected on " + topic + " (processing " + context.topic() + "-" + context.partition() + "@"
                    + context.offset() + "): its key is a " + key.getClass().getName() + ", which Kafka has no serde"
                    + " for; set " + DEFAULT_KEY_SERDE + " to the serde of such keys");
        }
        return serializer.serialize(topic, headers, key);
    }

    @SuppressWarnings("unchecked")
    private static Serializer<Object> kafkaSerializer(Class<?> type) {
        try {
            return (Serializer<Object>) Serdes.serdeFrom(type).serializer();
        } catch (IllegalArgumentException notKafkas) {
            return null;
        }
    }

    private static void addStreamsHeaders(Headers headers, DeadLetterRequest request, ErrorHandlerContext context) {
        StringWriter stackTrace = new StringWriter();
        request.violation().printStackTrace(new PrintWriter(stackTrace));
        headers.add(STREAMS_EXCEPTION, HeaderText.utf8(request.violation().getClass().getName()));
        headers.add(STREAMS_MESSAGE, HeaderText.utf8(request.violation().getMessage()));
        headers.add(STREAMS_STACKTRACE, HeaderText.utf8(stackTrace.toString()));
        headers.add(STREAMS_TOPIC, context.topic() == null ? null : HeaderText.utf8(context.topic()));
        headers.add(STREAMS_PARTITION, HeaderText.utf8(Integer.toString(context.partition())));
        headers.add(STREAMS_OFFSET, HeaderText.utf8(Long.toString(context.offset())));
    }
}
