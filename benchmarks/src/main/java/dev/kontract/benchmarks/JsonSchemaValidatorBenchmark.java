package dev.kontract.benchmarks;

import com.github.erosb.jsonsKema.IJsonValue;
import com.github.erosb.jsonsKema.JsonParser;
import com.github.erosb.jsonsKema.SchemaLoader;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.harrel.jsonschema.Dialects;
import dev.harrel.jsonschema.ValidatorFactory;
import dev.harrel.jsonschema.providers.OrgJsonNode;
import dev.kontract.core.format.DecodeLimits;
import dev.kontract.core.format.JsonContractSchema;
import dev.kontract.core.format.jsonschema.CompiledJsonSchema;
import dev.kontract.core.format.RecordCodec;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.everit.json.schema.Schema;
import org.json.JSONObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What JSON Schema validation of the benchmark order costs with each JVM validator on Maven Central,
 * next to writing the order with Jackson (the plain JSON serializer, and the baseline of the JSON
 * validation-only path in {@link SerializeBenchmark}).
 *
 * <p>Each validator gets the order already in its own input form, built once: the floor of what it
 * costs, whatever the conversion from a Jackson tree would add. {@code compiled} is Kontract's own
 * validator, compiled once per schema and run on the Jackson tree; the JSON codec runs it first and asks
 * everit only for the message of a record it rejects, so {@code codecValidation} (the codec's
 * {@code fromJson}, validation and all) costs about what {@code compiled} does. A validation-only
 * serializer within 1.5× of the plain writer needs validation at under half the cost of the write.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JsonSchemaValidatorBenchmark {

    private JsonNode order;
    private RecordCodec kontractCodec;
    private Schema everit;
    private CompiledJsonSchema compiled;
    private JSONObject orgJsonOrder;
    private com.networknt.schema.Schema networknt;
    private dev.harrel.jsonschema.Validator harrel;
    private URI harrelSchema;
    private com.github.erosb.jsonsKema.Validator skema;
    private IJsonValue skemaOrder;

    @Setup
    public void setUp() {
        kontractCodec = Orders.codec(Orders.product("json"), "1.0");
        JsonContractSchema contractSchema = (JsonContractSchema) kontractCodec.schema();
        everit = contractSchema.schema();
        compiled = contractSchema.compiled().orElseThrow(() -> new IllegalStateException(
                "the order schema is not compiled: " + contractSchema.notCompiledBecause().orElse("")));
        String schemaText = Orders.JSON.writeValueAsString(contractSchema.document());
        order = Orders.view(1);
        String orderText = Orders.JSON.writeValueAsString(order);
        orgJsonOrder = new JSONObject(orderText);

        networknt = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(schemaText);

        harrel = new ValidatorFactory().withJsonNodeFactory(new OrgJsonNode.Factory())
                .withDefaultDialect(new Dialects.Draft7Dialect()).createValidator();
        harrelSchema = harrel.registerSchema(schemaText);

        // json-sKema would fetch the draft-07 meta-schema named by $schema; it validates the same without it.
        ObjectNode offlineSchema = (ObjectNode) Orders.JSON.readTree(schemaText);
        offlineSchema.remove("$schema");
        skema = com.github.erosb.jsonsKema.Validator.forSchema(
                new SchemaLoader(new JsonParser(Orders.JSON.writeValueAsString(offlineSchema)).parse()).load());
        skemaOrder = new JsonParser(orderText).parse();

        requireValid();
    }

    /** Every validator must accept the order, or the benchmark would measure a failure path. */
    private void requireValid() {
        codecValidation();
        everit.validate(orgJsonOrder);
        if (!compiled.isValid(order, DecodeLimits.DEFAULTS.maxNestingDepth())) {
            throw new IllegalStateException("the compiled validator rejects the order");
        }
        List<com.networknt.schema.Error> networkntErrors = networknt.validate(order);
        if (!networkntErrors.isEmpty()) {
            throw new IllegalStateException("networknt rejects the order: " + networkntErrors);
        }
        if (!harrel.validate(harrelSchema, orgJsonOrder).isValid()) {
            throw new IllegalStateException("harrel rejects the order");
        }
        if (skema.validate(skemaOrder) != null) {
            throw new IllegalStateException("json-sKema rejects the order: " + skema.validate(skemaOrder));
        }
    }

    @Benchmark
    public byte[] jacksonWriteBaseline() {
        return Orders.JSON.writeValueAsBytes(order);
    }

    @Benchmark
    public Object codecValidation() {
        return kontractCodec.fromJson(order, null);
    }

    /** Kontract's compiled validator, on the Jackson tree the codec has anyway. */
    @Benchmark
    public boolean compiled() {
        return compiled.isValid(order, DecodeLimits.DEFAULTS.maxNestingDepth());
    }

    @Benchmark
    public Object everit() {
        everit.validate(orgJsonOrder);
        return orgJsonOrder;
    }

    @Benchmark
    public Object networknt() {
        return networknt.validate(order);
    }

    @Benchmark
    public Object harrel() {
        return harrel.validate(harrelSchema, orgJsonOrder);
    }

    @Benchmark
    public Object jsonSkema() {
        return skema.validate(skemaOrder);
    }
}
