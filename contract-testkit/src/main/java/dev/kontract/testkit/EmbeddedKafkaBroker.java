package dev.kontract.testkit;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A one-node Apache Kafka cluster in KRaft mode (combined broker and controller) running inside
 * this JVM, from Kafka's own {@code kafka-test-common-runtime}. It starts in about two seconds and
 * is configured for one node: internal topics with replication factor 1 and no initial rebalance
 * delay, without which consumer groups never form.
 */
public final class EmbeddedKafkaBroker implements KafkaBroker {

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Starts a broker and waits until it accepts clients. */
    public static EmbeddedKafkaBroker start() {
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build();
            cluster = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                    .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "true")
                    .setConfigProp("num.partitions", "1")
                    .build();
            formatQuietly(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafkaBroker(cluster);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(cluster);
            throw new IllegalStateException("interrupted while starting the embedded Kafka broker", e);
        } catch (Exception e) {
            closeQuietly(cluster);
            throw new IllegalStateException("cannot start the embedded Kafka broker: " + e, e);
        }
    }

    /** Kafka's storage formatter reports to standard output; a demo's output is not the place for it. */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        PrintStream original = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        try {
            cluster.format();
        } finally {
            System.setOut(original);
        }
    }

    /**
     * Stops the broker (the KRaft controller keeps running) for {@code downtime}, then starts it again on
     * the same port with the same data, and waits until it accepts clients: what clients see of a
     * broker restart.
     */
    public void restartBroker(java.time.Duration downtime) {
        try {
            for (var broker : cluster.brokers().values()) {
                broker.shutdown();
                broker.awaitShutdown();
            }
            Thread.sleep(downtime.toMillis());
            for (var broker : cluster.brokers().values()) {
                broker.startup();
            }
            cluster.waitForReadyBrokers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting the embedded Kafka broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot restart the embedded Kafka broker: " + e, e);
        }
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the embedded Kafka broker: " + e, e);
        }
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception ignored) {
                // already failing; the start error is the one to report
            }
        }
    }

    @Override
    public String toString() {
        return "embedded KRaft broker at " + bootstrapServers();
    }
}
