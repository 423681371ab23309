package dev.kontract.core.format.jsonschema;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Where each {@code $ref} of a schema document leads, without leaving the document: the document
 * and every subschema with an {@code $id} (draft-04: {@code id}) are resources, named by their URI
 * resolved against the base URI of the schema around them ({@code $id} "#name" names a subschema
 * within its resource); a {@code $ref} resolves against its own base URI to a resource, then to a
 * subschema by the JSON pointer of its fragment. A schema with {@code $ref} ignores every other
 * keyword, its {@code $id} too. A reference to anything else is a remote {@code $ref}.
 */
final class SchemaResources {

    /** The base URI of a document without {@code $id}. */
    private static final URI DEFAULT_BASE = URI.create("kontract:/schema");

    /** Keywords whose value is a schema, an object of schemas or an array of schemas, in draft-07. */
    private static final Set<String> SCHEMA_KEYWORDS = Set.of("additionalItems", "additionalProperties", "contains",
            "propertyNames", "not", "if", "then", "else");
    private static final Set<String> SCHEMA_MAP_KEYWORDS = Set.of("properties", "patternProperties", "definitions",
            "dependencies");
    private static final Set<String> SCHEMA_ARRAY_KEYWORDS = Set.of("allOf", "anyOf", "oneOf", "items");

    /** A subschema, the base URI its own {@code $ref}s resolve against, and its JSON pointer in the document. */
    record Located(JsonNode node, URI base, String pointer) {}

    private final String idKeyword;
    private final Map<String, Located> resources = new HashMap<>();
    private final Located root;

    private SchemaResources(JsonNode document, String idKeyword) {
        this.idKeyword = idKeyword;
        URI base = baseOf(document, DEFAULT_BASE, "#");
        this.root = new Located(document, base, "#");
        resources.put(key(base), root);
        index(document, DEFAULT_BASE, "#");
    }

    /** @param idKeyword {@code $id}, or draft-04's {@code id} */
    static SchemaResources of(JsonNode document, String idKeyword) {
        return new SchemaResources(document, idKeyword);
    }

    Located root() {
        return root;
    }

    /**
     * The base URI of a schema within one whose base URI is {@code parentBase}: its {@code $id}
     * resolved against that, unless it has none, has a {@code $ref} or names only a fragment.
     */
    URI baseOf(JsonNode schema, URI parentBase, String pointer) {
        JsonNode id = schema.isObject() && !schema.has("$ref") ? schema.get(idKeyword) : null;
        if (id == null || !id.isString() || id.stringValue().startsWith("#")) {
            return parentBase;
        }
        return withoutFragment(resolve(parentBase, id.stringValue(), "$id", pointer));
    }

    private void index(JsonNode schema, URI parentBase, String pointer) {
        if (!schema.isObject() || schema.has("$ref")) {
            return;
        }
        URI base = baseOf(schema, parentBase, pointer);
        JsonNode id = schema.get(idKeyword);
        if (id != null && id.isString()) {
            Located here = new Located(schema, base, pointer);
            String text = id.stringValue();
            int hash = text.indexOf('#');
            if (hash < 0 || hash == text.length() - 1) {
                resources.putIfAbsent(key(base), here);
            } else if (hash == 0) {
                resources.putIfAbsent(key(base) + text, here);
            } else {
                resources.putIfAbsent(key(base), here);
                resources.putIfAbsent(key(base) + text.substring(hash), here);
            }
        }
        for (Map.Entry<String, JsonNode> keyword : schema.properties()) {
            String name = keyword.getKey();
            JsonNode value = keyword.getValue();
            String at = pointer + "/" + escape(name);
            if (SCHEMA_KEYWORDS.contains(name)) {
                index(value, base, at);
            } else if (SCHEMA_MAP_KEYWORDS.contains(name) && value.isObject()) {
                for (Map.Entry<String, JsonNode> entry : value.properties()) {
                    index(entry.getValue(), base, at + "/" + escape(entry.getKey()));
                }
            } else if (SCHEMA_ARRAY_KEYWORDS.contains(name)) {
                if (value.isArray()) {
                    for (int i = 0; i < value.size(); i++) {
                        index(value.get(i), base, at + "/" + i);
                    }
                } else {
                    index(value, base, at);
                }
            }
        }
    }

    /**
     * The subschema a {@code $ref} leads to.
     *
     * @throws CompiledJsonSchema.NotCompiled when it leads out of the document or nowhere
     */
    Located resolve(String reference, URI base, String pointer) {
        int hash = reference.indexOf('#');
        String address = hash < 0 ? reference : reference.substring(0, hash);
        String fragment = hash < 0 ? "" : reference.substring(hash + 1);
        URI document = withoutFragment(address.isEmpty() ? base : resolve(base, address, "$ref", pointer));
        String documentKey = key(document);
        Located resource = resources.get(documentKey);
        if (resource == null) {
            throw new CompiledJsonSchema.NotCompiled("$ref", pointer, "remote $ref " + document
                    + " (only $refs within the schema are compiled)");
        }
        if (!fragment.isEmpty() && !fragment.startsWith("/")) {
            Located named = resources.get(documentKey + "#" + fragment);
            if (named == null) {
                throw new CompiledJsonSchema.NotCompiled("$ref", pointer, "no schema has $id #" + fragment);
            }
            return named;
        }
        return follow(resource, decode(fragment, pointer), pointer);
    }

    private Located follow(Located resource, String jsonPointer, String pointer) {
        if (jsonPointer.isEmpty()) {
            return resource;
        }
        JsonNode node = resource.node();
        URI base = resource.base();
        StringBuilder at = new StringBuilder(resource.pointer());
        for (String escaped : List.of(jsonPointer.substring(1).split("/", -1))) {
            String token = escaped.replace("~1", "/").replace("~0", "~");
            at.append('/').append(escape(token));
            if (node.isObject()) {
                node = node.get(token);
            } else if (node.isArray() && token.matches("0|[1-9][0-9]{0,8}")) {
                node = node.get(Integer.parseInt(token));
            } else {
                node = null;
            }
            if (node == null) {
                throw new CompiledJsonSchema.NotCompiled("$ref", pointer, at + " is not in the schema");
            }
            base = baseOf(node, base, at.toString());
        }
        return new Located(node, base, at.toString());
    }

    private static String decode(String fragment, String pointer) {
        try {
            return URLDecoder.decode(fragment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new CompiledJsonSchema.NotCompiled("$ref", pointer, "#" + fragment + " is not a URI fragment");
        }
    }

    private static URI resolve(URI base, String reference, String keyword, String pointer) {
        URI uri;
        try {
            uri = new URI(reference);
        } catch (java.net.URISyntaxException e) {
            throw new CompiledJsonSchema.NotCompiled(keyword, pointer, reference + " is not a URI");
        }
        if (uri.isAbsolute()) {
            return uri.normalize();
        }
        if (base.isOpaque()) {
            throw new CompiledJsonSchema.NotCompiled(keyword, pointer, "remote $ref: " + reference
                    + " cannot be resolved against " + base);
        }
        return base.resolve(uri).normalize();
    }

    private static URI withoutFragment(URI uri) {
        if (uri.getRawFragment() == null) {
            return uri;
        }
        String text = uri.toString();
        return URI.create(text.substring(0, text.indexOf('#')));
    }

    private static String key(URI uri) {
        return uri.toString();
    }

    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
