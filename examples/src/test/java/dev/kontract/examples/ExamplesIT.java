package dev.kontract.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kontract.core.ContractViolationException;
import dev.kontract.examples.ProducerService.Line;
import dev.kontract.examples.ProducerService.Order;
import dev.kontract.testkit.KafkaBroker;
import dev.kontract.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The copyable examples work as their comments say. */
@ExtendWith(KafkaBrokerExtension.class)
class ExamplesIT {

    @Test
    void producerServiceAndConsumerApplication(KafkaBroker broker) throws Exception {
        broker.createTopic("orders.placed", 1);
        try (KafkaProducer<String, Order> producer = new KafkaProducer<>(ProducerService.config(broker.bootstrapServers()))) {
            RecordMetadata good = ProducerService.publish(producer, new Order("o-1", "c-1", 42, "EUR",
                    List.of(new Line("sku-1", 2))));
            RecordMetadata unsupported = ProducerService.publish(producer, new Order("o-2", "c-1", 5, "XYZ", List.of()));

            assertThat(good.topic()).isEqualTo("orders.placed");
            assertThat(unsupported.topic()).isEqualTo("orders.placed.dlq");
            assertThatThrownBy(() -> ProducerService.publish(producer, new Order("o-3", "c-1", 0, "EUR", List.of())))
                    .isInstanceOf(ContractViolationException.class)
                    .hasMessageContaining("rule totalIsPositive: condition is false");
        }

        List<ConsumerRecord<String, Map<String, Object>>> read = new ArrayList<>();
        try (KafkaConsumer<String, Map<String, Object>> consumer = new KafkaConsumer<>(
                ConsumerApplication.config(broker.bootstrapServers(), "examples-it"))) {
            consumer.subscribe(List.of("orders.placed"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        assertThat(read).hasSize(1);
        assertThat(read.get(0).value()).containsEntry("orderId", "o-1").containsEntry("currency", "EUR");
    }
}
