package dev.kontract.examples.spring;

import dev.kontract.core.load.ContractLoader;
import dev.kontract.serde.ContractConfig;
import dev.kontract.serde.ContractSerializer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Kontract in a Spring Boot application: {@link AccountListener} reads {@code customer.accounts} as
 * version 1.0 (records written as 2.x arrive migrated by the contract's {@code DOWNGRADE} rules), and
 * Boot's {@code KafkaTemplate} writes the latest 2.x. The settings are Boot's ordinary
 * {@code spring.kafka.*} properties, in {@code examples/spring-kafka.properties}: every
 * {@code contract.*} key passes through {@code spring.kafka.{consumer,producer}.properties.*}. The
 * value deserializer is Spring's {@code ErrorHandlingDeserializer} wrapping {@code ContractDeserializer}.
 *
 * <p><b>Meters.</b> Kontract's meters go to the application's {@link MeterRegistry} (here a
 * {@link SimpleMeterRegistry} bean, standing in for the one Boot's actuator would provide): two
 * customizer beans put the registry object itself under {@code contract.metrics.registry} in Boot's
 * consumer and producer factories. Kafka clients are created from those factories when the listener
 * containers start and when the template first sends, after the customizers ran, so no client ever
 * starts without the registry.
 *
 * <p><b>Two dead-letter topics, and which record goes where.</b>
 * <ul>
 *   <li>Kontract's dead-letter topic (the contract's {@code dlq.topic}, else {@code <topic>.dlq}) gets
 *       everything the contract rejects under a {@code DLQ} rule or {@code contract.read.failure=dlq}:
 *       records breaking a {@code DLQ} rule, undecodable bytes, records without (or with an unknown)
 *       {@code dp.version}. {@code ContractConsumerInterceptor} writes each one inside {@code poll()},
 *       waits for the acknowledgement and removes it from the batch, so Spring never sees it: not the
 *       listener, not the error handler, not Spring's dead-letter topic. The dead letter is the record as
 *       read (key and value bytes, headers) plus {@code dp.error.stage}, {@code rule}, {@code reason},
 *       {@code topic}, {@code partition} and {@code offset}, on the one topic that every producer and
 *       consumer of the product writes its rejects to.</li>
 *   <li>Spring's dead-letter topic, {@code <topic>-dlt} (Spring Kafka 4's name; 3.x used
 *       {@code <topic>.DLT}), gets what the application cannot handle: records the listener throws on,
 *       after the {@link DefaultErrorHandler}'s retries, and contract rejections that are errors rather
 *       than dead letters ({@code onFailure: ERROR} rules, and read failures under
 *       {@code contract.read.failure=fail}): the deserializer throws, {@code ErrorHandlingDeserializer}
 *       turns that into a {@code DeserializationException} (the {@code ContractViolationException} is its
 *       cause), and the error handler, which does not retry those, hands the record to the
 *       {@link DeadLetterPublishingRecoverer} at once.</li>
 * </ul>
 * Each record therefore ends in exactly one place: the listener, Kontract's dead-letter topic or
 * Spring's ({@code SpringKafkaIT} counts them).
 *
 * <p>Spring's recoverer publishes a deserialization failure as the raw value bytes that were read, so
 * its template must write {@code byte[]}; a record the listener threw on is published as the listener
 * saw it, a 1.0 {@link GenericRecord}, which a {@code ContractSerializer} for the listener's version
 * writes (its {@code dp.version} says 1.0, whatever the record was written as). The recoverer's producer
 * is a plain one (no Kontract interceptor), built from Boot's connection settings, and publishes to the
 * source record's partition: give {@code <topic>-dlt} at least the source topic's partitions.
 *
 * <p>Two container settings keep the books exact. The error handler keeps a failed batch in memory
 * rather than seeking back ({@code seekAfterError=false}): a seek makes the consumer fetch the rest of
 * the batch again, and Kontract would deserialize, migrate and count those records a second time. And
 * the containers commit past records Kontract removed at the end of a partition
 * ({@link #commitPastDeadLetters}).
 */
@SpringBootApplication(proxyBeanMethods = false)
public class SpringKafkaApplication {

    /** The application's properties (Boot's {@code spring.config.location}). */
    public static final String PROPERTIES = "classpath:/examples/spring-kafka.properties";

    /** Runs until stopped: {@code SpringKafkaApplication --spring.kafka.bootstrap-servers=host:port}. */
    public static void main(String[] args) {
        start(args);
    }

    /** Starts the application; command-line style arguments ({@code --key=value}) override the properties. */
    public static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(SpringKafkaApplication.class)
                .properties("spring.config.location=" + PROPERTIES)
                .run(args);
    }

    /** The application's registry; with Spring Boot's actuator it would be Boot's own. */
    @Bean
    MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    /** Kontract's meters of the listener's consumer go to the application's registry. */
    @Bean
    DefaultKafkaConsumerFactoryCustomizer kontractConsumerMeters(MeterRegistry registry) {
        return factory -> factory.updateConfigs(Map.of(ContractConfig.METRICS_REGISTRY_CONFIG, registry));
    }

    /** Kontract's meters of Boot's {@code KafkaTemplate} go to the application's registry. */
    @Bean
    DefaultKafkaProducerFactoryCustomizer kontractProducerMeters(MeterRegistry registry) {
        return factory -> factory.updateConfigs(Map.of(ContractConfig.METRICS_REGISTRY_CONFIG, registry));
    }

    /**
     * Commits the consumer's position when a poll comes back empty, if it is past the last commit. The
     * listener containers commit the offsets of the records the listener was given; records Kontract
     * dead-lettered at the end of a partition are never given to it, so without this their offsets
     * stay uncommitted (lag 1 or more, and read and dead-lettered again after a restart or a
     * rebalance). Spring built it for transaction markers; it is the same gap. It moves a partition's
     * commit forward only once the group has committed there: a partition whose every record so far
     * was dead-lettered keeps no commit until the listener is given one of its records.
     */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> commitPastDeadLetters() {
        return container -> container.getContainerProperties().setFixTxOffsets(true);
    }

    /**
     * The producer of Spring's {@code -dlt} topic: string keys, and values by type (raw bytes of records that
     * did not deserialize, 1.0 records the listener threw on). Not a default candidate, so Boot still
     * builds its own producer factory and template for the application.
     */
    @Bean(defaultCandidate = false)
    DefaultKafkaProducerFactory<String, Object> deadLetterProducerFactory(KafkaConnectionDetails connection,
            ConsumerFactory<?, ?> consumerFactory, MeterRegistry registry) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.getProducer().getBootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        Map<String, Object> consumer = consumerFactory.getConfigurationProperties();
        ContractSerializer<GenericRecord> asRead = ContractSerializer.<GenericRecord>builder()
                .clientConfig(config)
                .source(String.valueOf(consumer.getOrDefault(ContractConfig.SOURCE_CONFIG, ContractLoader.DEFAULT_SOURCE)))
                .product(String.valueOf(consumer.get(ContractConfig.PRODUCT_CONFIG)))
                .version(String.valueOf(consumer.get(ContractConfig.READER_VERSION_CONFIG)))
                .metricsRegistry(registry)
                .build();
        Map<Class<?>, Serializer<?>> byType = new LinkedHashMap<>();
        byType.put(byte[].class, new ByteArraySerializer());
        byType.put(GenericRecord.class, asRead);
        // false: Spring would otherwise configure() the serializers with this map, replacing what the builder set.
        return new DefaultKafkaProducerFactory<>(config, new StringSerializer(),
                new DelegatingByTypeSerializer(byType, true), false);
    }

    /** Boot gives the listener containers this handler: two retries, then Spring's {@code <topic>-dlt}. */
    @Bean
    DefaultErrorHandler kafkaErrorHandler(
            @Qualifier("deadLetterProducerFactory") DefaultKafkaProducerFactory<String, Object> deadLetterProducerFactory) {
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(
                new KafkaTemplate<>(deadLetterProducerFactory));
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, new FixedBackOff(0L, 2L));
        handler.setSeekAfterError(false);
        return handler;
    }
}
