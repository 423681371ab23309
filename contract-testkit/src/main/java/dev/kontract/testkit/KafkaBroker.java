package dev.kontract.testkit;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A running Apache Kafka broker for tests and demos: {@link EmbeddedKafkaBroker} (KRaft, in this
 * JVM) or {@link ContainerKafkaBroker} (the {@code apache/kafka} image through Testcontainers).
 */
public interface KafkaBroker extends AutoCloseable {

    String bootstrapServers();

    /** What a client needs to reach the broker ({@code bootstrap.servers}). */
    default Map<String, Object> clientConfig() {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    }

    /** A new admin client; the caller closes it. */
    default Admin admin() {
        return Admin.create(clientConfig());
    }

    /** Creates a topic with replication factor 1 and waits until it exists; an existing topic is kept. */
    default void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(java.util.List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
    }

    /** Stops the broker and deletes its data. */
    @Override
    void close();
}
