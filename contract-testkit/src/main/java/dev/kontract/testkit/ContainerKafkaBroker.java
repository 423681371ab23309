package dev.kontract.testkit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * An Apache Kafka broker in a container, from the {@code apache/kafka} image of the same Kafka
 * version as the clients. Needs a Docker engine; see {@link #dockerAvailable()}.
 */
public final class ContainerKafkaBroker implements KafkaBroker {

    /** The image, pinned to the Kafka version the clients use. */
    public static final DockerImageName IMAGE = DockerImageName.parse("apache/kafka:4.3.1");

    private final KafkaContainer container;

    private ContainerKafkaBroker(KafkaContainer container) {
        this.container = container;
    }

    /** Whether a Docker engine answers; without one {@link #start()} fails. */
    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Starts the container and waits until the broker accepts clients. */
    @SuppressWarnings("resource")
    public static ContainerKafkaBroker start() {
        KafkaContainer container = new KafkaContainer(IMAGE);
        container.start();
        return new ContainerKafkaBroker(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
    }

    @Override
    public String toString() {
        return "container broker " + IMAGE + " at " + bootstrapServers();
    }
}
