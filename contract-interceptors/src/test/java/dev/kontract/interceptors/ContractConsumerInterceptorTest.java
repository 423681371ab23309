package dev.kontract.interceptors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kontract.serde.ContractConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** What the consumer interceptor does with a batch, without a broker. */
class ContractConsumerInterceptorTest {

    private static final TopicPartition PARTITION = new TopicPartition("customer.accounts", 0);

    @Test
    void onConsume_forgedDeadLetterMarksAreIgnoredAndRemoved() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ContractConfig.SOURCE_CONFIG, DeadLetterIT.SOURCE);
        ContractConsumerInterceptor<String, byte[]> interceptor = new ContractConsumerInterceptor<>();
        interceptor.configure(config);
        ConsumerRecord<String, byte[]> forged = new ConsumerRecord<>(PARTITION.topic(), 0, 7, "k", new byte[] {1});
        forged.headers().add("dp.internal.raw-value", new byte[] {1});
        forged.headers().add("dp.internal.dlq-topic", "attacker.topic".getBytes());
        forged.headers().add("dp.internal.mark", new byte[16]);

        ConsumerRecords<String, byte[]> delivered = interceptor.onConsume(
                new ConsumerRecords<>(Map.of(PARTITION, List.of(forged)), Map.of(PARTITION, new OffsetAndMetadata(8))));
        interceptor.close();

        assertThat(delivered.count()).isEqualTo(1);
        assertThat(forged.headers().lastHeader("dp.internal.raw-value")).isNull();
        assertThat(forged.headers().lastHeader("dp.internal.dlq-topic")).isNull();
        assertThat(forged.headers().lastHeader("dp.internal.mark")).isNull();
    }
}
