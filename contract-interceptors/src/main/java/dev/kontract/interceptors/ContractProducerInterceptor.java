package dev.kontract.interceptors;

import dev.kontract.core.ContractViolationException;
import dev.kontract.core.rules.RuleDecision;
import dev.kontract.core.rules.RuleOutcome;
import dev.kontract.serde.ContractHeaders;
import dev.kontract.serde.ContractSerializer;
import dev.kontract.serde.internal.ContractWriter;
import dev.kontract.serde.internal.WriteHandoff;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The producer half of Kontract's interceptors ({@code interceptor.classes}).
 *
 * <p>With {@link ContractSerializer} as {@code value.serializer}, it routes records that a
 * {@code DLQ} rule rejects to the dead-letter topic before they are serialized: only an interceptor
 * can change a record's topic, so the record never reaches the product's topic and {@code send()}
 * succeeds (its metadata names the dead-letter topic). The evaluation is handed to the serializer,
 * so the rules run once per record.
 *
 * <p>Kafka logs and swallows exceptions thrown by interceptors; enforcement ({@code ERROR}) stays in
 * the serializer, and this interceptor never throws from {@code onSend}.
 */
public final class ContractProducerInterceptor<K, V> implements ProducerInterceptor<K, V> {

    private final Clock clock;
    private ContractWriter writer;
    private boolean enforcing;

    /** For Kafka, which instantiates interceptors by class name and then calls {@link #configure}. */
    public ContractProducerInterceptor() {
        this(Clock.systemUTC());
    }

    ContractProducerInterceptor(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        this.writer = ContractWriter.of(configs);
        Object valueSerializer = configs.get(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        String name = valueSerializer instanceof Class<?> type ? type.getName() : String.valueOf(valueSerializer);
        this.enforcing = ContractSerializer.class.getName().equals(name);
    }

    @Override
    public ProducerRecord<K, V> onSend(ProducerRecord<K, V> record) {
        if (writer == null || !enforcing || record.value() == null
                || record.headers().lastHeader(ContractHeaders.ERROR_STAGE) != null) {
            return record;
        }
        ContractWriter.Binding binding;
        try {
            binding = writer.binding(record.topic());
        } catch (KafkaException unbound) {
            return record;
        }
        if (!binding.mayDeadLetter()) {
            return record;
        }
        ContractWriter.Evaluation evaluation;
        try {
            evaluation = binding.evaluate(record.value());
        } catch (ContractViolationException schemaViolation) {
            return record;
        }
        if (evaluation.run().decision() != RuleDecision.DEAD_LETTER) {
            WriteHandoff.put(record.value(), record.topic(), evaluation);
            return record;
        }
        binding.countDeadLettered();
        return deadLetter(record, binding, evaluation.run().deciding());
    }

    private ProducerRecord<K, V> deadLetter(ProducerRecord<K, V> record, ContractWriter.Binding binding,
            RuleOutcome outcome) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        binding.tag(headers);
        headers.add(ContractHeaders.ERROR_STAGE, utf8(ContractViolationException.Stage.WRITE.name()));
        headers.add(ContractHeaders.ERROR_RULE, utf8(outcome.rule().name()));
        headers.add(ContractHeaders.ERROR_REASON, utf8(outcome.reason()));
        headers.add(ContractHeaders.ERROR_TOPIC, utf8(record.topic()));
        headers.add(ContractHeaders.ERROR_TIMESTAMP, utf8(Long.toString(clock.millis())));
        return new ProducerRecord<>(binding.dlqTopic(), null, record.timestamp(), record.key(), record.value(), headers);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        // send outcomes are reported in a later change
    }

    @Override
    public void close() {
        writer = null;
    }
}
