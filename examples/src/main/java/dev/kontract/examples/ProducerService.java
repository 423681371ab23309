package dev.kontract.examples;

import dev.kontract.interceptors.ContractProducerInterceptor;
import dev.kontract.serde.ContractSerializer;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A producer service publishing to the {@code orders.placed} data product (JSON Schema). Any object
 * Jackson can turn into JSON is a record; the contract's rules decide what may be published.
 * Run: {@code ProducerService host:port}.
 */
public final class ProducerService {

    /** An order as the service's code knows it. */
    public record Order(String orderId, String customerId, double total, String currency, List<Line> lines) {}

    /** One line of an order. */
    public record Line(String sku, int quantity) {}

    private ProducerService() {}

    /** The whole client config: Kafka's usual keys, plus the product to write. */
    public static Properties config(String bootstrapServers) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ContractSerializer.class.getName());
        // Needed because currencyIsSupported sends failures to the dead-letter topic.
        config.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, ContractProducerInterceptor.class.getName());
        config.put("contract.product", "orders.placed");
        return config;
    }

    public static RecordMetadata publish(KafkaProducer<String, Order> producer, Order order) throws Exception {
        return producer.send(new ProducerRecord<>("orders.placed", order.orderId(), order)).get();
    }

    public static void main(String[] args) throws Exception {
        try (KafkaProducer<String, Order> producer = new KafkaProducer<>(config(args.length > 0 ? args[0] : "localhost:9092"))) {
            RecordMetadata sent = publish(producer, new Order("o-1", "c-1", 42.0, "EUR", List.of(new Line("sku-1", 2))));
            System.out.println("published to " + sent.topic() + "-" + sent.partition() + "@" + sent.offset());
        }
    }
}
