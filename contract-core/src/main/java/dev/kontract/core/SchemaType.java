package dev.kontract.core;

/** The schema formats a contract version can use. */
public enum SchemaType {
    AVRO,
    PROTOBUF,
    JSON
}
