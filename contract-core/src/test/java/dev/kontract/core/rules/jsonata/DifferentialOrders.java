package dev.kontract.core.rules.jsonata;

import dev.kontract.core.format.AvroContractSchema;
import dev.kontract.core.format.ProtobufContractSchema;
import dev.kontract.core.format.RecordCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generated order records for the differential tests, as JSON views that every format can hold
 * ({@link #typed}) and as arbitrary JSON with missing fields, nulls and wrong types ({@link #untyped}):
 * unicode, longs beyond 2^53, empty and single-item arrays, and the values the rules look for.
 * Where JSONata4Java deviates from JSONata (docs/jsonata4java-deviations.md: C0 controls, characters
 * outside the BMP, products beyond 2^63) the strings and numbers stay clear of it.
 */
final class DifferentialOrders {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final List<String> STATUSES = List.of("STATUS_UNSPECIFIED", "PLACED", "SHIPPED");

    static final RecordCodec AVRO_V1 = RecordCodec.of(AvroContractSchema.parse(resource("differential/order-v1.avsc")));
    static final RecordCodec AVRO_V2 = RecordCodec.of(AvroContractSchema.parse(resource("differential/order-v2.avsc")));
    static final RecordCodec PROTO_V1 = RecordCodec.of(ProtobufContractSchema.ofClass(
            "dev.kontract.core.testproto.DiffOrder", DifferentialOrders.class.getClassLoader()));
    static final RecordCodec PROTO_V2 = RecordCodec.of(ProtobufContractSchema.ofClass(
            "dev.kontract.core.testproto.DiffOrderV2", DifferentialOrders.class.getClassLoader()));

    private DifferentialOrders() {}

    static String resource(String name) {
        try (InputStream in = DifferentialOrders.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Arbitrary<String> strings(String... usual) {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of(usual)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange(' ', '\ud7ff').withChars('\t', '\n', '\r')
                        .ofMaxLength(6)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("", " a  b ", "ÄÖÜ straße", "😀 emoji", "日本")));
    }

    private static Arbitrary<Long> longs() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(-5, 100)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs()),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(9007199254740993L, -9007199254740993L, Long.MAX_VALUE, 1L << 53)));
    }

    private static Arbitrary<Double> doubles() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.doubles().between(-10, 2000).ofScale(2)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0.0, 10.5, 0.1, 1e15, 1e-7, 123456.789)));
    }

    private static Arbitrary<ObjectNode> line() {
        return Combinators.combine(strings("SKU-1", "SKU-2"), Arbitraries.integers().between(-1, 5), doubles())
                .as((sku, qty, price) -> NODES.objectNode().put("sku", sku).put("qty", qty).put("price", price));
    }

    private static Arbitrary<JsonNode> address() {
        Arbitrary<JsonNode> some = Combinators.combine(strings("Dublin", "Berlin"), strings("IE", "DE", "ie", "Ireland"),
                strings("D01 F5P2", "10115"))
                .as((city, country, zip) -> NODES.objectNode().put("city", city).put("country", country).put("zip", zip));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, some), net.jqwik.api.Tuple.of(1, Arbitraries.just(NODES.nullNode())));
    }

    private static Arbitrary<ArrayNode> array(Arbitrary<? extends JsonNode> items) {
        return items.list().ofMaxSize(3).map(list -> {
            ArrayNode array = NODES.arrayNode();
            list.forEach(array::add);
            return array;
        });
    }

    /** Orders every format can hold: all fields present with their types; coupon and address may be null. */
    static Arbitrary<ObjectNode> typed() {
        Arbitrary<ObjectNode> scalars = Combinators.combine(strings("ord-1", "ord-42"), strings("Ann", "Bob"),
                Arbitraries.integers().between(-3, 1000), doubles(), longs(), Arbitraries.of(true, false),
                strings("WELCOME10").injectNull(0.4), Arbitraries.of(STATUSES))
                .as((id, customer, qty, price, big, active, coupon, status) -> {
                    ObjectNode order = NODES.objectNode();
                    order.put("id", id).put("customer", customer).put("qty", qty).put("price", price).put("big", big)
                            .put("active", active);
                    if (coupon == null) {
                        order.putNull("coupon");
                    } else {
                        order.put("coupon", coupon);
                    }
                    order.put("status", status);
                    return order;
                });
        return Combinators.combine(scalars, array(strings("gift", "sale").map(NODES::stringNode)), array(line()), address())
                .as((order, tags, lines, address) -> {
                    order.set("tags", tags);
                    order.set("lines", lines);
                    order.set("address", address);
                    return order;
                });
    }

    /** Arbitrary JSON orders: typed ones with fields dropped, nulled or given values of another type. */
    static Arbitrary<ObjectNode> untyped() {
        Arbitrary<JsonNode> odd = Arbitraries.of(NODES.nullNode(), NODES.stringNode("5"), NODES.numberNode(7),
                NODES.booleanNode(true), NODES.arrayNode(), NODES.objectNode(), NODES.arrayNode().add(1));
        return Combinators.combine(typed(), Arbitraries.integers().between(0, 12).list().ofMaxSize(3), odd.list().ofSize(3),
                Arbitraries.of(true, false)).as((order, fields, values, drop) -> {
                    List<String> names = List.copyOf(order.propertyNames());
                    for (int i = 0; i < fields.size(); i++) {
                        String name = names.get(fields.get(i) % names.size());
                        if (drop) {
                            order.remove(name);
                        } else {
                            order.set(name, values.get(i));
                        }
                    }
                    return order;
                });
    }
}
