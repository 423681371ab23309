package dev.kontract.examples;

import dev.kontract.interceptors.ContractConsumerInterceptor;
import dev.kontract.serde.ContractDeserializer;
import dev.kontract.serde.ContractKeyDeserializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer application reading {@code orders.placed}, written against version 1 of the contract,
 * as plain maps. Records that break a {@code READ} rule, and bytes it cannot read, go to the
 * dead-letter topic instead of stopping the loop. Run: {@code ConsumerApplication host:port}.
 */
public final class ConsumerApplication {

    private ConsumerApplication() {}

    public static Properties config(String bootstrapServers, String groupId) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ContractKeyDeserializer.class.getName());
        config.put("contract.key.deserializer", StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ContractDeserializer.class.getName());
        config.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, ContractConsumerInterceptor.class.getName());
        config.put("contract.product", "orders.placed");
        config.put("contract.reader.version", "1");
        config.put("contract.reader.class", Map.class.getName());
        config.put("contract.read.failure", "dlq");
        return config;
    }

    public static void main(String[] args) {
        try (KafkaConsumer<String, Map<String, Object>> consumer = new KafkaConsumer<>(
                config(args.length > 0 ? args[0] : "localhost:9092", "order-printer"))) {
            consumer.subscribe(List.of("orders.placed"));
            while (true) {
                for (ConsumerRecord<String, Map<String, Object>> record : consumer.poll(Duration.ofSeconds(1))) {
                    System.out.println(record.key() + " -> " + record.value().get("total") + " "
                            + record.value().get("currency"));
                }
            }
        }
    }
}
