package dev.kontract.core.format;

import dev.kontract.core.SchemaType;
import java.util.List;

/**
 * A parsed schema of one contract version, in its format's own representation (an Avro
 * {@code Schema}, a Protobuf {@code Descriptor}, a JSON Schema document). Built once when the
 * contract loads.
 */
public sealed interface ContractSchema permits AvroContractSchema, ProtobufContractSchema, JsonContractSchema {

    SchemaType type();

    /** The record type's name, for messages: the Avro full name, the Protobuf message, the JSON Schema title. */
    String name();

    /**
     * Why a record written with {@code writer} cannot be read with this schema under the format's own
     * resolution (Avro schema resolution, Protobuf field numbers, JSON Schema types and required
     * fields); empty when it can. Both schemas must be of the same type.
     */
    List<String> readProblems(ContractSchema writer);
}
