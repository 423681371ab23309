/**
 * Compiled JSON Schema validation ({@link dev.kontract.core.format.jsonschema.CompiledJsonSchema}),
 * the fast path behind Kontract's JSON codec. Public to Java for the codec, not API.
 */
package dev.kontract.core.format.jsonschema;
