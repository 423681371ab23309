package dev.kontract.interceptors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kontract.core.DataContract;
import dev.kontract.core.Version;
import dev.kontract.core.format.RecordCodec;
import dev.kontract.core.load.ContractLoader;
import dev.kontract.core.metrics.MeterNames;
import dev.kontract.core.metrics.MeterRegistries;
import dev.kontract.serde.Clients;
import dev.kontract.serde.ContractConfig;
import dev.kontract.serde.ContractHeaders;
import dev.kontract.testkit.KafkaBroker;
import dev.kontract.testkit.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Random;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * DESIGN.md's contract, whose {@code countryIsIso3166} rule dead-letters on write and on read: in a
 * mixed stream with 1% bad records, every record is either consumed or dead-lettered, exactly once,
 * and every dead letter says where it came from.
 */
@ExtendWith(KafkaBrokerExtension.class)
class DeadLetterIT {

    static final String SOURCE = "classpath:dlq-contracts/";
    static final String PRODUCT = "customer.accounts";
    private static final DataContract CONTRACT = new ContractLoader().load(SOURCE).product(PRODUCT).orElseThrow();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PER_VERSION = 500;

    private final List<String> registries = new ArrayList<>();

    @Test
    void producedEqualsConsumedPlusDeadLettered(KafkaBroker broker) throws Exception {
        String topic = Clients.uniqueTopic("accounts");
        String dlq = topic + ".dlq";
        broker.createTopic(topic, 3);
        broker.createTopic(dlq, 1);

        List<String> badAtWrite = new ArrayList<>();
        List<String> badAtRead = new ArrayList<>();
        int produced = 0;
        for (String version : List.of("1.0", "2.0")) {
            Map<String, Object> config = producerConfig(broker, dlq, version);
            try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < PER_VERSION; i++) {
                    String key = version + "-" + i;
                    boolean bad = i % 100 == 42;
                    sends.add(producer.send(new ProducerRecord<>(topic, key, account(version, i, bad ? "Germany" : "DE"))));
                    keys.add(key);
                    if (bad) {
                        (version.equals("1.0") ? badAtRead : badAtWrite).add(key);
                    }
                    produced++;
                }
                for (int i = 0; i < sends.size(); i++) {
                    RecordMetadata metadata = sends.get(i).get();
                    assertThat(metadata.topic()).as("where %s went", keys.get(i))
                            .isEqualTo(badAtWrite.contains(keys.get(i)) ? dlq : topic);
                }
            }
        }

        Map<String, Object> consumerConfig = Clients.consumer(broker, Map.of(
                ContractConfig.SOURCE_CONFIG, SOURCE,
                ContractConfig.PRODUCT_CONFIG, PRODUCT,
                ContractConfig.READER_VERSION_CONFIG, "2.0",
                ContractConfig.DLQ_TOPIC_CONFIG, dlq,
                ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, ContractConsumerInterceptor.class.getName()));
        List<ConsumerRecord<String, Object>> consumed;
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.subscribe(List.of(topic));
            consumed = Clients.consume(consumer, produced - badAtWrite.size() - badAtRead.size(), Duration.ofSeconds(60));
            consumed.addAll(Clients.consume(consumer, Integer.MAX_VALUE, Duration.ofSeconds(2)));
        }
        List<ConsumerRecord<String, byte[]>> deadLetters = readAll(broker, dlq, badAtWrite.size() + badAtRead.size());

        assertThat(consumed).allSatisfy(record -> assertThat(record.value()).isNotNull());
        assertThat(consumed).extracting(ConsumerRecord::key).doesNotContainAnyElementsOf(badAtRead)
                .doesNotContainAnyElementsOf(badAtWrite).doesNotHaveDuplicates();
        assertThat(consumed.size() + deadLetters.size()).isEqualTo(produced);
        assertThat(deadLetters).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrderElementsOf(concat(badAtWrite, badAtRead));

        for (ConsumerRecord<String, byte[]> letter : deadLetters) {
            assertThat(header(letter, ContractHeaders.PRODUCT)).isEqualTo(PRODUCT);
            assertThat(header(letter, ContractHeaders.ERROR_RULE)).isEqualTo("countryIsIso3166");
            assertThat(header(letter, ContractHeaders.ERROR_TOPIC)).isEqualTo(topic);
            assertThat(Long.parseLong(header(letter, ContractHeaders.ERROR_TIMESTAMP))).isPositive();
            if (badAtWrite.contains(letter.key())) {
                assertThat(header(letter, ContractHeaders.ERROR_STAGE)).isEqualTo("WRITE");
                assertThat(header(letter, ContractHeaders.ERROR_REASON)).isEqualTo("condition is false");
                assertThat(header(letter, ContractHeaders.VERSION)).isEqualTo("2.0");
                assertThat(letter.headers().lastHeader(ContractHeaders.ERROR_PARTITION)).isNull();
                assertThat(decode("2.0", letter.value()).get("country").asString()).isEqualTo("Germany");
            } else {
                assertThat(header(letter, ContractHeaders.ERROR_STAGE)).isEqualTo("READ");
                assertThat(header(letter, ContractHeaders.ERROR_REASON))
                        .isEqualTo("condition is false (rule of 2.0, reading 1.0 as 2.0)");
                assertThat(header(letter, ContractHeaders.VERSION)).isEqualTo("1.0");
                int partition = Integer.parseInt(header(letter, ContractHeaders.ERROR_PARTITION));
                long offset = Long.parseLong(header(letter, ContractHeaders.ERROR_OFFSET));
                ConsumerRecord<String, byte[]> original = readAt(broker, topic, partition, offset);
                assertThat(original.key()).isEqualTo(letter.key());
                assertThat(letter.value()).as("the raw bytes of %s-%d@%d", topic, partition, offset)
                        .isEqualTo(original.value());
                assertThat(letter.headers().lastHeader("dp.internal.raw-value")).isNull();
            }
        }
    }

    @Test
    void poisonBytesAreDeadLetteredAndEveryGoodRecordAfterThemIsConsumed(KafkaBroker broker) throws Exception {
        String topic = Clients.uniqueTopic("poison-dlq");
        String dlq = topic + ".dlq";
        broker.createTopic(topic, 1);
        broker.createTopic(dlq, 1);
        try (KafkaProducer<String, Object> good = new KafkaProducer<>(producerConfig(broker, dlq, "2.1"));
                KafkaProducer<String, byte[]> raw = new KafkaProducer<>(rawProducerConfig(broker))) {
            good.send(new ProducerRecord<>(topic, "good-0", account("2.1", 0, "DE"))).get();
            raw.send(new ProducerRecord<>(topic, "poison-0", new byte[] {1, 2, 3})).get();
            ProducerRecord<String, byte[]> garbage = new ProducerRecord<>(topic, "poison-1", new byte[] {(byte) 0xff});
            garbage.headers().add(ContractHeaders.PRODUCT, PRODUCT.getBytes(StandardCharsets.UTF_8));
            garbage.headers().add(ContractHeaders.VERSION, "2.1".getBytes(StandardCharsets.UTF_8));
            raw.send(garbage).get();
            for (int i = 1; i <= 3; i++) {
                good.send(new ProducerRecord<>(topic, "good-" + i, account("2.1", i, "DE"))).get();
            }
        }

        Map<String, Object> consumerConfig = Clients.consumer(broker, Map.of(
                ContractConfig.SOURCE_CONFIG, SOURCE,
                ContractConfig.PRODUCT_CONFIG, PRODUCT,
                ContractConfig.READ_FAILURE_CONFIG, "dlq",
                ContractConfig.DLQ_TOPIC_CONFIG, dlq,
                ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, List.of(ContractConsumerInterceptor.class)));
        List<ConsumerRecord<String, Object>> consumed = Clients.consumeAll(consumerConfig, topic, 4);
        List<ConsumerRecord<String, byte[]>> deadLetters = readAll(broker, dlq, 2);

        assertThat(consumed).extracting(ConsumerRecord::key).containsExactly("good-0", "good-1", "good-2", "good-3");
        assertThat(deadLetters).extracting(ConsumerRecord::key).containsExactly("poison-0", "poison-1");
        ConsumerRecord<String, byte[]> noHeaders = deadLetters.get(0);
        assertThat(noHeaders.value()).containsExactly(1, 2, 3);
        assertThat(header(noHeaders, ContractHeaders.ERROR_STAGE)).isEqualTo("DECODE");
        assertThat(header(noHeaders, ContractHeaders.ERROR_RULE)).isEqualTo("headers");
        assertThat(header(noHeaders, ContractHeaders.ERROR_PARTITION)).isEqualTo("0");
        assertThat(header(noHeaders, ContractHeaders.ERROR_OFFSET)).isEqualTo("1");
        ConsumerRecord<String, byte[]> undecodable = deadLetters.get(1);
        assertThat(header(undecodable, ContractHeaders.ERROR_RULE)).isEqualTo("decode");
        assertThat(header(undecodable, ContractHeaders.ERROR_OFFSET)).isEqualTo("2");
        assertThat(header(undecodable, ContractHeaders.VERSION)).isEqualTo("2.1");
        assertThat(header(undecodable, ContractHeaders.ERROR_REASON)).startsWith("cannot decode bytes written as 2.1");
    }

    @Test
    void aDeadLetterIsTheRecordAsRead(KafkaBroker broker) throws Exception {
        String topic = Clients.uniqueTopic("dlq-as-read");
        String dlq = topic + ".dlq";
        broker.createTopic(topic, 1);
        broker.createTopic(dlq, 1);
        byte[] key = {(byte) 0xff, (byte) 0xc3, 0x28, 0, (byte) 0x80};
        byte[] value = {(byte) 0xff, 1, 2};
        ProducerRecord<byte[], byte[]> poison = new ProducerRecord<>(topic, key, value);
        poison.headers().add(ContractHeaders.PRODUCT, PRODUCT.getBytes(StandardCharsets.UTF_8));
        poison.headers().add(ContractHeaders.VERSION, "2.1".getBytes(StandardCharsets.UTF_8));
        poison.headers().add("trace", new byte[] {(byte) 0xfe, 0});
        poison.headers().add("trace", new byte[0]);
        poison.headers().add("dp.internal.raw-value", "forged".getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(bytesProducerConfig(broker));
                KafkaProducer<String, Object> good = new KafkaProducer<>(producerConfig(broker, dlq, "2.1"))) {
            raw.send(poison).get();
            good.send(new ProducerRecord<>(topic, "good", account("2.1", 0, "DE"))).get();
        }

        List<ConsumerRecord<String, Object>> consumed = Clients.consumeAll(deadLetteringConsumer(broker, dlq), topic, 1);
        ConsumerRecord<byte[], byte[]> letter = readRaw(broker, dlq, 1).get(0);

        assertThat(consumed).extracting(ConsumerRecord::key).containsExactly("good");
        assertThat(letter.key()).containsExactly(key);
        assertThat(letter.value()).containsExactly(value);
        Header[] headers = letter.headers().toArray();
        Header[] sent = poison.headers().toArray();
        for (int i = 0; i < sent.length; i++) {
            assertThat(headers[i].key()).isEqualTo(sent[i].key());
            assertThat(headers[i].value()).as("header %d, %s", i, sent[i].key()).containsExactly(sent[i].value());
        }
        assertThat(Arrays.stream(headers).skip(sent.length).map(Header::key)).containsExactly(
                ContractHeaders.ERROR_STAGE, ContractHeaders.ERROR_RULE, ContractHeaders.ERROR_REASON,
                ContractHeaders.ERROR_TOPIC, ContractHeaders.ERROR_TIMESTAMP, ContractHeaders.ERROR_PARTITION,
                ContractHeaders.ERROR_OFFSET);
    }

    @Test
    void oneRecordsFailureIsThatRecordsOnly(KafkaBroker broker) throws Exception {
        String topic = Clients.uniqueTopic("dlq-big");
        String dlq = topic + ".dlq";
        int limit = 4 << 20;
        try (var admin = broker.admin()) {
            Map<String, String> configs = Map.of("max.message.bytes", Integer.toString(limit));
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(configs),
                    new NewTopic(dlq, 1, (short) 1).configs(configs))).all().get();
        }
        byte[] big = new byte[3 << 20];
        new Random(7).nextBytes(big);
        String hostileVersion = ("9.9\nERROR forged log line " + "\u0007").repeat(5_000);
        Map<String, Object> producerConfig = bytesProducerConfig(broker);
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, limit);
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(producerConfig)) {
            raw.send(new ProducerRecord<>(topic, utf8("big"), big)).get();
            ProducerRecord<byte[], byte[]> hostile = new ProducerRecord<>(topic, utf8("hostile"), new byte[] {1});
            hostile.headers().add(ContractHeaders.VERSION, utf8(hostileVersion));
            raw.send(hostile).get();
            raw.send(new ProducerRecord<>(topic, utf8("small"), new byte[] {2})).get();
        }
        try (KafkaProducer<String, Object> good = new KafkaProducer<>(producerConfig(broker, dlq, "2.1"))) {
            good.send(new ProducerRecord<>(topic, "good", account("2.1", 1, "DE"))).get();
        }

        Map<String, Object> consumerConfig = deadLetteringConsumer(broker, dlq);
        consumerConfig.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 << 10);
        List<ConsumerRecord<String, Object>> consumed = Clients.consumeAll(consumerConfig, topic, 1);
        List<ConsumerRecord<byte[], byte[]>> letters = readRaw(broker, dlq, 3);

        assertThat(consumed).extracting(ConsumerRecord::key).containsExactly("good");
        assertThat(letters).extracting(letter -> new String(letter.key(), StandardCharsets.UTF_8))
                .containsExactly("big", "hostile", "small");
        assertThat(letters.get(0).value()).containsExactly(big);
        String reason = header(letters.get(1), ContractHeaders.ERROR_REASON);
        assertThat(reason).startsWith("the record was written as version 9.9\\u000aERROR forged log line \\u0007")
                .doesNotContain("\n").doesNotContain("\u0007");
        assertThat(reason.getBytes(StandardCharsets.UTF_8).length).isLessThan(1024);
    }

    @Test
    void aDeadLetterThatCannotBeWrittenStopsTheConsumerUntilItCanAndAffectsNoOther(KafkaBroker broker) throws Exception {
        String topic = Clients.uniqueTopic("dlq-refuses");
        String dlq = topic + ".dlq";
        broker.createTopic(topic, 1);
        try (var admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(dlq, 1, (short) 1).configs(Map.of("max.message.bytes", "2000"))))
                    .all().get();
        }
        byte[] incompressible = new byte[5_000];
        new Random(11).nextBytes(incompressible);
        try (KafkaProducer<String, Object> good = new KafkaProducer<>(producerConfig(broker, dlq, "2.1"));
                KafkaProducer<String, byte[]> raw = new KafkaProducer<>(rawProducerConfig(broker))) {
            good.send(new ProducerRecord<>(topic, "good-0", account("2.1", 0, "DE"))).get();
            raw.send(new ProducerRecord<>(topic, "poison-big", incompressible)).get();
            raw.send(new ProducerRecord<>(topic, "poison-small", new byte[] {1})).get();
            good.send(new ProducerRecord<>(topic, "good-1", account("2.1", 1, "DE"))).get();
        }
        SimpleMeterRegistry registry = registry(topic);
        Map<String, Object> consumerConfig = deadLetteringConsumer(broker, dlq);
        consumerConfig.put(ContractConfig.METRICS_REGISTRY_CONFIG, topic);

        List<ConsumerRecord<String, Object>> consumed = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread poller = new Thread(() -> {
            try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(consumerConfig)) {
                consumer.subscribe(List.of(topic));
                while (running.get()) {
                    consumer.poll(Duration.ofMillis(100)).forEach(consumed::add);
                }
            }
        });
        poller.start();
        try {
            Thread.sleep(6_000);
            assertThat(consumed).extracting(ConsumerRecord::key).doesNotContain("poison-big", "poison-small", "good-1");
            assertThat(readRaw(broker, dlq, 1)).as("the dead letter that fits is written meanwhile")
                    .extracting(letter -> new String(letter.key(), StandardCharsets.UTF_8)).containsExactly("poison-small");
            assertThat(records(registry, topic, "dead_lettered")).isEqualTo(1);

            try (var admin = broker.admin()) {
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, dlq), List.of(
                        new AlterConfigOp(new ConfigEntry("max.message.bytes", "1048576"), AlterConfigOp.OpType.SET))))
                        .all().get();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumed.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } finally {
            running.set(false);
            poller.join(30_000);
        }

        assertThat(consumed).extracting(ConsumerRecord::key).containsExactly("good-0", "good-1");
        assertThat(consumed).allSatisfy(record -> {
            assertThat(record.value()).isNotNull();
            assertThat(Arrays.stream(record.headers().toArray()).map(Header::key)).noneMatch(k -> k.startsWith("dp.internal."));
        });
        assertThat(readRaw(broker, dlq, 2)).extracting(letter -> new String(letter.key(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("poison-small", "poison-big");
        assertThat(records(registry, topic, "dead_lettered")).isEqualTo(2);
        assertThat(records(registry, topic, "failed")).isZero();
    }

    @Test
    void aRecordReadAgainIsNotDeadLetteredTwice(KafkaBroker broker) throws Exception {
        String topic = Clients.uniqueTopic("dlq-reread");
        String dlq = topic + ".dlq";
        broker.createTopic(topic, 1);
        broker.createTopic(dlq, 1);
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(rawProducerConfig(broker));
                KafkaProducer<String, Object> good = new KafkaProducer<>(producerConfig(broker, dlq, "2.1"))) {
            raw.send(new ProducerRecord<>(topic, "poison", new byte[] {3})).get();
            good.send(new ProducerRecord<>(topic, "good", account("2.1", 0, "DE"))).get();
        }
        List<ConsumerRecord<String, Object>> consumed = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(deadLetteringConsumer(broker, dlq))) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            for (int pass = 0; pass < 2; pass++) {
                consumer.seek(partition, 0);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (consumer.position(partition) < 2 && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(100)).forEach(consumed::add);
                }
            }
        }

        assertThat(consumed).extracting(ConsumerRecord::key).containsExactly("good", "good");
        assertThat(readRaw(broker, dlq, 1)).hasSize(1);
    }

    @Test
    void aWrappedContractDeserializerStillDeadLetters(KafkaBroker broker) throws Exception {
        String topic = Clients.uniqueTopic("dlq-wrapped");
        String dlq = topic + ".dlq";
        broker.createTopic(topic, 1);
        broker.createTopic(dlq, 1);
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(rawProducerConfig(broker))) {
            raw.send(new ProducerRecord<>(topic, "poison", new byte[] {7})).get();
        }
        Map<String, Object> consumerConfig = deadLetteringConsumer(broker, dlq);
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, WrappingDeserializer.class);

        List<ConsumerRecord<String, Object>> consumed = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(consumerConfig)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < 1 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(consumed::add);
            }
        }
        List<ConsumerRecord<String, byte[]>> letters = readAll(broker, dlq, 1);

        assertThat(consumed).isEmpty();
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.value()).containsExactly(7);
            assertThat(header(letter, ContractHeaders.ERROR_STAGE)).isEqualTo("DECODE");
        });
    }

    /** A deserializer that delegates to Kontract's, as Spring's ErrorHandlingDeserializer does. */
    public static final class WrappingDeserializer implements org.apache.kafka.common.serialization.Deserializer<Object> {

        private final dev.kontract.serde.ContractDeserializer<Object> delegate = new dev.kontract.serde.ContractDeserializer<>();

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            delegate.configure(configs, isKey);
        }

        @Override
        public Object deserialize(String topic, byte[] data) {
            return delegate.deserialize(topic, data);
        }

        @Override
        public Object deserialize(String topic, org.apache.kafka.common.header.Headers headers, byte[] data) {
            return delegate.deserialize(topic, headers, data);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private SimpleMeterRegistry registry(String name) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MeterRegistries.register(name, registry);
        registries.add(name);
        return registry;
    }

    @AfterEach
    void unregisterRegistries() {
        registries.forEach(MeterRegistries::unregister);
    }

    private static double records(SimpleMeterRegistry registry, String topic, String outcome) {
        return registry.find(MeterNames.RECORDS).tag("topic", topic).tag("outcome", outcome).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    /** A consumer that dead-letters read failures to {@code dlq}; the map can take more settings. */
    private static Map<String, Object> deadLetteringConsumer(KafkaBroker broker, String dlq) {
        return new HashMap<>(Clients.consumer(broker, Map.of(
                ContractConfig.SOURCE_CONFIG, SOURCE,
                ContractConfig.PRODUCT_CONFIG, PRODUCT,
                ContractConfig.READ_FAILURE_CONFIG, "dlq",
                ContractConfig.DLQ_TOPIC_CONFIG, dlq,
                ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, ContractConsumerInterceptor.class.getName())));
    }

    static Map<String, Object> producerConfig(KafkaBroker broker, String dlq, String version) {
        return Clients.producer(broker, Map.of(
                ContractConfig.SOURCE_CONFIG, SOURCE,
                ContractConfig.PRODUCT_CONFIG, PRODUCT,
                ContractConfig.VERSION_CONFIG, version,
                ContractConfig.DLQ_TOPIC_CONFIG, dlq,
                ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, ContractProducerInterceptor.class.getName()));
    }

    static Map<String, Object> bytesProducerConfig(KafkaBroker broker) {
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArraySerializer.class);
        return config;
    }

    static List<ConsumerRecord<byte[], byte[]>> readRaw(KafkaBroker broker, String topic, int expected) {
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, Clients.uniqueTopic("reader"));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> records = Clients.consume(consumer, expected, Duration.ofSeconds(30));
            records.addAll(Clients.consume(consumer, Integer.MAX_VALUE, Duration.ofSeconds(1)));
            return records;
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, Object> rawProducerConfig(KafkaBroker broker) {
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArraySerializer.class);
        return config;
    }

    /** An account of DESIGN.md's contract as the application of {@code version} builds it. */
    static Object account(String version, int i, String country) {
        ObjectNode view = JSON.createObjectNode();
        view.put("id", "a-" + i);
        view.put("name", "Name " + i);
        view.put(version.startsWith("1") ? "ssn" : "national_id", "secret-" + i);
        view.put("country", country);
        return codec(version).fromJson(view, null);
    }

    static RecordCodec codec(String version) {
        return RecordCodec.of(CONTRACT.version(Version.parse(version)).orElseThrow().schema());
    }

    private static tools.jackson.databind.JsonNode decode(String version, byte[] bytes) {
        RecordCodec codec = codec(version);
        return codec.toJson(codec.decode(java.nio.ByteBuffer.wrap(bytes)));
    }

    static List<ConsumerRecord<String, byte[]>> readAll(KafkaBroker broker, String topic, int expected) {
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, Clients.uniqueTopic("reader"));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, byte[]>> records = Clients.consume(consumer, expected, Duration.ofSeconds(30));
            records.addAll(Clients.consume(consumer, Integer.MAX_VALUE, Duration.ofSeconds(1)));
            return records;
        }
    }

    private static ConsumerRecord<String, byte[]> readAt(KafkaBroker broker, String topic, int partition, long offset) {
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            return Clients.consume(consumer, 1, Duration.ofSeconds(30)).get(0);
        }
    }

    static String header(ConsumerRecord<?, ?> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
