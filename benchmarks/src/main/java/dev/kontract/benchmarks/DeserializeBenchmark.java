package dev.kontract.benchmarks;

import dev.kontract.benchmarks.proto.OrderV3;
import dev.kontract.core.format.AvroContractSchema;
import dev.kontract.serde.ContractDeserializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Deserializing one order: the format's plain reader of v3 bytes (the floor), ContractDeserializer
 * reading v3 as v3 (no migration), v2 as v3 (one UPGRADE step) and v3 as v1 (a two-step DOWNGRADE
 * chain).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DeserializeBenchmark {

    private static final String TOPIC = "orders";

    @Param({"avro", "proto", "json"})
    public String format;

    private byte[] v2Bytes;
    private byte[] v3Bytes;
    private RecordHeaders v2Headers;
    private RecordHeaders v3Headers;
    private Deserializer<Object> plain;
    private ContractDeserializer<Object> readsV3;
    private ContractDeserializer<Object> readsV1;

    @Setup
    public void setUp() {
        String product = Orders.product(format);
        v2Bytes = Orders.bytes(product, "2.0");
        v3Bytes = Orders.bytes(product, "3.0");
        v2Headers = Orders.headers(product, "2.0");
        v3Headers = Orders.headers(product, "3.0");
        plain = plainDeserializer(format, product);
        readsV3 = ContractDeserializer.builder().source(Orders.SOURCE).product(product).readerVersion("3.0").build();
        readsV1 = ContractDeserializer.builder().source(Orders.SOURCE).product(product).readerVersion("1.0").build();
    }

    static Deserializer<Object> plainDeserializer(String format, String product) {
        switch (format) {
            case "avro": {
                var schema = ((AvroContractSchema) Orders.codec(product, "3.0").schema()).schema();
                GenericDatumReader<Object> reader = new GenericDatumReader<>(schema);
                ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();
                return (topic, data) -> {
                    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, decoders.get());
                    decoders.set(decoder);
                    try {
                        return reader.read(null, decoder);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                };
            }
            case "proto":
                return (topic, data) -> {
                    try {
                        return OrderV3.parseFrom(data);
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new IllegalStateException(e);
                    }
                };
            default:
                return (topic, data) -> Orders.JSON.readTree(data);
        }
    }

    @Benchmark
    public Object plainBaseline() {
        return plain.deserialize(TOPIC, v3Headers, v3Bytes);
    }

    @Benchmark
    public Object contractSameVersion() {
        return readsV3.deserialize(TOPIC, v3Headers, v3Bytes);
    }

    @Benchmark
    public Object contractOneUpgrade() {
        return readsV3.deserialize(TOPIC, v2Headers, v2Bytes);
    }

    @Benchmark
    public Object contractTwoStepDowngrade() {
        return readsV1.deserialize(TOPIC, v3Headers, v3Bytes);
    }
}
