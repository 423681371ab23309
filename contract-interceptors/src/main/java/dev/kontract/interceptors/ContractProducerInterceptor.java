package dev.kontract.interceptors;

import com.github.benmanes.caffeine.cache.Cache;
import dev.kontract.core.ContractViolationException;
import dev.kontract.core.metrics.ContractMeters;
import dev.kontract.core.metrics.MeterNames;
import dev.kontract.core.rules.RuleDecision;
import dev.kontract.core.rules.RuleOutcome;
import dev.kontract.serde.internal.ClientSettings;
import dev.kontract.serde.internal.MeterCaches;
import dev.kontract.serde.ContractHeaders;
import dev.kontract.serde.ContractSerializer;
import dev.kontract.serde.internal.ContractWriter;
import dev.kontract.serde.internal.deadletter.DeadLetterRoute;
import dev.kontract.serde.internal.deadletter.DeadLetterMark;
import dev.kontract.serde.internal.WriteHandoff;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The producer half of Kontract's interceptors ({@code interceptor.classes}).
 *
 * <p>With {@link ContractSerializer} as {@code value.serializer}, it routes records that a
 * {@code DLQ} rule rejects to the dead-letter topic before they are serialized: only an interceptor
 * can change a record's topic, so the record never reaches the product's topic and {@code send()}
 * succeeds (its metadata names the dead-letter topic). Its evaluation is handed to the serializer,
 * so the rules run once per record.
 *
 * <p>With any other value serializer, it adds the {@code dp.*} product headers to records of
 * governed topics, so that a team can start by tagging before it enforces.
 *
 * <p>Either way it counts acknowledged and failed sends per product and topic
 * ({@code contract.producer.sends}) and times send-to-acknowledgement ({@code contract.producer.latency},
 * from the record's timestamp). Kafka logs and swallows exceptions thrown by interceptors; so
 * enforcement ({@code ERROR}) stays in the serializer, and this interceptor never throws.
 */
public final class ContractProducerInterceptor<K, V> implements ProducerInterceptor<K, V> {

    private final Clock clock;
    private ContractWriter writer;
    private ContractMeters meters;
    private boolean enforcing;
    private Cache<String, SendMeters> sendMeters;

    /** For Kafka, which instantiates interceptors by class name and then calls {@link #configure}. */
    public ContractProducerInterceptor() {
        this(Clock.systemUTC());
    }

    ContractProducerInterceptor(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        this.writer = ContractWriter.of(configs, DeadLetterRoute.INTERCEPTORS);
        this.meters = writer.settings().meters();
        this.enforcing = ContractSerializer.class.getName()
                .equals(ClientSettings.className(configs.get(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG)));
        this.sendMeters = MeterCaches.<String, SendMeters>releasingMeters(10_000, topicMeters -> topicMeters.scope,
                topicMeters -> { }).build();
    }

    @Override
    public ProducerRecord<K, V> onSend(ProducerRecord<K, V> record) {
        if (writer == null || writer.isDeadLetter(record.topic(), record.headers())) {
            return record;
        }
        ContractWriter.Binding binding;
        try {
            binding = writer.binding(record.topic());
        } catch (KafkaException ungoverned) {
            return record;
        }
        if (!enforcing) {
            binding.tag(record.headers());
            return record;
        }
        if (record.value() == null || !binding.mayDeadLetter()) {
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
        return deadLetter(record, binding, evaluation.run().deciding());
    }

    private ProducerRecord<K, V> deadLetter(ProducerRecord<K, V> record, ContractWriter.Binding binding,
            RuleOutcome outcome) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        binding.tag(headers);
        DeadLetterMark.addErrorHeaders(headers, binding.violation(outcome, ""), clock.millis());
        return new ProducerRecord<>(binding.dlqTopic(), null, record.timestamp(), record.key(), record.value(), headers);
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        onAcknowledgement(metadata, exception, null);
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception, Headers headers) {
        if (sendMeters == null || metadata == null || headers == null) {
            return;
        }
        Header product = headers.lastHeader(ContractHeaders.PRODUCT);
        if (product == null) {
            return;
        }
        if (enforcing && writer.isDeadLetter(metadata.topic(), headers)) {
            countDeadLetter(headers, exception == null);
        }
        SendMeters topicMeters = sendMeters.get(metadata.topic(), topic -> new SendMeters(knownProduct(product), topic));
        if (exception != null) {
            topicMeters.failed.increment();
            return;
        }
        topicMeters.acked.increment();
        if (metadata.hasTimestamp()) {
            topicMeters.latency.record(Math.max(0, clock.millis() - metadata.timestamp()), TimeUnit.MILLISECONDS);
        }
    }

    /** The product a {@code dp.product} header names, if the contracts have it; else {@code unknown}. */
    private String knownProduct(Header header) {
        String name = new String(header.value(), StandardCharsets.UTF_8);
        return writer.settings().contracts().product(name).isPresent() ? name : MeterNames.UNKNOWN_VERSION;
    }

    /** Counts a dead letter once its topic acknowledged it, or failed to: only then is it dead-lettered. */
    private void countDeadLetter(Headers headers, boolean written) {
        Header source = headers.lastHeader(ContractHeaders.ERROR_TOPIC);
        try {
            writer.binding(new String(source.value(), StandardCharsets.UTF_8)).countDeadLetter(written);
        } catch (KafkaException unbound) {
            // the source topic is no longer bound; nothing to count against
        }
    }

    /** The send meters of one topic; its product is the one its first acknowledged record names. */
    private final class SendMeters {

        final ContractMeters scope = meters.scoped();
        final Counter acked;
        final Counter failed;
        final Timer latency;

        SendMeters(String product, String topic) {
            this.acked = scope.producerSends(product, topic, "acked");
            this.failed = scope.producerSends(product, topic, "failed");
            this.latency = scope.producerLatency(product, topic);
        }
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }
}
