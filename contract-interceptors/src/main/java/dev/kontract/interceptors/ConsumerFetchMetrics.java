package dev.kontract.interceptors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.lang.management.ManagementFactory;
import java.util.Hashtable;
import java.util.OptionalLong;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Sanitizer;

/**
 * The consumer's own per-partition fetch metrics, as its JMX reporter publishes them in this JVM:
 * {@code records-lag} is the high watermark minus the consumer's position after its last fetch, and
 * the partition's entry disappears when the partition is revoked. Reading it costs no broker round
 * trip. Without Kafka's JMX reporter ({@code metric.reporters} emptied), nothing is known and lag is
 * reported as NaN.
 */
final class ConsumerFetchMetrics {

    private static final String DOMAIN = "kafka.consumer";
    private static final String GROUP = "consumer-fetch-manager-metrics";
    private static final String RECORDS_LAG = "records-lag";

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final String clientId;
    /** Names are asked for every partition on every poll; building one runs two regular expressions. */
    private final Cache<TopicPartition, ObjectName> names = Caffeine.newBuilder().maximumSize(10_000).build();

    ConsumerFetchMetrics(String clientId) {
        this.clientId = clientId;
    }

    /** The partition's lag after the consumer's last fetch, if the consumer reports one. */
    OptionalLong recordsLag(TopicPartition partition) {
        try {
            Object value = server.getAttribute(name(partition), RECORDS_LAG);
            if (value instanceof Number number && !Double.isNaN(number.doubleValue())) {
                return OptionalLong.of(Math.round(number.doubleValue()));
            }
            return OptionalLong.empty();
        } catch (InstanceNotFoundException e) {
            return OptionalLong.empty();
        } catch (JMException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** Whether the consumer still reports the partition (it stops when the partition is revoked). */
    boolean reports(TopicPartition partition) {
        try {
            return server.isRegistered(name(partition));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private ObjectName name(TopicPartition partition) {
        return names.get(partition, this::objectName);
    }

    private ObjectName objectName(TopicPartition partition) {
        Hashtable<String, String> keys = new Hashtable<>();
        keys.put("type", GROUP);
        keys.put("client-id", Sanitizer.jmxSanitize(clientId));
        keys.put("topic", Sanitizer.jmxSanitize(partition.topic()));
        keys.put("partition", Integer.toString(partition.partition()));
        try {
            return new ObjectName(DOMAIN, keys);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
