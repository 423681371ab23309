package dev.kontract.core.format;

import dev.kontract.core.SchemaType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaParseException;

/** An Avro record schema of a contract version. */
public final class AvroContractSchema implements ContractSchema {

    private final Schema schema;
    /** What Avro's {@code Schema.equals} leaves out but its resolution reads: aliases and enum defaults. */
    private final List<String> resolutionNames;

    private AvroContractSchema(Schema schema) {
        this.schema = Objects.requireNonNull(schema);
        this.resolutionNames = List.copyOf(resolutionNames(schema, new ArrayList<>(), new HashSet<>()));
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

    /**
     * Equal when Avro finds the schemas equal and they have the same aliases and enum defaults, which
     * Avro's {@code Schema.equals} ignores but its resolution reads (so a published version that gains an
     * alias has changed). Docs do not count.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof AvroContractSchema that && schema.equals(that.schema)
                && resolutionNames.equals(that.resolutionNames);
    }

    private static List<String> resolutionNames(Schema schema, List<String> found, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.add(schema.getFullName())) {
                    found.add(schema.getFullName() + " aliases " + new TreeSet<>(schema.getAliases()));
                    for (Schema.Field field : schema.getFields()) {
                        found.add(schema.getFullName() + "." + field.name() + " aliases " + new TreeSet<>(field.aliases()));
                        resolutionNames(field.schema(), found, seen);
                    }
                }
            }
            case ENUM -> {
                if (seen.add(schema.getFullName())) {
                    found.add(schema.getFullName() + " aliases " + new TreeSet<>(schema.getAliases()) + " default "
                            + schema.getEnumDefault());
                }
            }
            case FIXED -> {
                if (seen.add(schema.getFullName())) {
                    found.add(schema.getFullName() + " aliases " + new TreeSet<>(schema.getAliases()));
                }
            }
            case ARRAY -> resolutionNames(schema.getElementType(), found, seen);
            case MAP -> resolutionNames(schema.getValueType(), found, seen);
            case UNION -> schema.getTypes().forEach(type -> resolutionNames(type, found, seen));
            default -> {
                // primitives carry no names
            }
        }
        return found;
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
