package dev.kontract.core.metrics;

/**
 * The meters Kontract reports through Micrometer, in one place. Every meter carries a
 * {@code product} tag.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@value #RECORDS}</td><td>counter</td><td>product, version, topic, side, outcome</td></tr>
 *   <tr><td>{@value #RULE_EVALUATIONS}</td><td>counter</td><td>product, rule, mode, outcome, compiled</td></tr>
 *   <tr><td>{@value #MIGRATIONS}</td><td>counter</td><td>product, from, to</td></tr>
 *   <tr><td>{@value #CONSUMER_LAG}</td><td>gauge, records</td><td>product, topic, partition, group</td></tr>
 *   <tr><td>{@value #CONSUMER_LAG_SECONDS}</td><td>gauge, seconds</td><td>product, topic, partition, group</td></tr>
 *   <tr><td>{@value #CONSUMER_FRESHNESS}</td><td>timer</td><td>product, topic</td></tr>
 *   <tr><td>{@value #SLA_BREACHES}</td><td>counter</td><td>product, sla</td></tr>
 *   <tr><td>{@value #PRODUCER_SENDS}</td><td>counter</td><td>product, topic, outcome ({@code acked},
 *       {@code failed})</td></tr>
 *   <tr><td>{@value #PRODUCER_LATENCY}</td><td>timer</td><td>product, topic</td></tr>
 *   <tr><td>{@value #SOURCE_REJECTED}</td><td>function counter</td><td>product, topic (the contracts
 *       topic)</td></tr>
 * </table>
 *
 * <p>{@value #PRODUCER_SENDS} and {@value #PRODUCER_LATENCY} come from {@code ContractProducerInterceptor};
 * the send-to-ack latency is measured from the record's timestamp, which the producer sets at
 * {@code send()} unless the application set one.
 *
 * <p>Each record counts once in {@value #RECORDS}, under one outcome: {@code valid} (passed every
 * check), {@code migrated} (passed, and was migrated across a major on read), {@code invalid} (broke
 * a rule whose action let it through), {@code dead_lettered} or {@code failed} (the client call
 * failed).
 */
public final class MeterNames {

    public static final String RECORDS = "contract.records";
    public static final String RULE_EVALUATIONS = "contract.rule.evaluations";
    public static final String MIGRATIONS = "contract.migrations";
    public static final String CONSUMER_LAG = "contract.consumer.lag";
    public static final String CONSUMER_LAG_SECONDS = "contract.consumer.lag.seconds";
    public static final String CONSUMER_FRESHNESS = "contract.consumer.freshness";
    public static final String SLA_BREACHES = "contract.sla.breaches";
    public static final String PRODUCER_SENDS = "contract.producer.sends";
    public static final String PRODUCER_LATENCY = "contract.producer.latency";
    /**
     * Publications on a contracts topic that clients with {@code contract.source=kafka:} did not apply
     * (they do not load, or would change what is in force); its {@code topic} is the contracts topic.
     */
    public static final String SOURCE_REJECTED = "contract.source.rejected";

    public static final String TAG_PRODUCT = "product";
    public static final String TAG_VERSION = "version";
    public static final String TAG_TOPIC = "topic";
    public static final String TAG_SIDE = "side";
    public static final String TAG_OUTCOME = "outcome";
    public static final String TAG_RULE = "rule";
    public static final String TAG_MODE = "mode";
    /** {@code true} when the rule runs compiled, {@code false} when it runs on the interpreter. */
    public static final String TAG_COMPILED = "compiled";
    public static final String TAG_FROM = "from";
    public static final String TAG_TO = "to";
    public static final String TAG_PARTITION = "partition";
    public static final String TAG_GROUP = "group";
    public static final String TAG_SLA = "sla";

    /** The {@code version} tag of a record whose headers name no version of the contract. */
    public static final String UNKNOWN_VERSION = "unknown";

    private MeterNames() {}
}
