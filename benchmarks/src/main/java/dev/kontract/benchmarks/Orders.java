package dev.kontract.benchmarks;

import dev.kontract.core.ContractCatalog;
import dev.kontract.core.Version;
import dev.kontract.core.format.RecordCodec;
import dev.kontract.core.load.ContractLoader;
import dev.kontract.serde.ContractHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The benchmarks' record: an order event of ten fields with a nested address, an array of lines and
 * an optional coupon, in each format and major, built from one JSON view so every format carries the
 * same data.
 */
final class Orders {

    static final String SOURCE = "classpath:bench-contracts/";
    static final ContractCatalog CATALOG = new ContractLoader().load(SOURCE);
    static final JsonMapper JSON = JsonMapper.builder().build();

    private Orders() {}

    static String product(String format) {
        return "bench.orders." + format;
    }

    static String checkedProduct(String format) {
        return "bench.checked." + format;
    }

    static RecordCodec codec(String product, String version) {
        return RecordCodec.of(CATALOG.product(product).orElseThrow().version(Version.parse(version)).orElseThrow().schema());
    }

    /** The order's JSON view in major {@code major}. */
    static ObjectNode view(int major) {
        ObjectNode order = JSON.createObjectNode();
        order.put("order_id", "ord-2026-000042");
        order.put(major == 1 ? "customer_id" : "customer_ref", "cust-7f3a9c");
        order.put("placed_at", 1_795_000_000_000L);
        order.put("status", "PLACED");
        order.put("total", 129.97);
        order.put("currency", "EUR");
        var lines = order.putArray("lines");
        lines.addObject().put("sku", "SKU-1001").put("quantity", 2).put("unit_price", 39.99);
        lines.addObject().put("sku", "SKU-2002").put("quantity", 1).put("unit_price", 49.99);
        order.putObject("shipping").put("street", "1 Main Street").put("city", "Dublin").put("postcode", "D01 F5P2")
                .put("country", "IE");
        order.put("coupon", "WELCOME10");
        order.put(major == 3 ? "sales_channel" : "channel", "web");
        return order;
    }

    /** The order as an application of {@code version} builds it: GenericRecord, generated message or JSON tree. */
    static Object record(String product, String version) {
        return codec(product, version).fromJson(view(Version.parse(version).major()), null);
    }

    static byte[] bytes(String product, String version) {
        return codec(product, version).encode(record(product, version));
    }

    static RecordHeaders headers(String product, String version) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(ContractHeaders.PRODUCT, product.getBytes(StandardCharsets.UTF_8));
        headers.add(ContractHeaders.VERSION, version.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
