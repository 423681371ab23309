package dev.kontract.benchmarks;

import com.google.protobuf.Message;
import dev.kontract.core.format.AvroContractSchema;
import dev.kontract.serde.ContractSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
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
import tools.jackson.databind.JsonNode;

/**
 * Serializing one order: the format's plain serializer (the floor), ContractSerializer with schema
 * validation only, and ContractSerializer with three CONDITION rules. Every method gets a fresh
 * {@code RecordHeaders}, as Kafka gives every record one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SerializeBenchmark {

    private static final String TOPIC = "orders";

    @Param({"avro", "proto", "json"})
    public String format;

    private Object record;
    private Serializer<Object> plain;
    private ContractSerializer<Object> validationOnly;
    private ContractSerializer<Object> threeConditions;

    @Setup
    public void setUp() {
        record = Orders.record(Orders.product(format), "1.0");
        plain = plainSerializer(format, Orders.product(format));
        validationOnly = ContractSerializer.builder().source(Orders.SOURCE).product(Orders.product(format))
                .version("1.0").build();
        threeConditions = ContractSerializer.builder().source(Orders.SOURCE).product(Orders.checkedProduct(format))
                .version("1.0").build();
    }

    static Serializer<Object> plainSerializer(String format, String product) {
        switch (format) {
            case "avro": {
                var schema = ((AvroContractSchema) Orders.codec(product, "1.0").schema()).schema();
                GenericDatumWriter<Object> writer = new GenericDatumWriter<>(schema);
                ThreadLocal<BinaryEncoder> encoders = new ThreadLocal<>();
                return (topic, data) -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
                    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, encoders.get());
                    encoders.set(encoder);
                    try {
                        writer.write(data, encoder);
                        encoder.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return out.toByteArray();
                };
            }
            case "proto":
                return (topic, data) -> ((Message) data).toByteArray();
            default:
                return (topic, data) -> Orders.JSON.writeValueAsBytes((JsonNode) data);
        }
    }

    @Benchmark
    public byte[] plainBaseline() {
        return plain.serialize(TOPIC, new RecordHeaders(), record);
    }

    @Benchmark
    public byte[] contractValidationOnly() {
        return validationOnly.serialize(TOPIC, new RecordHeaders(), record);
    }

    @Benchmark
    public byte[] contractThreeConditions() {
        return threeConditions.serialize(TOPIC, new RecordHeaders(), record);
    }
}
