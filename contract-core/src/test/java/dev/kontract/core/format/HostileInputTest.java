package dev.kontract.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import dev.kontract.core.rules.FieldMapping;
import dev.kontract.core.testproto.TreeNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bytes a hostile producer can write, written by hand: each must end as an
 * {@link InvalidRecordException} that names the problem, never as an {@link Error} (issue #11, point
 * 4). The limits are {@link DecodeLimits}.
 */
class HostileInputTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String STACK = "not readable: the record nests deeper than the thread's stack allows";

    // ---- nesting, in every format ----

    /** A format's recursive schema, and its records nested {@code levels} below the record. */
    record Nesting(String name, Function<DecodeLimits, RecordCodec> codec, IntFunction<byte[]> nested,
            String tooDeep) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Nesting> nestings() {
        return Stream.of(
                new Nesting("avro", limits -> RecordCodec.of(avro("link.avsc"), limits), HostileInputTest::avroLinks,
                        "not Avro binary of this schema: records nest more than %d levels deep"
                                + " (DecodeLimits.maxNestingDepth)"),
                new Nesting("protobuf generated", limits -> RecordCodec.of(treeNodeClass(), limits),
                        HostileInputTest::protobufChildren,
                        "not Protobuf binary of kontract.test.TreeNode: messages nest more than %d levels deep"
                                + " (DecodeLimits.maxNestingDepth)"),
                new Nesting("protobuf dynamic", limits -> RecordCodec.of(treeNodeDescriptor(), limits),
                        HostileInputTest::protobufChildren,
                        "not Protobuf binary of kontract.test.TreeNode: messages nest more than %d levels deep"
                                + " (DecodeLimits.maxNestingDepth)"),
                new Nesting("json", limits -> RecordCodec.of(json("tree.schema.json"), limits), HostileInputTest::jsonArrays,
                        "not JSON (StreamConstraintsException): nests more than %d levels deep"
                                + " (DecodeLimits.maxNestingDepth)"));
    }

    @ParameterizedTest
    @MethodSource("nestings")
    void decode_nestedToTheLimit_reads(Nesting nesting) {
        RecordCodec codec = nesting.codec().apply(DecodeLimits.DEFAULTS);

        Object record = codec.decode(ByteBuffer.wrap(nesting.nested().apply(100)));

        assertThat(codec.toJson(record)).isNotNull();
        assertThat(codec.readerFor(codec, null).read(ByteBuffer.wrap(nesting.nested().apply(100)))).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("nestings")
    void decode_nestedPastTheLimit_isInvalid(Nesting nesting) {
        RecordCodec codec = nesting.codec().apply(DecodeLimits.DEFAULTS);
        String message = nesting.tooDeep().formatted(100);

        for (int levels : new int[] {101, 100_000}) {
            ByteBuffer bytes = ByteBuffer.wrap(nesting.nested().apply(levels));
            assertThatThrownBy(() -> codec.decode(bytes.duplicate()))
                    .isInstanceOf(InvalidRecordException.class)
                    .hasMessage(message);
            assertThatThrownBy(() -> codec.readerFor(codec, null).read(bytes.duplicate()))
                    .isInstanceOf(InvalidRecordException.class)
                    .hasMessage(message);
        }
    }

    @ParameterizedTest
    @MethodSource("nestings")
    void decode_nestingLimitRaised_readsDeeper(Nesting nesting) {
        RecordCodec codec = nesting.codec().apply(DecodeLimits.DEFAULTS.withMaxNestingDepth(150));

        assertThat(codec.decode(ByteBuffer.wrap(nesting.nested().apply(150)))).isNotNull();
        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(nesting.nested().apply(151))))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage(nesting.tooDeep().formatted(150));
    }

    @ParameterizedTest
    @MethodSource("nestings")
    void decode_nestedDeeperThanTheStackUnderARaisedLimit_isInvalidNotAnError(Nesting nesting) {
        RecordCodec codec = nesting.codec().apply(DecodeLimits.DEFAULTS.withMaxNestingDepth(10_000_000));
        byte[] bytes = nesting.nested().apply(1_000_000);
        warmUp(codec, nesting.nested().apply(2));

        // Jackson reads trees without recursing: a JSON record overflows when it is validated
        Throwable thrown = onStack(64 * 1024, () -> codec.fromJson(codec.toJson(codec.decode(ByteBuffer.wrap(bytes))), null));

        assertThat(thrown).isInstanceOf(InvalidRecordException.class).hasMessage(STACK);
    }

    /** The Avro record nests {@code levels} records below the top one: union branch Link, then null. */
    private static byte[] avroLinks(int levels) {
        byte[] bytes = new byte[levels + 1];
        Arrays.fill(bytes, 0, levels, (byte) 2);
        return bytes;
    }

    /** A TreeNode whose child has a child ... {@code levels} deep, built from the inside out. */
    private static byte[] protobufChildren(int levels) {
        // lengths are known from the inside out: write the tags and lengths backwards into one buffer
        int[] sizes = new int[levels + 1];
        for (int i = 1; i <= levels; i++) {
            sizes[i] = 1 + CodedOutputStream.computeUInt32SizeNoTag(sizes[i - 1]) + sizes[i - 1];
        }
        byte[] bytes = new byte[sizes[levels]];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            for (int i = levels; i >= 1; i--) {
                out.writeTag(2, 2);
                out.writeUInt32NoTag(sizes[i - 1]);
            }
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }

    /** A JSON array holding an array ... {@code levels} deep. */
    private static byte[] jsonArrays(int levels) {
        return ("[".repeat(levels + 1) + "]".repeat(levels + 1)).getBytes(StandardCharsets.US_ASCII);
    }

    // ---- Avro: declared lengths and counts ----

    @Test
    void avro_stringLongerThanTheRecord_isInvalidBeforeAllocating() {
        RecordCodec codec = RecordCodec.of(avro("collections.avsc"));

        for (long length : new long[] {1L << 30, Integer.MAX_VALUE - 10}) {
            byte[] bytes = concat(zigzag(length), new byte[8]); // a 10-byte record
            assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(bytes)))
                    .isInstanceOf(InvalidRecordException.class)
                    .hasMessage("not Avro binary of this schema: java.io.EOFException: Attempted to read " + length
                            + " bytes, but only 8 bytes are available");
        }
    }

    @Test
    void avro_bytesLongerThanTheRecord_isInvalidBeforeAllocating() {
        RecordCodec codec = RecordCodec.of(avro("collections.avsc"));
        byte[] bytes = concat(zigzag(0, 1L << 30), new byte[8]);

        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(bytes)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("not Avro binary of this schema: java.io.EOFException: Attempted to read 1073741824 bytes,"
                        + " but only 8 bytes are available");
    }

    @Test
    void avro_negativeLength_isInvalid() {
        RecordCodec codec = RecordCodec.of(avro("collections.avsc"));

        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(concat(zigzag(-5), new byte[8]))))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("not Avro binary of this schema: org.apache.avro.AvroRuntimeException: Malformed data."
                        + " Length is negative: -5");
        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(concat(zigzag(0, -5), new byte[8]))))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("not Avro binary of this schema: org.apache.avro.AvroRuntimeException: Malformed data."
                        + " Length is negative: -5");
    }

    /** Items of null take no bytes: a few bytes declare billions of them. */
    @Test
    void avro_collectionOfZeroByteItemsDeclaringBillions_isInvalidBeforeAllocating() {
        RecordCodec codec = RecordCodec.of(avro("collections.avsc"));
        String message = "not Avro binary of this schema: the record declares more than 10000000 array items and map"
                + " entries (DecodeLimits.maxCollectionItems)";
        byte[][] hostile = {
            zigzag(0, 0, (1L << 31) - 9, 0, 0, 0, 0), // nulls: 2^31-9 items
            zigzag(0, 0, -((1L << 31) - 9), 0, 0, 0, 0, 0), // nulls: one block, with its (empty) byte size
            zigzag(0, 0, 0, (1L << 31) - 9, 0, 0, 0), // empties: records without fields
            zigzag(0, 0, 0, 0, 0, (1L << 31) - 9, 0), // tags: map of nulls, keys of one byte
            zigzag(0, 0, 100_000_000, 0, 0, 0, 0), // nulls: 10^8, which Avro's own limit lets through
        };
        for (byte[] bytes : hostile) {
            assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(bytes)))
                    .isInstanceOf(InvalidRecordException.class)
                    .hasMessage(message);
            assertThatThrownBy(() -> codec.readerFor(codec, null).read(ByteBuffer.wrap(bytes)))
                    .isInstanceOf(InvalidRecordException.class)
                    .hasMessage(message);
        }
    }

    /** 10^9 items in 400 KB: blocks of 10,000 nulls, or 100,000 inner arrays of 2^20 nulls. */
    @Test
    void avro_collectionItemsAddUpOverBlocksAndNestedArrays() {
        RecordCodec codec = RecordCodec.of(avro("collections.avsc"));
        ByteArrayOutputStream blocks = new ByteArrayOutputStream();
        blocks.writeBytes(zigzag(0, 0));
        for (int i = 0; i < 100_000; i++) {
            blocks.writeBytes(zigzag(10_000));
        }
        blocks.writeBytes(zigzag(0, 0, 0, 0));
        ByteArrayOutputStream grid = new ByteArrayOutputStream();
        grid.writeBytes(zigzag(0, 0, 0, 0, 100_000));
        for (int i = 0; i < 100_000; i++) {
            grid.writeBytes(zigzag(1 << 20, 0));
        }
        grid.writeBytes(zigzag(0, 0));

        for (byte[] bytes : new byte[][] {blocks.toByteArray(), grid.toByteArray()}) {
            assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(bytes)))
                    .isInstanceOf(InvalidRecordException.class)
                    .hasMessage("not Avro binary of this schema: the record declares more than 10000000 array items"
                            + " and map entries (DecodeLimits.maxCollectionItems)");
        }
    }

    @Test
    void avro_collectionItemsUpToTheLimit_read() {
        RecordCodec codec = RecordCodec.of(avro("collections.avsc"), DecodeLimits.DEFAULTS.withMaxCollectionItems(1_000));

        // 599 nulls, then a grid of one array of 400 nulls: 599 + 1 + 400 items
        GenericRecord record = (GenericRecord) codec.decode(ByteBuffer.wrap(zigzag(0, 0, 599, 0, 0, 1, 400, 0, 0, 0)));

        assertThat((java.util.List<?>) record.get("nulls")).hasSize(599);
        assertThat(codec.toJson(record).get("grid").get(0)).hasSize(400);
        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(zigzag(0, 0, 599, 0, 0, 1, 401, 0, 0, 0))))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("not Avro binary of this schema: the record declares more than 1000 array items and map"
                        + " entries (DecodeLimits.maxCollectionItems)");
    }

    @Test
    void avro_migratingReader_countsItemsOfTheWriter() {
        RecordCodec codec = RecordCodec.of(avro("collections.avsc"));
        FieldMapping keepAll = new FieldMapping(true, Set.of(), Map.of());
        RecordCodec.RecordReader reader = codec.migratingReaderFor(codec, keepAll, null).orElseThrow();

        assertThatThrownBy(() -> reader.read(ByteBuffer.wrap(zigzag(0, 0, (1L << 31) - 9, 0, 0, 0, 0))))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("not Avro binary of this schema: the record declares more than 10000000 array items and map"
                        + " entries (DecodeLimits.maxCollectionItems)");
    }

    /** A record built in code, deeper than any stack: its JSON view is an invalid record, not an Error. */
    @Test
    void avro_toJsonOfARecordDeeperThanTheStack_isInvalidNotAnError() {
        RecordCodec codec = RecordCodec.of(avro("link.avsc"));
        org.apache.avro.Schema schema = ((AvroContractSchema) codec.schema()).schema();
        GenericData.Record top = new GenericData.Record(schema);
        GenericData.Record link = top;
        for (int i = 0; i < 1_000_000; i++) {
            GenericData.Record next = new GenericData.Record(schema);
            link.put("next", next);
            link = next;
        }

        assertThatThrownBy(() -> codec.toJson(top)).isInstanceOf(InvalidRecordException.class).hasMessage(STACK);
        assertThatThrownBy(() -> codec.encode(top)).isInstanceOf(InvalidRecordException.class).hasMessage(STACK);
    }

    // ---- Protobuf: unknown groups, lengths, the transcoding reader ----

    static Stream<RecordCodec> treeNodes() {
        return Stream.of(RecordCodec.of(treeNodeClass()), RecordCodec.of(treeNodeDescriptor()));
    }

    /** CVE-2024-7254: unknown START_GROUP tags nested deeper than the stack, in 200 KB. */
    @ParameterizedTest
    @MethodSource("treeNodes")
    void protobuf_unknownGroupsNestedDeep_areInvalid(RecordCodec codec) {
        byte[] groups = new byte[200_000];
        Arrays.fill(groups, (byte) (9 << 3 | 3));

        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(groups)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("not Protobuf binary of kontract.test.TreeNode: messages nest more than 100 levels deep"
                        + " (DecodeLimits.maxNestingDepth)");
    }

    @ParameterizedTest
    @MethodSource("treeNodes")
    void protobuf_lengthLongerThanTheRecordOrNegative_isInvalid(RecordCodec codec) {
        byte[] huge = {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 'a', 'b'};
        byte[] negative = {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, (byte) 0xff, 0x01, 'a'};

        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(huge)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("not Protobuf binary of kontract.test.TreeNode: While parsing a protocol message,"
                        + " the input ended unexpectedly in the middle of a field.");
        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(negative)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("not Protobuf binary of kontract.test.TreeNode: CodedInputStream encountered an embedded"
                        + " string or message which claimed to have negative size.");
    }

    /** The transcoder renumbers top-level fields and skips dropped ones: skipping a group recurses. */
    @ParameterizedTest
    @MethodSource("treeNodes")
    void protobuf_migratingReader_boundsWhatItSkipsAndCopies(RecordCodec codec) {
        FieldMapping dropName = new FieldMapping(true, Set.of("name"), Map.of());
        RecordCodec.RecordReader reader = codec.migratingReaderFor(codec, dropName, null).orElseThrow();
        byte[] groupsInDroppedField = new byte[200_000];
        Arrays.fill(groupsInDroppedField, (byte) (1 << 3 | 3));

        assertThatThrownBy(() -> reader.read(ByteBuffer.wrap(groupsInDroppedField)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("not Protobuf binary: messages nest more than 100 levels deep (DecodeLimits.maxNestingDepth)");
        assertThatThrownBy(() -> reader.read(ByteBuffer.wrap(protobufChildren(101))))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("not Protobuf binary of kontract.test.TreeNode: messages nest more than 100 levels deep"
                        + " (DecodeLimits.maxNestingDepth)");
        assertThat(reader.read(ByteBuffer.wrap(protobufChildren(100)))).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("treeNodes")
    void protobuf_fromJsonOfAViewDeeperThanTheStack_isInvalidNotAnError(RecordCodec codec) {
        ObjectNode top = NODES.objectNode();
        ObjectNode node = top;
        for (int i = 0; i < 1_000_000; i++) {
            node = node.putObject("child");
        }

        assertThatThrownBy(() -> codec.fromJson(top, null)).isInstanceOf(InvalidRecordException.class).hasMessage(STACK);
    }

    // ---- JSON: numbers, views given to be validated ----

    @Test
    void json_numberLongerThanJacksonAllows_isInvalid() {
        RecordCodec codec = RecordCodec.of(json("tree.schema.json"));
        byte[] bytes = ("{\"a\": " + "9".repeat(1_001) + "}").getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(bytes)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("not JSON (StreamConstraintsException): Number value length (1001) exceeds the maximum allowed"
                        + " (1000, from `StreamReadConstraints.getMaxNumberLength()`)");
    }

    /**
     * Jackson reads 1e999999999 as an infinite double, which org.json refuses with a JSONException; decoding
     * validates, so the bytes are refused there.
     */
    @Test
    void json_numberBeyondADouble_isAnInvalidRecordNamingItsPlace() {
        RecordCodec codec = RecordCodec.of(json("tree.schema.json"));
        byte[] bytes = "{\"a\": [1, 1e999999999]}".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(bytes)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("does not match JSON Schema Tree: #/a/1: is a number beyond the range of a double");
    }

    /** A view a rule built may nest deeper than Jackson would read: it never reaches everit. */
    @Test
    void json_viewNestedPastTheLimit_isRefusedBeforeValidation() {
        RecordCodec codec = RecordCodec.of(json("tree.schema.json"));
        ArrayNode top = NODES.arrayNode();
        ArrayNode node = top;
        for (int i = 0; i < 1_000_000; i++) {
            node = node.addArray();
        }

        assertThatThrownBy(() -> codec.fromJson(top, null))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("does not match JSON Schema Tree: #: nests more than 100 levels deep (DecodeLimits.maxNestingDepth)");
        assertThatThrownBy(() -> codec.encodeJson(top))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("does not match JSON Schema Tree: #: nests more than 100 levels deep (DecodeLimits.maxNestingDepth)");
    }

    /** everit recurses with about 4 KB of stack per level: the default limit fits a default (1 MB) thread stack. */
    @Test
    void json_recursiveSchemaAtTheLimit_validatesOnADefaultThreadStack() {
        RecordCodec codec = RecordCodec.of(json("tree.schema.json"));
        JsonNode record = (JsonNode) codec.decode(ByteBuffer.wrap(jsonArrays(100)));

        Throwable thrown = onStack(0, () -> codec.fromJson(record, null));

        assertThat(thrown).isNull();
    }

    @Test
    void json_validationOnAThreadWithTooSmallAStack_isInvalidNotAnError() {
        RecordCodec codec = RecordCodec.of(json("tree.schema.json"));
        JsonNode record = (JsonNode) codec.decode(ByteBuffer.wrap(jsonArrays(100)));
        warmUp(codec, jsonArrays(2));

        Throwable thrown = onStack(16 * 1024, () -> codec.fromJson(record, null));

        assertThat(thrown).isInstanceOf(InvalidRecordException.class).hasMessage(STACK);
    }

    // ---- helpers ----

    /**
     * Runs the codec's paths once on this thread, so that no class is first initialized on a thread
     * about to overflow its stack (a class whose initializer fails stays unusable).
     */
    private static void warmUp(RecordCodec codec, byte[] shallow) {
        codec.fromJson(codec.toJson(codec.decode(ByteBuffer.wrap(shallow))), null);
    }

    /** What {@code action} throws on a thread with a stack of {@code stackSize} bytes (0: the default), or null. */
    private static Throwable onStack(long stackSize, Runnable action) {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                action.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "hostile-input", stackSize);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return thrown.get();
    }

    /** Avro's zig-zag varints of {@code values}, one after the other. */
    static byte[] zigzag(long... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long value : values) {
            long n = value << 1 ^ value >> 63;
            while ((n & ~0x7FL) != 0) {
                out.write((int) (n & 0x7F | 0x80));
                n >>>= 7;
            }
            out.write((int) n);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    static String resource(String name) {
        try (InputStream in = HostileInputTest.class.getResourceAsStream("/hostile/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static AvroContractSchema avro(String name) {
        return AvroContractSchema.parse(resource(name));
    }

    static JsonContractSchema json(String name) {
        return JsonContractSchema.parse(resource(name));
    }

    private static ProtobufContractSchema treeNodeClass() {
        return ProtobufContractSchema.ofClass(TreeNode.class.getName(), HostileInputTest.class.getClassLoader());
    }

    private static ProtobufContractSchema treeNodeDescriptor() {
        byte[] set = FileDescriptorSet.newBuilder().addFile(TreeNode.getDescriptor().getFile().toProto()).build().toByteArray();
        return ProtobufContractSchema.ofDescriptorSet(set, "kontract.test.TreeNode");
    }
}
