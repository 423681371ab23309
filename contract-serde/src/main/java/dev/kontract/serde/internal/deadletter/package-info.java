/**
 * Dead letters on the consumer: how a record that {@code ContractDeserializer} rejects reaches the
 * dead-letter topic exactly as it was read, and never the application; and how a Kafka Streams
 * topology dead-letters instead ({@link DeadLetterRoute} says which way a client takes).
 *
 * <p>A deserializer cannot drop a record and does not know its partition and offset; an interceptor
 * sees both but not the bytes. So the work is split, and this package is all of it:
 * <ol>
 *   <li><b>Key.</b> {@code ContractKeyDeserializer} wraps the application's key deserializer and
 *       leaves the raw key bytes of the record being read to the value deserializer on the same
 *       thread ({@link KeyCapture}); with a byte-array key deserializer the key is its own bytes.
 *       Keys are never rebuilt through a serializer.</li>
 *   <li><b>Mark.</b> The value deserializer returns {@code null} and {@link DeadLetterMark#mark marks}
 *       the record's headers: it appends the {@code dp.error.*} headers, then internal
 *       {@code dp.internal.*} headers with the raw key and value bytes, the dead-letter topic, what
 *       the record is counted as, and last a token drawn at random when this JVM loaded the class.
 *       Only the token tells this JVM's marks from headers a producer wrote: internal headers of any
 *       record without it are removed before the application sees the record.</li>
 *   <li><b>Divert.</b> {@code ContractConsumerInterceptor} hands each poll to
 *       {@link ConsumerDeadLetters#divert}, which writes every marked record to its dead-letter topic
 *       ({@link DeadLetterProducer}: the key, value and headers as they arrived plus
 *       {@code dp.error.*} with the partition and offset) and returns the poll without them once the
 *       dead-letter topic has acknowledged them all.</li>
 * </ol>
 *
 * <p><b>What it guarantees.</b> A rejected record is either in the dead-letter topic or it stops the
 * consumer: when a dead letter cannot be written, the poll retries it (with back-off, logging why,
 * for as long as it takes) instead of moving past it, as Kafka Streams and Spring Kafka's
 * {@code DeadLetterPublishingRecoverer} stop rather than skip. Kafka has already advanced the
 * consumer past the poll's records when an interceptor sees them and offers no way back, so
 * returning without the record would lose it on the next commit; and delivering it with a
 * {@code null} value would look like a tombstone. One dead letter's failure does not fail another:
 * each is sent and retried on its own. Dead letters are written at least once: a send that timed
 * out may have been written before it is retried, and a record read again by another consumer
 * (after a rebalance or a restart before its offset was committed) is dead-lettered again; a record
 * this consumer has already dead-lettered and reads again (after a seek, or an aborted transaction)
 * is dropped without a second dead letter. Duplicates carry the same {@code dp.error.topic},
 * {@code dp.error.partition} and {@code dp.error.offset}.
 *
 * <p><b>Kafka Streams.</b> Streams reads and writes records itself, around its clients' interceptors,
 * but lets exception handlers return dead-letter records for it to write (KIP-1034). So in a topology
 * {@code ContractSerde}'s halves do not mark: a rejection that goes to the dead-letter topic throws a
 * {@link DeadLetterRequest}, and Kontract's handlers ({@code ContractDeserializationExceptionHandler},
 * {@code ContractProductionExceptionHandler}) turn it into the dead letter ({@link StreamsDeadLetters}):
 * on the read side the record as read, with its partition and offset; on the write side the record's
 * key, its value encoded without rules and its tagged headers. Both carry {@code dp.error.*} and
 * Streams' {@code __streams.errors.*} headers. Streams writes them with the task's output, so they
 * are as durable as that output (in its transaction under {@code exactly_once_v2}), and the record is
 * counted {@code dead_lettered} when the handler hands it over. The serde is configured with the
 * Streams config and fails at {@code configure()} when a side could dead-letter and its handler is
 * not named there. Any other exception reaches Streams' default handlers.
 */
package dev.kontract.serde.internal.deadletter;
