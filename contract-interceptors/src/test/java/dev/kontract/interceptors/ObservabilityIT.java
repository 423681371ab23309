package dev.kontract.interceptors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kontract.core.metrics.MeterNames;
import dev.kontract.core.metrics.MeterRegistries;
import dev.kontract.core.metrics.RecordOutcome;
import dev.kontract.serde.Clients;
import dev.kontract.serde.ContractConfig;
import dev.kontract.serde.ContractHeaders;
import dev.kontract.testkit.KafkaBroker;
import dev.kontract.testkit.KafkaBrokerExtension;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The interceptors' metrics on a real broker, checked against the broker's own truth. */
@ExtendWith(KafkaBrokerExtension.class)
class ObservabilityIT {

    private static final String SOURCE = "classpath:observed-contracts/";
    private static final String PRODUCT = "shop.orders";

    private final List<String> registries = new ArrayList<>();

    @AfterEach
    void unregister() {
        registries.forEach(MeterRegistries::unregister);
    }

    @Test
    void lagEqualsTheBrokersAndTimeLagIsWithinASecondOfTheTruth(KafkaBroker broker) throws Exception {
        String topic = Clients.uniqueTopic("lag");
        broker.createTopic(topic, 2);
        long base = System.currentTimeMillis() - 20_000;
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig(broker, "lag-producer"))) {
            for (int partition = 0; partition < 2; partition++) {
                for (int i = 0; i < 60; i++) {
                    producer.send(new ProducerRecord<>(topic, partition, base + i * 250L, "o-" + i, order(i, 10, "EUR")));
                }
            }
            producer.flush();
        }

        MeterRegistry registry = registry("lag-consumer");
        Map<String, Object> config = consumerConfig(broker, "lag-consumer", "group-" + topic);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 7);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<TopicPartition, Long> committed = new HashMap<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<Integer, Integer> seen = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((seen.getOrDefault(0, 0) < 20 || seen.getOrDefault(1, 0) < 20) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(100))) {
                    if (seen.merge(record.partition(), 1, Integer::sum) >= 20) {
                        consumer.pause(List.of(new TopicPartition(topic, record.partition())));
                    }
                }
            }
            consumer.commitSync();
            partitions.forEach(p -> committed.put(p, consumer.position(p)));

            Map<TopicPartition, Long> end = endOffsets(broker, partitions);
            Map<TopicPartition, Long> groupOffsets = groupOffsets(broker, "group-" + topic);
            for (TopicPartition partition : partitions) {
                long truthLag = end.get(partition) - groupOffsets.get(partition);
                long firstUnconsumedTimestamp = base + groupOffsets.get(partition) * 250L;
                double reported = gauge(registry, MeterNames.CONSUMER_LAG, partition).value();
                double reportedSeconds = gauge(registry, MeterNames.CONSUMER_LAG_SECONDS, partition).value();
                double truthSeconds = (System.currentTimeMillis() - firstUnconsumedTimestamp) / 1000.0;

                assertThat(truthLag).as("the test left records unconsumed on %s", partition).isPositive();
                assertThat(reported).as("lag of %s", partition).isEqualTo((double) truthLag);
                assertThat(reportedSeconds).as("time lag of %s", partition).isCloseTo(truthSeconds, within(1.0));
            }
        }
        assertThat(registry.find(MeterNames.CONSUMER_LAG).gauges()).as("gauges of a closed consumer").isEmpty();
    }

    @Test
    void countersReconcileAndSlaBreachesAreCounted(KafkaBroker broker) throws Exception {
        String topic = Clients.uniqueTopic("orders");
        String dlq = topic + ".dlq";
        broker.createTopic(topic, 1);
        broker.createTopic(dlq, 1);
        MeterRegistry producerRegistry = registry("producer");
        Map<String, Object> producerConfig = producerConfig(broker, "producer");
        producerConfig.put(ContractConfig.DLQ_TOPIC_CONFIG, dlq);
        int produced = 0;
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig)) {
            long old = System.currentTimeMillis() - 3_600_000;
            for (int i = 0; i < 400; i++) {
                boolean stale = i < 10;
                boolean negative = i >= 300 && i < 340;
                boolean unknownCurrency = i >= 340 && i < 350;
                producer.send(new ProducerRecord<>(topic, null, stale ? old : null, "o-" + i,
                        order(i, negative ? -1 : 10, unknownCurrency ? "XXX" : "EUR")));
                produced++;
            }
            producer.flush();
        }

        MeterRegistry consumerRegistry = registry("consumer");
        Map<String, Object> consumerConfig = consumerConfig(broker, "consumer", "group-" + topic);
        List<ConsumerRecord<String, Object>> consumed = Clients.consumeAll(consumerConfig, topic, 390);

        ContractHealth producerSide = ContractHealth.of(producerRegistry, PRODUCT);
        ContractHealth consumerSide = ContractHealth.of(consumerRegistry, PRODUCT);
        assertThat(producerSide.produced()).containsEntry(RecordOutcome.VALID, 350L)
                .containsEntry(RecordOutcome.INVALID, 40L).containsEntry(RecordOutcome.DEAD_LETTERED, 10L);
        assertThat(producerSide.produced().get(RecordOutcome.VALID) + producerSide.produced().get(RecordOutcome.INVALID)
                + producerSide.produced().get(RecordOutcome.DEAD_LETTERED)).isEqualTo(produced);
        assertThat(consumed).hasSize(390);
        assertThat(consumerSide.consumed()).containsEntry(RecordOutcome.VALID, 350L).containsEntry(RecordOutcome.INVALID,
                40L);
        assertThat(ContractHealth.total(consumerSide.consumed()) + producerSide.produced().get(RecordOutcome.DEAD_LETTERED))
                .isEqualTo(produced);
        assertThat(consumerSide.summary()).startsWith("shop.orders: produced 0 (valid 0, invalid 0, dead-lettered 0,"
                + " failed 0); consumed 390 (valid 350, migrated 0, invalid 40, dead-lettered 0, failed 0);")
                .endsWith("SLA breaches: freshness 10, quality 1");
        assertThat(consumerSide.freshnessBreaches()).as("records an hour old against a 1s SLA").isEqualTo(10);
        assertThat(consumerSide.qualityBreaches()).as("40 invalid in the last 390 is below 99%").isEqualTo(1);
        assertThat(consumerSide.freshnessP95Seconds()).isGreaterThanOrEqualTo(0);
        assertThat(producerRegistry.get(MeterNames.PRODUCER_SENDS).tag("topic", topic).tag("outcome", "acked").counter()
                .count()).isEqualTo(390);
        assertThat(producerRegistry.get(MeterNames.PRODUCER_SENDS).tag("topic", dlq).tag("outcome", "acked").counter()
                .count()).isEqualTo(10);
        assertThat(producerRegistry.get(MeterNames.PRODUCER_LATENCY).tag("topic", topic).timer().count()).isEqualTo(390);
    }

    @Test
    void gaugesOfRevokedPartitionsAreRemovedAfterARebalance(KafkaBroker broker) throws Exception {
        String topic = Clients.uniqueTopic("rebalance");
        broker.createTopic(topic, 4);
        String group = "group-" + topic;
        MeterRegistry first = registry("first");
        MeterRegistry second = registry("second");
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig(broker, "rebalance-producer"));
                KafkaConsumer<String, Object> a = new KafkaConsumer<>(rebalancing(broker, "first", group));
                KafkaConsumer<String, Object> b = new KafkaConsumer<>(rebalancing(broker, "second", group))) {
            a.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int i = 0;
            while (partitionsWithGauges(first).size() < 4 && System.nanoTime() < deadline) {
                sendToAll(producer, topic, i++);
                a.poll(Duration.ofMillis(100));
            }
            assertThat(partitionsWithGauges(first)).hasSize(4);

            b.subscribe(List.of(topic));
            while (System.nanoTime() < deadline && !(settled(a, first) && settled(b, second))) {
                sendToAll(producer, topic, i++);
                a.poll(Duration.ofMillis(50));
                b.poll(Duration.ofMillis(50));
            }

            assertThat(a.assignment()).isNotEmpty();
            assertThat(b.assignment()).isNotEmpty();
            assertThat(partitionsWithGauges(first)).isEqualTo(numbers(a.assignment()));
            assertThat(partitionsWithGauges(second)).isEqualTo(numbers(b.assignment()));
        }
    }

    @Test
    void consumersOfOneGroupInOneJvmShareTheGaugesOfAPartitionThatMoves(KafkaBroker broker) throws Exception {
        String topic = Clients.uniqueTopic("shared");
        broker.createTopic(topic, 4);
        String group = "group-" + topic;
        MeterRegistry shared = registry("shared");
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig(broker, "shared-producer"));
                KafkaConsumer<String, Object> a = new KafkaConsumer<>(rebalancing(broker, "shared", group));
                KafkaConsumer<String, Object> b = new KafkaConsumer<>(rebalancing(broker, "shared", group))) {
            a.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int i = 0;
            while (partitionsWithGauges(shared).size() < 4 && System.nanoTime() < deadline) {
                sendToAll(producer, topic, i++);
                a.poll(Duration.ofMillis(100));
            }
            b.subscribe(List.of(topic));
            long stableSince = -1;
            while (System.nanoTime() < deadline) {
                sendToAll(producer, topic, i++);
                a.poll(Duration.ofMillis(50));
                b.poll(Duration.ofMillis(50));
                boolean split = !a.assignment().isEmpty() && !b.assignment().isEmpty();
                if (split && stableSince < 0) {
                    stableSince = System.nanoTime();
                }
                if (split && System.nanoTime() - stableSince > Duration.ofSeconds(3).toNanos()) {
                    break;
                }
            }

            assertThat(a.assignment()).isNotEmpty();
            assertThat(b.assignment()).isNotEmpty();
            assertThat(partitionsWithGauges(shared)).as("a gauge for every partition, whoever owns it now")
                    .containsExactlyInAnyOrder(0, 1, 2, 3);
            assertThat(shared.find(MeterNames.CONSUMER_LAG).gauges()).allSatisfy(g -> assertThat(g.value()).isNotNaN());
        }
    }

    @Test
    void prometheusScrapeShowsTheMetersWithTheirTags(KafkaBroker broker) throws Exception {
        String topic = Clients.uniqueTopic("scrape");
        broker.createTopic(topic, 1);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        String name = "prometheus-" + UUID.randomUUID();
        MeterRegistries.register(name, prometheus);
        registries.add(name);
        Map<String, Object> producerConfig = producerConfig(broker, "unused");
        producerConfig.put(ContractConfig.METRICS_REGISTRY_CONFIG, name);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig)) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "o-" + i, order(i, i == 0 ? -5 : 10, "EUR")));
            }
            producer.flush();
        }
        Map<String, Object> consumerConfig = consumerConfig(broker, "unused", "group-" + topic);
        consumerConfig.put(ContractConfig.METRICS_REGISTRY_CONFIG, name);
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.subscribe(List.of(topic));
            Clients.consume(consumer, 5, Duration.ofSeconds(30));

            String scrape = prometheus.scrape();

            assertThat(scrape)
                    .contains("contract_records_total{outcome=\"valid\",product=\"shop.orders\",side=\"produce\",topic=\""
                            + topic + "\",version=\"1.0\"} 4")
                    .contains("contract_records_total{outcome=\"invalid\",product=\"shop.orders\",side=\"consume\",topic=\""
                            + topic + "\",version=\"1.0\"} 1")
                    .contains("contract_rule_evaluations_total{compiled=\"true\",mode=\"WRITEREAD\",outcome=\"fail\",product=\"shop.orders\","
                            + "rule=\"totalIsPositive\"} 2")
                    .contains("contract_consumer_lag_records{group=\"group-" + topic + "\",partition=\"0\",product=\"shop.orders\",topic=\""
                            + topic + "\"}")
                    .contains("contract_consumer_lag_seconds{group=\"group-" + topic + "\",partition=\"0\",product=\"shop.orders\"")
                    .contains("contract_consumer_freshness_seconds_count{product=\"shop.orders\",topic=\"" + topic + "\"} 5")
                    .contains("contract_producer_sends_total{outcome=\"acked\",product=\"shop.orders\",topic=\"" + topic
                            + "\"} 5");
        }
    }

    @Test
    void producerInterceptorTagsRecordsOfOtherSerializers(KafkaBroker broker) throws Exception {
        String topic = Clients.uniqueTopic("tagged");
        broker.createTopic(topic, 1);
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, ContractProducerInterceptor.class.getName());
        config.put(ContractConfig.SOURCE_CONFIG, SOURCE);
        config.put(ContractConfig.PRODUCT_CONFIG, PRODUCT);
        config.put(ContractConfig.METRICS_REGISTRY_CONFIG, register("tagging"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, "k", "{\"not\": \"validated\"}")).get();
        }

        Map<String, Object> consumerConfig = new HashMap<>(broker.clientConfig());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "group-" + topic);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumerConfig.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, ContractConsumerInterceptor.class.getName());
        consumerConfig.put(ContractConfig.SOURCE_CONFIG, SOURCE);
        consumerConfig.put(ContractConfig.PRODUCT_CONFIG, PRODUCT);
        MeterRegistry observer = registry("observer");
        consumerConfig.put(ContractConfig.METRICS_REGISTRY_CONFIG, "observer");
        List<ConsumerRecord<String, byte[]>> records = Clients.consumeAll(consumerConfig, topic, 1);

        assertThat(records).hasSize(1);
        assertThat(DeadLetterIT.header(records.get(0), ContractHeaders.PRODUCT)).isEqualTo(PRODUCT);
        assertThat(DeadLetterIT.header(records.get(0), ContractHeaders.VERSION)).isEqualTo("1.0");
        assertThat(DeadLetterIT.header(records.get(0), ContractHeaders.OWNER)).isEqualTo("orders-team@example.com");
        assertThat(ContractHealth.of(observer, PRODUCT).consumed()).containsEntry(RecordOutcome.VALID, 1L);
    }

    @Test
    void aWrappedContractDeserializerCountsEachRecordOnce(KafkaBroker broker) throws Exception {
        String topic = Clients.uniqueTopic("wrapped");
        broker.createTopic(topic, 1);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig(broker, "none"))) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(topic, "o-" + i, order(i, 10, "EUR")));
            }
            producer.flush();
        }

        MeterRegistry registry = new SimpleMeterRegistry();
        Map<String, Object> consumerConfig = consumerConfig(broker, "none", "group-" + topic);
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, DeadLetterIT.WrappingDeserializer.class);
        consumerConfig.put(ContractConfig.READER_CLASS_CONFIG, Map.class);
        consumerConfig.put(ContractConfig.METRICS_REGISTRY_CONFIG, registry);
        List<ConsumerRecord<String, Object>> consumed = Clients.consumeAll(consumerConfig, topic, 30);

        assertThat(consumed).hasSize(30).allSatisfy(record -> assertThat(record.value()).isInstanceOf(Map.class));
        assertThat(ContractHealth.of(registry, PRODUCT).consumed()).containsEntry(RecordOutcome.VALID, 30L);
    }

    // ---- helpers ----

    private MeterRegistry registry(String name) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MeterRegistries.register(name, registry);
        registries.add(name);
        return registry;
    }

    private String register(String name) {
        registry(name);
        return name;
    }

    private Map<String, Object> producerConfig(KafkaBroker broker, String registry) {
        Map<String, Object> config = Clients.producer(broker, Map.of(
                ContractConfig.SOURCE_CONFIG, SOURCE,
                ContractConfig.PRODUCT_CONFIG, PRODUCT,
                ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, ContractProducerInterceptor.class.getName()));
        if (registries.contains(registry)) {
            config.put(ContractConfig.METRICS_REGISTRY_CONFIG, registry);
        }
        return new HashMap<>(config);
    }

    private Map<String, Object> consumerConfig(KafkaBroker broker, String registry, String group) {
        Map<String, Object> config = new HashMap<>(Clients.consumer(broker, Map.of(
                ContractConfig.SOURCE_CONFIG, SOURCE,
                ContractConfig.PRODUCT_CONFIG, PRODUCT,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, ContractConsumerInterceptor.class.getName())));
        if (registries.contains(registry)) {
            config.put(ContractConfig.METRICS_REGISTRY_CONFIG, registry);
        }
        return config;
    }

    private Map<String, Object> rebalancing(KafkaBroker broker, String registry, String group) {
        Map<String, Object> config = consumerConfig(broker, registry, group);
        config.put(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
        return config;
    }

    private static Map<String, Object> order(int i, double total, String currency) {
        return Map.of("id", "o-" + i, "total", total, "currency", currency);
    }

    private static void sendToAll(KafkaProducer<String, Object> producer, String topic, int i) {
        for (int partition = 0; partition < 4; partition++) {
            producer.send(new ProducerRecord<>(topic, partition, "o-" + i, order(i, 10, "EUR")));
        }
    }

    private static boolean settled(KafkaConsumer<?, ?> consumer, MeterRegistry registry) {
        return !consumer.assignment().isEmpty() && partitionsWithGauges(registry).equals(numbers(consumer.assignment()));
    }

    private static Set<Integer> numbers(Set<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
    }

    private static Set<Integer> partitionsWithGauges(MeterRegistry registry) {
        return registry.find(MeterNames.CONSUMER_LAG).gauges().stream()
                .map(g -> Integer.parseInt(g.getId().getTag(MeterNames.TAG_PARTITION))).collect(Collectors.toSet());
    }

    private static Gauge gauge(MeterRegistry registry, String name, TopicPartition partition) {
        return registry.get(name).tag(MeterNames.TAG_TOPIC, partition.topic())
                .tag(MeterNames.TAG_PARTITION, Integer.toString(partition.partition())).gauge();
    }

    private static Map<TopicPartition, Long> endOffsets(KafkaBroker broker, List<TopicPartition> partitions)
            throws Exception {
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetSpec> request = partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            return admin.listOffsets(request).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }

    private static Map<TopicPartition, Long> groupOffsets(KafkaBroker broker, String group) throws Exception {
        try (Admin admin = broker.admin()) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }
}
