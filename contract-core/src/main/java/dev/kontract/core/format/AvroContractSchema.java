package dev.kontract.core.format;

import dev.kontract.core.SchemaType;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaParseException;

/** An Avro record schema of a contract version. */
public final class AvroContractSchema implements ContractSchema {

    private final Schema schema;

    private AvroContractSchema(Schema schema) {
        this.schema = Objects.requireNonNull(schema);
    }

    /**
     * Parses Avro schema JSON.
     *
     * @throws IllegalArgumentException with Avro's reason when the text is not a valid schema
     */
    public static AvroContractSchema parse(String schemaJson) {
        try {
            return of(new Schema.Parser().parse(schemaJson));
        } catch (SchemaParseException | org.apache.avro.AvroTypeException e) {
            throw new IllegalArgumentException("invalid Avro schema: " + e.getMessage(), e);
        }
    }

    public static AvroContractSchema of(Schema schema) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("an Avro contract schema must be a record, not " + schema.getType());
        }
        return new AvroContractSchema(schema);
    }

    public Schema schema() {
        return schema;
    }

    @Override
    public SchemaType type() {
        return SchemaType.AVRO;
    }

    @Override
    public String name() {
        return schema.getFullName();
    }

    @Override
    public List<String> readProblems(ContractSchema writer) {
        Schema writerSchema = ((AvroContractSchema) writer).schema;
        SchemaCompatibility.SchemaCompatibilityResult result =
                SchemaCompatibility.checkReaderWriterCompatibility(schema, writerSchema).getResult();
        if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        return result.getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                .toList();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AvroContractSchema that && schema.equals(that.schema);
    }

    @Override
    public int hashCode() {
        return schema.hashCode();
    }

    @Override
    public String toString() {
        return "AVRO " + name();
    }
}
