package dev.kontract.serde.internal;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Tells {@code ContractConsumerInterceptor} which topics a wrapped {@code ContractDeserializer} read on
 * this thread, so that a consumer whose value deserializer wraps Kontract's (Spring's
 * {@code ErrorHandlingDeserializer}, say) counts each record once: the deserializer counts it, and the
 * interceptor's observe-only count leaves the topic alone. A consumer deserializes a poll's records on
 * the thread that calls {@code poll()}, before its interceptors see them.
 */
public final class ReadTrace {

    /** Topics remembered per thread: past this, a thread whose interceptor never drains them starts afresh. */
    private static final int MAX_TOPICS = 10_000;

    private static final ThreadLocal<ReadTrace> CURRENT = ThreadLocal.withInitial(ReadTrace::new);

    private final Set<String> topics = new HashSet<>();
    /** The topic added last: most records of a poll come from one topic. */
    private String last;

    private ReadTrace() {}

    /** Called by a wrapped deserializer for each record it reads. */
    public static void read(String topic) {
        ReadTrace trace = CURRENT.get();
        if (trace.last != topic) {
            if (trace.topics.size() >= MAX_TOPICS) {
                trace.topics.clear();
            }
            trace.last = topic;
            trace.topics.add(topic);
        }
    }

    /** Hands each topic read on this thread since the last call to {@code action}, and forgets them. */
    public static void drain(Consumer<String> action) {
        ReadTrace trace = CURRENT.get();
        trace.topics.forEach(action);
        trace.topics.clear();
        trace.last = null;
    }
}
