package dev.kontract.core.load;

import dev.kontract.core.ContractException;
import dev.kontract.core.ContractVersion;
import dev.kontract.core.DataContract;
import dev.kontract.core.Rule;
import dev.kontract.core.RuleKind;
import dev.kontract.core.RuleMode;
import dev.kontract.core.RuleSet;
import dev.kontract.core.SchemaType;
import dev.kontract.core.ServiceLevel;
import dev.kontract.core.Version;
import dev.kontract.core.format.AvroContractSchema;
import dev.kontract.core.format.ContractSchema;
import dev.kontract.core.format.JsonContractSchema;
import dev.kontract.core.format.ProtobufContractSchema;
import dev.kontract.core.rules.RuleEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns one contract file's tree into a {@link DataContract}, recording every problem with the file,
 * the version and the field path instead of stopping at the first.
 */
final class ContractFileReader {

    static final List<String> TOP_FIELDS =
            List.of("product", "domain", "owner", "description", "topics", "tags", "sla", "dlq", "versions");
    static final List<String> SLA_FIELDS = List.of("freshness", "quality");
    static final List<String> DLQ_FIELDS = List.of("topic");
    static final List<String> VERSION_FIELDS = List.of("version", "schema", "ruleSet");
    static final List<String> SCHEMA_FIELDS = List.of("type", "file", "definition", "class", "message");
    static final List<String> RULE_SET_FIELDS = List.of("domainRules", "migrationRules");
    static final List<String> RULE_FIELDS = List.of(
            "name", "doc", "kind", "mode", "type", "tags", "params", "expr", "onSuccess", "onFailure", "disabled");

    /** Confluent fields a user may copy over that Kontract does not implement. */
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "encodingRules", "encodingRules (field-level encryption) are not supported by Kontract");

    private static final Pattern PRODUCT = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*){1,2}");
    private static final Pattern RULE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");
    private static final Pattern DURATION = Pattern.compile("([0-9]+)\\s*(ms|s|m|h|d)");
    private static final Pattern PERCENT = Pattern.compile("([0-9]{1,3}(\\.[0-9]+)?)\\s*%");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ContractLoader.class);

    private final String file;
    private final Path directory;
    private final RuleEngine engine;
    private final ClassLoader classLoader;
    private final Problems problems;
    private final boolean stepChecks;
    /** The file's product once read, to name it in the log; the file itself until then. */
    private String productName;

    ContractFileReader(String file, Path directory, RuleEngine engine, ClassLoader classLoader, Problems problems,
            boolean stepChecks) {
        this.file = file;
        this.directory = directory;
        this.engine = engine;
        this.classLoader = classLoader;
        this.problems = problems;
        this.stepChecks = stepChecks;
    }

    /** The contract, or empty when the file has problems (they are in the collector). */
    Optional<DataContract> read(JsonNode root) {
        int before = problems.size();
        if (root == null || !root.isObject()) {
            problem(null, null, "a contract file must be a mapping with product, owner, topics and versions");
            return Optional.empty();
        }
        unknownFields(root, "", null, TOP_FIELDS);
        String product = text(root, "product", "", null, true);
        productName = product != null ? product : file;
        if (product != null && !PRODUCT.matcher(product).matches()) {
            problem(null, "product", "'" + product + "' is not <domain>.<entity>[.<event>] in lower case"
                    + " (e.g. customer.accounts)");
        }
        String domain = text(root, "domain", "", null, false);
        String productDomain = product == null ? null : product.split("\\.", 2)[0];
        if (domain != null && productDomain != null && !domain.equals(productDomain)) {
            problem(null, "domain", "'" + domain + "' is not the domain part of product " + product
                    + " ('" + productDomain + "')");
        }
        String owner = text(root, "owner", "", null, true);
        String description = text(root, "description", "", null, false);
        List<String> topics = strings(root, "topics", "", null, true);
        for (int i = 0; i < topics.size(); i++) {
            validateTopic(topics.get(i), "topics[" + i + "]");
        }
        List<String> tags = strings(root, "tags", "", null, false);
        ServiceLevel sla = serviceLevel(root.get("sla"));
        Optional<String> dlqTopic = dlq(root.get("dlq"));
        if (dlqTopic.isPresent() && topics.contains(dlqTopic.get())) {
            problem(null, "dlq.topic", "'" + dlqTopic.get() + "' is one of the product's topics: its dead letters"
                    + " would be read again");
        }
        if (dlqTopic.isEmpty()) {
            for (int i = 0; i < topics.size(); i++) {
                String derived = topics.get(i) + ".dlq";
                try {
                    Topic.validate(topics.get(i));
                } catch (InvalidTopicException reportedAbove) {
                    continue;
                }
                try {
                    Topic.validate(derived);
                } catch (InvalidTopicException e) {
                    problem(null, "topics[" + i + "]", "its dead-letter topic '" + derived + "' (no dlq.topic is set) is"
                            + " not a valid Kafka topic name: " + e.getMessage());
                }
            }
        }
        List<ContractVersion> versions = versions(root.get("versions"));

        if (problems.size() > before) {
            return Optional.empty();
        }
        DataContract contract = new DataContract(product, domain != null ? domain : productDomain, owner, description,
                topics, tags, sla, dlqTopic, versions, file);
        if (stepChecks) {
            new ContractChecks(file, problems).check(contract, versionFieldPaths(versions)::get);
        }
        return problems.size() > before ? Optional.empty() : Optional.of(contract);
    }

    private Map<dev.kontract.core.Version, String> versionFieldPaths(List<ContractVersion> versions) {
        Map<dev.kontract.core.Version, String> paths = new HashMap<>();
        for (int i = 0; i < versions.size(); i++) {
            paths.put(versions.get(i).version(), "versions[" + i + "]");
        }
        return paths;
    }

    private ServiceLevel serviceLevel(JsonNode sla) {
        if (sla == null || sla.isNull()) {
            return ServiceLevel.NONE;
        }
        if (!sla.isObject()) {
            problem(null, "sla", "must be a mapping with freshness and/or quality");
            return ServiceLevel.NONE;
        }
        unknownFields(sla, "sla", null, SLA_FIELDS);
        Optional<Duration> freshness = Optional.empty();
        String freshnessText = text(sla, "freshness", "sla", null, false);
        if (freshnessText != null) {
            freshness = parseDuration(freshnessText);
            if (freshness.isEmpty()) {
                problem(null, "sla.freshness", "'" + freshnessText
                        + "' is not a positive duration such as 500ms, 5s, 2m, 1h, 1d or PT5S");
            }
        }
        OptionalDouble quality = OptionalDouble.empty();
        String qualityText = text(sla, "quality", "sla", null, false);
        if (qualityText != null) {
            Matcher matcher = PERCENT.matcher(qualityText.trim());
            double percent = matcher.matches() ? Double.parseDouble(matcher.group(1)) : -1;
            if (percent <= 0 || percent > 100) {
                problem(null, "sla.quality", "'" + qualityText + "' is not a percentage in (0%, 100%] such as 99.99%");
            } else {
                quality = OptionalDouble.of(percent / 100.0);
            }
        }
        return new ServiceLevel(freshness, quality);
    }

    static Optional<Duration> parseDuration(String text) {
        String trimmed = text.trim();
        Duration duration = null;
        Matcher matcher = DURATION.matcher(trimmed);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            duration = switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } else if (trimmed.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                duration = Duration.parse(trimmed);
            } catch (DateTimeParseException e) {
                duration = null;
            }
        }
        return duration == null || duration.isZero() || duration.isNegative() ? Optional.empty() : Optional.of(duration);
    }

    private Optional<String> dlq(JsonNode dlq) {
        if (dlq == null || dlq.isNull()) {
            return Optional.empty();
        }
        if (!dlq.isObject()) {
            problem(null, "dlq", "must be a mapping with topic");
            return Optional.empty();
        }
        unknownFields(dlq, "dlq", null, DLQ_FIELDS);
        String topic = text(dlq, "topic", "dlq", null, true);
        if (topic != null) {
            validateTopic(topic, "dlq.topic");
        }
        return Optional.ofNullable(topic);
    }

    private void validateTopic(String topic, String field) {
        try {
            Topic.validate(topic);
        } catch (InvalidTopicException e) {
            problem(null, field, "'" + topic + "' is not a valid Kafka topic name: " + e.getMessage());
        }
    }

    private List<ContractVersion> versions(JsonNode versions) {
        if (versions == null || versions.isNull()) {
            problem(null, "versions", "missing: a contract needs at least one version");
            return List.of();
        }
        if (!versions.isArray() || versions.isEmpty()) {
            problem(null, "versions", "must be a non-empty list of versions");
            return List.of();
        }
        List<Draft> drafts = new ArrayList<>();
        Map<dev.kontract.core.Version, String> seen = new HashMap<>();
        for (int i = 0; i < versions.size(); i++) {
            String path = "versions[" + i + "]";
            JsonNode entry = versions.get(i);
            if (!entry.isObject()) {
                problem(null, path, "must be a mapping with version and schema");
                continue;
            }
            JsonNode versionNode = entry.get("version");
            String label = versionNode != null && versionNode.isValueNode() ? versionNode.asString() : null;
            unknownFields(entry, path, label, VERSION_FIELDS);
            Version version = version(versionNode, path, label);
            if (version != null) {
                String earlier = seen.putIfAbsent(version, path);
                if (earlier != null) {
                    problem(label, path + ".version", "duplicate version " + version + " (also at " + earlier + ")");
                    version = null;
                }
            }
            ContractSchema schema = schema(entry.get("schema"), path + ".schema", label);
            RuleSet ruleSet = ruleSet(entry.get("ruleSet"), path + ".ruleSet", label);
            if (version != null && schema != null && ruleSet != null) {
                drafts.add(new Draft(version, schema, ruleSet, entry.path("ruleSet").has("domainRules")));
            }
        }
        return inheritDomainRules(drafts);
    }

    /** A version as the file states it, before it inherits domain rules. */
    private record Draft(Version version, ContractSchema schema, RuleSet ruleSet, boolean declaresDomainRules) {}

    /**
     * A minor version that declares no {@code domainRules} keeps those of the version before it in the
     * same major, so that a compatible change does not silently drop the product's checks;
     * {@code domainRules: []} drops them. Migration rules are never inherited.
     */
    private static List<ContractVersion> inheritDomainRules(List<Draft> drafts) {
        List<Draft> ordered = drafts.stream().sorted(java.util.Comparator.comparing(Draft::version)).toList();
        Map<Integer, List<Rule>> latestByMajor = new HashMap<>();
        Map<Version, ContractVersion> built = new HashMap<>();
        for (Draft draft : ordered) {
            List<Rule> domainRules = draft.ruleSet().domainRules();
            if (!draft.declaresDomainRules() && latestByMajor.containsKey(draft.version().major())) {
                domainRules = latestByMajor.get(draft.version().major());
            }
            latestByMajor.put(draft.version().major(), domainRules);
            built.put(draft.version(), new ContractVersion(draft.version(), draft.schema(),
                    new RuleSet(domainRules, draft.ruleSet().migrationRules())));
        }
        return drafts.stream().map(draft -> built.get(draft.version())).toList();
    }

    private Version version(JsonNode node, String path, String label) {
        if (node == null || node.isNull()) {
            problem(null, path + ".version", "missing: each version needs version: \"MAJOR.MINOR\"");
            return null;
        }
        if (node.isNumber()) {
            problem(label, path + ".version", "write the version as a quoted string, \"" + node.asString()
                    + "\": YAML reads an unquoted 2.10 as the number 2.1");
            return null;
        }
        try {
            return Version.parse(node.asString());
        } catch (IllegalArgumentException e) {
            problem(label, path + ".version", e.getMessage());
            return null;
        }
    }

    private ContractSchema schema(JsonNode schema, String path, String label) {
        if (schema == null || schema.isNull()) {
            problem(label, path, "missing: each version needs a schema");
            return null;
        }
        if (!schema.isObject()) {
            problem(label, path, "must be a mapping with type and file or definition");
            return null;
        }
        unknownFields(schema, path, label, SCHEMA_FIELDS);
        String typeText = text(schema, "type", path, label, true);
        if (typeText == null) {
            return null;
        }
        SchemaType type = enumValue(SchemaType.class, typeText, path + ".type", label);
        if (type == null) {
            return null;
        }
        String fileName = text(schema, "file", path, label, false);
        JsonNode definition = schema.get("definition");
        String className = text(schema, "class", path, label, false);
        String message = text(schema, "message", path, label, false);
        try {
            if (type == SchemaType.PROTOBUF) {
                return protobufSchema(path, label, fileName, definition, className, message);
            }
            if (className != null || message != null) {
                problem(label, path + (className != null ? ".class" : ".message"),
                        "only PROTOBUF schemas take class or message");
                return null;
            }
            String text = schemaText(path, label, fileName, definition);
            if (text == null) {
                return null;
            }
            String field = path + (fileName != null ? ".file" : ".definition");
            try {
                if (type == SchemaType.AVRO) {
                    return AvroContractSchema.parse(text);
                }
                JsonContractSchema json = JsonContractSchema.parse(text);
                json.notCompiledBecause().ifPresent(reason -> LOG.info("JSON Schema of {} {} is validated by everit"
                        + " alone: {}", productName, label, reason));
                return json;
            } catch (IllegalArgumentException e) {
                problem(label, field, e.getMessage());
                return null;
            }
        } catch (SchemaFileException e) {
            problem(label, path + ".file", e.getMessage());
            return null;
        }
    }

    private ContractSchema protobufSchema(
            String path, String label, String fileName, JsonNode definition, String className, String message) {
        if (definition != null) {
            problem(label, path + ".definition", "PROTOBUF schemas take class (a generated message class) or file "
                    + "(a descriptor set) and message, not an inline definition");
            return null;
        }
        if ((className == null) == (fileName == null)) {
            problem(label, path, "PROTOBUF schemas need exactly one of class (a generated message class) or file "
                    + "(a descriptor set from protoc --include_imports --descriptor_set_out)");
            return null;
        }
        if (className != null) {
            if (message != null) {
                problem(label, path + ".message", "message goes with file (a descriptor set), not with class");
                return null;
            }
            try {
                return ProtobufContractSchema.ofClass(className, classLoader);
            } catch (IllegalArgumentException e) {
                problem(label, path + ".class", e.getMessage());
                return null;
            }
        }
        if (message == null) {
            problem(label, path + ".message", "missing: name the message in the descriptor set (e.g. customer.v1.Account)");
            return null;
        }
        byte[] bytes = readSchemaFile(fileName);
        try {
            return ProtobufContractSchema.ofDescriptorSet(bytes, message);
        } catch (IllegalArgumentException e) {
            problem(label, path + ".file", fileName + ": " + e.getMessage());
            return null;
        }
    }

    private String schemaText(String path, String label, String fileName, JsonNode definition) {
        if ((fileName == null) == (definition == null)) {
            problem(label, path, "needs exactly one of file (a path relative to the contract file) or definition "
                    + "(the schema inline)");
            return null;
        }
        if (fileName != null) {
            return new String(readSchemaFile(fileName), StandardCharsets.UTF_8);
        }
        if (definition.isString()) {
            return definition.asString();
        }
        if (definition.isObject() || definition.isArray()) {
            return JSON.writeValueAsString(definition);
        }
        problem(label, path + ".definition", "must be the schema as a string or a mapping");
        return null;
    }

    private byte[] readSchemaFile(String fileName) {
        Path resolved = directory.resolve(fileName).normalize();
        try {
            return Files.readAllBytes(resolved);
        } catch (NoSuchFileException e) {
            throw new SchemaFileException("schema file " + fileName + " not found (looked for " + resolved.toUri() + ")");
        } catch (IOException e) {
            throw new SchemaFileException("cannot read schema file " + fileName + ": " + e);
        }
    }

    private RuleSet ruleSet(JsonNode ruleSet, String path, String label) {
        if (ruleSet == null || ruleSet.isNull()) {
            return RuleSet.EMPTY;
        }
        if (!ruleSet.isObject()) {
            problem(label, path, "must be a mapping with domainRules and/or migrationRules");
            return null;
        }
        unknownFields(ruleSet, path, label, RULE_SET_FIELDS);
        int before = problems.size();
        List<Rule> domainRules = rules(ruleSet.get("domainRules"), path + ".domainRules", label, false);
        List<Rule> migrationRules = rules(ruleSet.get("migrationRules"), path + ".migrationRules", label, true);
        Map<String, String> names = new HashMap<>();
        checkUniqueNames(ruleSet.get("domainRules"), path + ".domainRules", label, names);
        checkUniqueNames(ruleSet.get("migrationRules"), path + ".migrationRules", label, names);
        return problems.size() > before ? null : new RuleSet(domainRules, migrationRules);
    }

    private void checkUniqueNames(JsonNode rules, String path, String label, Map<String, String> names) {
        if (rules == null || !rules.isArray()) {
            return;
        }
        for (int i = 0; i < rules.size(); i++) {
            JsonNode name = rules.get(i).path("name");
            if (!name.isValueNode() || name.isNull()) {
                continue;
            }
            String here = path + "[" + i + "]";
            String earlier = names.putIfAbsent(name.asString().trim(), here);
            if (earlier != null) {
                problem(label, here + ".name", "duplicate rule name " + name.asString().trim() + " (also at " + earlier + ")");
            }
        }
    }

    private List<Rule> rules(JsonNode rules, String path, String label, boolean migration) {
        if (rules == null || rules.isNull()) {
            return List.of();
        }
        if (!rules.isArray()) {
            problem(label, path, "must be a list of rules");
            return List.of();
        }
        List<Rule> result = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rule(rules.get(i), path + "[" + i + "]", label, migration);
            if (rule != null) {
                result.add(rule);
            }
        }
        return result;
    }

    private Rule rule(JsonNode node, String path, String label, boolean migration) {
        if (!node.isObject()) {
            problem(label, path, "must be a mapping with name, kind, mode, type and expr");
            return null;
        }
        int before = problems.size();
        unknownFields(node, path, label, RULE_FIELDS);
        String name = text(node, "name", path, label, true);
        if (name != null && !RULE_NAME.matcher(name).matches()) {
            problem(label, path + ".name", "'" + name + "' is not a rule name: start with a letter, then letters, digits,"
                    + " '_', '-' or '.'");
        }
        String doc = text(node, "doc", path, label, false);
        RuleKind kind = enumValue(RuleKind.class, text(node, "kind", path, label, true), path + ".kind", label);
        RuleMode mode = enumValue(RuleMode.class, text(node, "mode", path, label, true), path + ".mode", label);
        if (mode != null && mode.isMigration() != migration) {
            problem(label, path + ".mode", migration
                    ? "migration rules run on UPGRADE, DOWNGRADE or UPDOWN, not " + mode
                    : "domain rules run on WRITE, READ or WRITEREAD, not " + mode + " (that is a migration rule)");
        }
        String type = text(node, "type", path, label, true);
        if (type != null && !engine.ruleTypes().contains(type.toUpperCase(Locale.ROOT))) {
            problem(label, path + ".type", "unknown rule type '" + type + "' (known: "
                    + String.join(", ", engine.ruleTypes()) + ")");
            type = null;
        }
        List<String> tags = strings(node, "tags", path, label, false);
        Map<String, String> params = params(node.get("params"), path + ".params", label);
        String expr = text(node, "expr", path, label, true);
        String onSuccess = action(node, "onSuccess", path, label, mode);
        String onFailure = action(node, "onFailure", path, label, mode);
        boolean disabled = false;
        JsonNode disabledNode = node.get("disabled");
        if (disabledNode != null && !disabledNode.isNull()) {
            if (disabledNode.isBoolean()) {
                disabled = disabledNode.booleanValue();
            } else {
                problem(label, path + ".disabled", "must be true or false, not '" + disabledNode.asString() + "'");
            }
        }
        if (problems.size() > before || name == null || kind == null || mode == null || type == null || expr == null) {
            return null;
        }
        Rule rule = new Rule(name, doc, kind, mode, type.toUpperCase(Locale.ROOT), new LinkedHashSet<>(tags), params,
                expr, onSuccess, onFailure, disabled);
        try {
            var compiled = engine.compile(rule);
            compiled.interpretedBecause().ifPresent(construct -> LOG.info("rule {} of {} {} runs interpreted: {} is not"
                    + " compiled", rule.name(), productName, label, construct));
        } catch (ContractException e) {
            problem(label, path + ".expr", "rule " + name + ": " + stripRulePrefix(e.getMessage(), name));
            return null;
        }
        return rule;
    }

    private static String stripRulePrefix(String message, String name) {
        String prefix = "rule " + name + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private String action(JsonNode node, String key, String path, String label, RuleMode mode) {
        String spec = text(node, key, path, label, false);
        if (spec == null) {
            return null;
        }
        List<String> names = Rule.actionNames(spec);
        String field = path + "." + key;
        if (names.size() > 2) {
            problem(label, field, "'" + spec + "' names more than two actions");
            return null;
        }
        if (names.size() == 2 && mode != null && mode != RuleMode.WRITEREAD && mode != RuleMode.UPDOWN) {
            problem(label, field, "'" + spec + "' is a pair of actions, which only WRITEREAD and UPDOWN rules take");
            return null;
        }
        boolean ok = true;
        for (String name : names) {
            if (engine.action(name).isEmpty()) {
                problem(label, field, "unknown action '" + name + "' (known: " + String.join(", ", engine.actionNames())
                        + ")");
                ok = false;
            }
        }
        return ok ? names.stream().map(n -> n.toUpperCase(Locale.ROOT)).collect(Collectors.joining(",")) : null;
    }

    private Map<String, String> params(JsonNode params, String path, String label) {
        if (params == null || params.isNull()) {
            return Map.of();
        }
        if (!params.isObject()) {
            problem(label, path, "must be a mapping of names to values");
            return Map.of();
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : params.properties()) {
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                problem(label, path + "." + entry.getKey(), "must be a single value");
            } else {
                result.put(entry.getKey(), entry.getValue().asString());
            }
        }
        return result;
    }

    private <E extends Enum<E>> E enumValue(Class<E> type, String text, String field, String label) {
        if (text == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problem(label, field, "'" + text + "' is not one of " + Arrays.stream(type.getEnumConstants())
                    .map(Enum::name).collect(Collectors.joining(", ")));
            return null;
        }
    }

    private String text(JsonNode parent, String key, String path, String label, boolean required) {
        JsonNode node = parent.get(key);
        String field = path.isEmpty() ? key : path + "." + key;
        if (node == null || node.isNull()) {
            if (required) {
                problem(label, field, "missing");
            }
            return null;
        }
        if (!node.isValueNode()) {
            problem(label, field, "must be a single value, not a " + node.getNodeType().name().toLowerCase(Locale.ROOT));
            return null;
        }
        String value = node.asString().trim();
        if (value.isEmpty()) {
            problem(label, field, "must not be empty");
            return null;
        }
        return value;
    }

    private List<String> strings(JsonNode parent, String key, String path, String label, boolean required) {
        JsonNode node = parent.get(key);
        String field = path.isEmpty() ? key : path + "." + key;
        if (node == null || node.isNull()) {
            if (required) {
                problem(label, field, "missing");
            }
            return List.of();
        }
        if (!node.isArray() || (required && node.isEmpty())) {
            problem(label, field, required ? "must be a non-empty list" : "must be a list");
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isValueNode() || item.isNull() || item.asString().isBlank()) {
                problem(label, field + "[" + i + "]", "must be a non-empty single value");
            } else {
                values.add(item.asString().trim());
            }
        }
        return values;
    }

    private void unknownFields(JsonNode node, String path, String label, List<String> known) {
        for (String name : node.propertyNames()) {
            if (!known.contains(name)) {
                String field = path.isEmpty() ? name : path + "." + name;
                if (UNSUPPORTED.containsKey(name)) {
                    problem(label, field, UNSUPPORTED.get(name));
                    continue;
                }
                String suggestion = closest(name, known).map(s -> "; did you mean '" + s + "'?").orElse("");
                problem(label, field, "unknown field '" + name + "' (expected one of " + String.join(", ", known) + ")"
                        + suggestion);
            }
        }
    }

    private static Optional<String> closest(String name, List<String> candidates) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : candidates) {
            int distance = editDistance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private void problem(String version, String field, String message) {
        problems.add(file, version, field, message);
    }

    /** The schema file a {@code schema.file} names could not be read. */
    private static final class SchemaFileException extends RuntimeException {
        SchemaFileException(String message) {
            super(message);
        }
    }
}
