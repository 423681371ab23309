package dev.kontract.interceptors;

import static dev.kontract.interceptors.DeadLetterIT.account;
import static dev.kontract.interceptors.DeadLetterIT.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kontract.serde.Clients;
import dev.kontract.serde.ContractConfig;
import dev.kontract.serde.ContractHeaders;
import dev.kontract.testkit.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * The broker restarts while two idempotent producers with rules (versions 1.0 and 2.0, 1% of records
 * breaking the {@code DLQ} rule of 2.0) and a consumer that reads everything as 2.0 (migrating 1.0
 * records, dead-lettering those that break the rule) run. Afterwards every acknowledged record is on
 * the topic once, and consumed or dead-lettered, never both; the consumer may see a record again only
 * after a commit that did not reach the broker (at least once), and nothing else is duplicated.
 */
class BrokerRestartIT {

    private static final int RECORDS = 3_000;

    @Test
    void producedEqualsConsumedPlusDeadLetteredAcrossARestart() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            String topic = "accounts-restart";
            String dlq = topic + ".dlq";
            broker.createTopic(topic, 3);
            broker.createTopic(dlq, 1);

            Map<String, Object> consumerConfig = Clients.consumer(broker, Map.of(
                    ContractConfig.SOURCE_CONFIG, DeadLetterIT.SOURCE,
                    ContractConfig.PRODUCT_CONFIG, DeadLetterIT.PRODUCT,
                    ContractConfig.READER_VERSION_CONFIG, "2.0",
                    ContractConfig.DLQ_TOPIC_CONFIG, dlq,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, ContractConsumerInterceptor.class.getName()));
            List<String> consumed = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicReference<Throwable> consumerFailure = new AtomicReference<>();
            AtomicInteger commitFailures = new AtomicInteger();
            Thread consumer = new Thread(() -> {
                try (KafkaConsumer<String, Object> client = new KafkaConsumer<>(consumerConfig)) {
                    client.subscribe(List.of(topic));
                    while (running.get()) {
                        ConsumerRecords<String, Object> records = client.poll(Duration.ofMillis(100));
                        records.forEach(record -> {
                            assertThat(record.value()).isNotNull();
                            consumed.add(record.key());
                        });
                        try {
                            client.commitSync(records.nextOffsets());
                        } catch (RuntimeException commitFailed) {
                            commitFailures.incrementAndGet(); // at least once: these records may be read again
                        }
                    }
                } catch (Throwable e) {
                    consumerFailure.set(e);
                }
            }, "restart-consumer");
            consumer.start();

            Map<String, String> destination = new ConcurrentHashMap<>();
            try (KafkaProducer<String, Object> v1 = new KafkaProducer<>(producer(broker, dlq, "1.0"));
                    KafkaProducer<String, Object> v2 = new KafkaProducer<>(producer(broker, dlq, "2.0"))) {
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < RECORDS; i++) {
                    String version = i % 2 == 0 ? "1.0" : "2.0";
                    String key = "k-" + i;
                    boolean bad = i % 100 == 37 || i % 100 == 38;
                    Object account = account(version, i, bad ? "Germany" : "DE");
                    sends.add((version.equals("1.0") ? v1 : v2).send(new ProducerRecord<>(topic, key, account)));
                    keys.add(key);
                    if (i == RECORDS / 3) {
                        broker.restartBroker(Duration.ofSeconds(2));
                    }
                    if (i % 500 == 0) {
                        Thread.sleep(200);
                    }
                }
                for (int i = 0; i < sends.size(); i++) {
                    destination.put(keys.get(i), sends.get(i).get().topic());
                }
                assertThat(connectionsClosed(v1) + connectionsClosed(v2)).as("the producers saw the broker go").isPositive();
            }
            Set<String> toTopic = new HashSet<>();
            destination.forEach((key, where) -> {
                if (where.equals(topic)) {
                    toTopic.add(key);
                }
            });

            List<ConsumerRecord<String, byte[]>> onTopic = DeadLetterIT.readAll(broker, topic, toTopic.size());
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            List<ConsumerRecord<String, byte[]>> letters;
            do {
                Thread.sleep(500);
                letters = DeadLetterIT.readAll(broker, dlq, 0);
            } while (new HashSet<>(consumed).size() + distinctKeys(letters) < RECORDS && System.nanoTime() < deadline);
            running.set(false);
            consumer.join(60_000);

            assertThat(consumerFailure.get()).isNull();
            assertThat(onTopic).extracting(ConsumerRecord::key).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(toTopic);
            Set<String> consumedKeys = new HashSet<>(consumed);
            Set<String> deadLettered = new HashSet<>();
            letters.forEach(letter -> deadLettered.add(letter.key()));
            assertThat(letters).as("one producer and one consumer instance: each dead letter once")
                    .extracting(ConsumerRecord::key).doesNotHaveDuplicates();
            assertThat(letters).filteredOn(letter -> header(letter, ContractHeaders.ERROR_STAGE).equals("READ"))
                    .hasSize(RECORDS / 100);
            if (commitFailures.get() == 0) {
                assertThat(consumed).as("no commit failed, so nothing was read twice").doesNotHaveDuplicates();
            }
            assertThat(consumedKeys).doesNotContainAnyElementsOf(deadLettered);
            Set<String> all = new HashSet<>(consumedKeys);
            all.addAll(deadLettered);
            assertThat(all).hasSize(RECORDS).isEqualTo(destination.keySet());
            assertThat(deadLettered).hasSize(RECORDS / 100 * 2);
            System.out.printf("broker restart: %d produced = %d consumed (%d deliveries, %d failed commits)"
                    + " + %d dead-lettered%n", RECORDS, consumedKeys.size(), consumed.size(), commitFailures.get(),
                    deadLettered.size());
        }
    }

    private static double connectionsClosed(KafkaProducer<?, ?> producer) {
        return producer.metrics().entrySet().stream()
                .filter(metric -> metric.getKey().name().equals("connection-close-total")
                        && metric.getKey().group().equals("producer-metrics"))
                .mapToDouble(metric -> ((Number) metric.getValue().metricValue()).doubleValue()).sum();
    }

    private static long distinctKeys(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(ConsumerRecord::key).distinct().count();
    }

    private static Map<String, Object> producer(EmbeddedKafkaBroker broker, String dlq, String version) {
        Map<String, Object> config = new HashMap<>(DeadLetterIT.producerConfig(broker, dlq, version));
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }
}
