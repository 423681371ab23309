package dev.kontract.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kontract.testkit.KafkaBroker;
import dev.kontract.testkit.KafkaBrokerExtension;
import dev.kontract.core.ContractViolationException;
import dev.kontract.core.metrics.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams topologies with ContractSerde: v1 records are read as v2 and written as v2, and
 * records the contract dead-letters go through Streams' exception handlers to the dead-letter topics.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StreamsIT {

    private static final String PRODUCT = "customer.accounts.avro";

    @TempDir
    Path stateDir;

    @Test
    void topologyReadsV1AndWritesV2(KafkaBroker broker) throws Exception {
        String input = Clients.uniqueTopic("streams-in");
        String output = Clients.uniqueTopic("streams-out");
        broker.createTopic(input, 1);
        broker.createTopic(output, 1);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(Clients.producer(broker, Map.of(
                ContractConfig.PRODUCT_CONFIG, PRODUCT, ContractConfig.VERSION_CONFIG, "1.0")))) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(input, "id-" + i, StoryFixtures.record("avro", "1.0", i, "FR")));
            }
            producer.flush();
        }

        ContractSerde<GenericRecord> serde = ContractSerde.configured(Map.of(
                ContractConfig.PRODUCT_CONFIG, PRODUCT,
                ContractConfig.READER_VERSION_CONFIG, "2",
                ContractConfig.VERSION_CONFIG, "2"));
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), serde))
                .filter((key, account) -> account.get("national_id") != null)
                .to(output, Produced.with(Serdes.String(), serde));
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, Clients.uniqueTopic("app"));
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(stateDir).toString());
        properties.put("consumer.auto.offset.reset", "earliest");
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);

        List<ConsumerRecord<String, Object>> records;
        try (KafkaStreams streams = new KafkaStreams(builder.build(), properties)) {
            streams.start();
            records = Clients.consumeAll(Clients.consumer(broker, Map.of(ContractConfig.PRODUCT_CONFIG, PRODUCT,
                    ContractConfig.READER_VERSION_CONFIG, "2.1")), output, 10);
            streams.close(Duration.ofSeconds(10));
        }

        assertThat(records).hasSize(10);
        for (ConsumerRecord<String, Object> record : records) {
            int person = Integer.parseInt(record.key().substring(3));
            assertThat(FormatStoryIT.header(record, ContractHeaders.VERSION)).isEqualTo("2.1");
            assertThat(StoryFixtures.viewOf("avro", "2.1", record.value())).isEqualTo(StoryFixtures.view(2, person, "FR"));
        }
    }

    /**
     * Two sub-topologies in one app. Accounts written as 1.0 (1% of them with a country the READ rule
     * of 2.0 dead-letters, and two poison records) are read as 2.0 and written as 2.0: output plus dead
     * letters is the input. Plain strings are built into 2.0 accounts (1% with a country the WRITE
     * rule dead-letters) and written: the same. The app is still running at the end.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"avro", "json", "proto"})
    void deadLettersGoThroughStreamsHandlersAndTheTopologyKeepsRunning(String format, KafkaBroker broker)
            throws Exception {
        String source = StoryFixtures.deadLetteringSource(Files.createDirectories(stateDir.resolve("contracts")));
        String product = StoryFixtures.product(format);
        String accounts = Clients.uniqueTopic("accounts");
        String upgraded = Clients.uniqueTopic("upgraded");
        String countries = Clients.uniqueTopic("countries");
        String built = Clients.uniqueTopic("built");
        for (String topic : List.of(accounts, accounts + ".dlq", upgraded, countries, built, built + ".dlq")) {
            broker.createTopic(topic, 1);
        }
        int records = 1_000;
        Set<String> foreign = new HashSet<>();
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(Clients.producer(broker, Map.of(
                ContractConfig.SOURCE_CONFIG, source, ContractConfig.PRODUCT_CONFIG, product,
                ContractConfig.VERSION_CONFIG, "1.0")));
                KafkaProducer<String, String> plain = new KafkaProducer<>(Clients.producer(broker, Map.of(
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class)));
                KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Clients.producer(broker, Map.of(
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)))) {
            for (int i = 0; i < records; i++) {
                String country = i % 100 == 42 ? "France" : "FR";
                if (!country.equals("FR")) {
                    foreign.add("id-" + i);
                }
                producer.send(new ProducerRecord<>(accounts, "id-" + i, StoryFixtures.record(format, "1.0", i, country)));
                plain.send(new ProducerRecord<>(countries, "id-" + i, country));
                if (i == records / 2 || i == records - 1) {
                    producer.flush();
                    raw.send(new ProducerRecord<>(accounts, "poison-" + i, new byte[] {0, 1, 2})).get();
                }
            }
            producer.flush();
            plain.flush();
        }

        MeterRegistry registry = new SimpleMeterRegistry();
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, Clients.uniqueTopic("app"));
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(stateDir.resolve("state")).toString());
        config.put("consumer.auto.offset.reset", "earliest");
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                ContractDeserializationExceptionHandler.class);
        config.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
                ContractProductionExceptionHandler.class.getName());
        config.put(ContractConfig.SOURCE_CONFIG, source);
        config.put(ContractConfig.PRODUCT_CONFIG, product);
        config.put(ContractConfig.READER_VERSION_CONFIG, "2.0");
        config.put(ContractConfig.VERSION_CONFIG, "2.0");
        config.put(ContractConfig.READ_FAILURE_CONFIG, ContractConfig.READ_FAILURE_DLQ);
        config.put(ContractConfig.METRICS_REGISTRY_CONFIG, registry);
        ContractSerde<Object> serde = ContractSerde.configured(config);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(accounts, Consumed.with(Serdes.String(), serde)).to(upgraded, Produced.with(Serdes.String(), serde));
        builder.stream(countries, Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues((id, country) -> StoryFixtures.record(format, "2.0", Integer.parseInt(id.substring(3)), country))
                .to(built, Produced.with(Serdes.String(), serde));
        Properties properties = new Properties();
        properties.putAll(config);

        List<ConsumerRecord<String, Object>> read;
        List<ConsumerRecord<byte[], byte[]>> readLetters;
        List<ConsumerRecord<String, Object>> written;
        List<ConsumerRecord<byte[], byte[]>> writeLetters;
        KafkaStreams.State state;
        try (KafkaStreams streams = new KafkaStreams(builder.build(), properties)) {
            streams.start();
            Map<String, Object> reading = Map.of(ContractConfig.SOURCE_CONFIG, source, ContractConfig.PRODUCT_CONFIG,
                    product, ContractConfig.READER_VERSION_CONFIG, "3" /* no dead-lettering rule */);
            read = Clients.consumeAll(Clients.consumer(broker, reading), upgraded, records - foreign.size());
            written = Clients.consumeAll(Clients.consumer(broker, reading), built, records - foreign.size());
            readLetters = consumeRaw(broker, accounts + ".dlq", foreign.size() + 2);
            writeLetters = consumeRaw(broker, built + ".dlq", foreign.size());
            state = streams.state();
            streams.close(Duration.ofSeconds(10));
        }
        Map<Long, byte[]> input = consumeRaw(broker, accounts, records + 2).stream()
                .collect(Collectors.toMap(ConsumerRecord::offset, ConsumerRecord::value));

        assertThat(state).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(foreign).hasSize(10);
        assertThat(read).hasSize(records - foreign.size()).extracting(ConsumerRecord::key).doesNotContainAnyElementsOf(foreign);
        assertThat(readLetters).extracting(letter -> new String(letter.key(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrderElementsOf(concat(foreign, Set.of("poison-500", "poison-999")));
        assertThat(read.size() + readLetters.size()).isEqualTo(records + 2);
        for (ConsumerRecord<byte[], byte[]> letter : readLetters) {
            long offset = Long.parseLong(header(letter, ContractHeaders.ERROR_OFFSET));
            assertThat(letter.value()).as("the value as read").isEqualTo(input.get(offset));
            assertThat(header(letter, ContractHeaders.ERROR_TOPIC)).isEqualTo(accounts);
            assertThat(header(letter, ContractHeaders.ERROR_PARTITION)).isEqualTo("0");
            assertThat(header(letter, "__streams.errors.topic")).isEqualTo(accounts);
            assertThat(header(letter, "__streams.errors.offset")).isEqualTo(Long.toString(offset));
            assertThat(header(letter, "__streams.errors.exception")).isEqualTo(ContractViolationException.class.getName());
            if (new String(letter.key(), StandardCharsets.UTF_8).startsWith("poison")) {
                assertThat(header(letter, ContractHeaders.ERROR_STAGE)).isEqualTo("DECODE");
                assertThat(header(letter, ContractHeaders.ERROR_RULE)).isEqualTo(ContractViolationException.HEADERS);
                assertThat(header(letter, ContractHeaders.VERSION)).isNull();
            } else {
                assertThat(header(letter, ContractHeaders.ERROR_STAGE)).isEqualTo("READ");
                assertThat(header(letter, ContractHeaders.ERROR_RULE)).isEqualTo("countryIsIso3166");
                assertThat(header(letter, ContractHeaders.VERSION)).as("as it arrived").isEqualTo("1.0");
                assertThat(header(letter, "__streams.errors.message")).contains("rule countryIsIso3166");
            }
        }

        assertThat(written).hasSize(records - foreign.size()).extracting(ConsumerRecord::key)
                .doesNotContainAnyElementsOf(foreign);
        assertThat(writeLetters).extracting(letter -> new String(letter.key(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrderElementsOf(foreign);
        for (ConsumerRecord<byte[], byte[]> letter : writeLetters) {
            int person = Integer.parseInt(new String(letter.key(), StandardCharsets.UTF_8).substring(3));
            assertThat(header(letter, ContractHeaders.ERROR_STAGE)).isEqualTo("WRITE");
            assertThat(header(letter, ContractHeaders.ERROR_RULE)).isEqualTo("countryIsIso3166");
            assertThat(header(letter, ContractHeaders.ERROR_TOPIC)).isEqualTo(built);
            assertThat(header(letter, ContractHeaders.VERSION)).isEqualTo("2.0");
            assertThat(header(letter, "__streams.errors.topic")).isEqualTo(countries);
            assertThat(header(letter, "__streams.errors.offset")).isEqualTo(Integer.toString(person));
            var codec = StoryFixtures.codec(format, "2.0");
            assertThat(codec.toJson(codec.decode(ByteBuffer.wrap(letter.value()))))
                    .isEqualTo(StoryFixtures.view(2, person, "France"));
        }

        assertThat(count(registry, "consume", "dead_lettered")).isEqualTo(foreign.size() + 2);
        assertThat(count(registry, "consume", "migrated")).isEqualTo(records - foreign.size());
        assertThat(count(registry, "produce", "dead_lettered")).isEqualTo(foreign.size());
        serde.close();
    }

    private static double count(MeterRegistry registry, String side, String outcome) {
        return registry.find(MeterNames.RECORDS).tag("side", side).tag("outcome", outcome).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static Set<String> concat(Set<String> first, Set<String> second) {
        Set<String> all = new HashSet<>(first);
        all.addAll(second);
        return all;
    }

    private static String header(ConsumerRecord<?, ?> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<byte[], byte[]>> consumeRaw(KafkaBroker broker, String topic, int expected) {
        Map<String, Object> config = Clients.consumer(broker, Map.of(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            return Clients.consume(consumer, expected, Duration.ofSeconds(30));
        }
    }
}
