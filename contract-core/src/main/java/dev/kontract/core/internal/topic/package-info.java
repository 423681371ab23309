/**
 * Contracts served by a Kafka topic, whole.
 *
 * <p><b>The topic.</b> A compacted topic, {@value dev.kontract.core.internal.topic.ContractTopic#DEFAULT_TOPIC}
 * unless named otherwise, holds one record per product: the key is the product's name in UTF-8, the value
 * the product's {@link dev.kontract.core.load.ContractBundle} (its contract file and the schema files it
 * names). Compaction keeps each product's latest contract, which carries all of its versions.
 *
 * <p><b>The writer.</b> {@code kontract publish} is the only writer. It lints the contracts, diffs them
 * against what the topic holds and refuses any breaking change, then writes a record per changed product
 * ({@link dev.kontract.core.internal.topic.ContractTopic#record}). Only the publishing principal needs
 * Write on the topic.
 *
 * <p><b>The readers.</b> Clients configured with {@code contract.source=kafka:[TOPIC]} read the topic with
 * a {@link dev.kontract.core.internal.topic.ContractTopicReader}: from the beginning to the end at
 * {@code configure()}, then on a daemon thread as publications arrive. Publications are applied in order,
 * so a reader that starts late ends where one that followed all along is. Every publication is loaded
 * exactly as files are; one that does not load, or that would change or drop a version already in force,
 * or give a topic to a second product, is <em>rejected</em>: logged at ERROR naming
 * topic-partition@offset, reported to the reader's listener (clients count it), and the last good contract
 * stays in force. A tombstone (a product's key with no value) is rejected by running readers, which keep
 * the product; readers that start after it honour it, as compaction will remove the product anyway. A client that meets a version it does not know asks the reader
 * to {@link dev.kontract.core.internal.topic.ContractTopicReader#catchUp catch up}: read to the end offsets
 * of that moment, once, within the source timeout. Clients need Read and Describe on the topic.
 */
package dev.kontract.core.internal.topic;
