package io.mycelium.codegen.parse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import io.mycelium.codegen.java.JavaNames;
import io.mycelium.codegen.layout.LayoutPlanner;
import io.mycelium.codegen.model.Contracts;
import io.mycelium.codegen.model.FieldDef;
import io.mycelium.codegen.model.FieldType;
import io.mycelium.codegen.model.MessageDef;
import io.mycelium.codegen.model.Validation;

/**
 * Reads a contracts.yaml (format of WIRE.md §1) into validated {@link Contracts}; every error names file:line and
 * the message/field. Unknown keys are ignored. Not thread-safe: use one instance per file.
 */
public final class ContractsParser {

    private final YamlNodes yaml;
    private final List<String> warnings = new ArrayList<>();
    private TypeIdRanges ranges = TypeIdRanges.DEFAULTS;

    private ContractsParser(final String file) {
        this.yaml = new YamlNodes(file);
    }

    /**
     * Parses a contracts file.
     *
     * @param path the file
     * @return the contracts
     * @throws ContractsException if the file cannot be read or is invalid
     */
    public static Contracts parse(final Path path) {
        final String file = path.getFileName().toString();
        final byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (final IOException e) {
            throw new ContractsException(file, 1, "cannot read " + path.toAbsolutePath() + ": " + e, e);
        }
        return parse(file, bytes);
    }

    /**
     * Parses contracts from bytes.
     *
     * @param file  the file name used in messages and derived names
     * @param bytes the exact file content (the digest is taken over these bytes)
     * @return the contracts
     * @throws ContractsException if the content is invalid
     */
    public static Contracts parse(final String file, final byte[] bytes) {
        return new ContractsParser(file).read(bytes);
    }

    private Contracts read(final byte[] bytes) {
        final Node root = compose(decode(bytes));
        final Map<String, NodeTuple> top = yaml.mapping(root, "the top level");
        String schemaId = null;
        int version = 1;
        int minCompatible = -1;
        final Node schema = YamlNodes.optional(top, "schema");
        if (schema != null) {
            final Map<String, NodeTuple> map = yaml.mapping(schema, "schema");
            schemaId = yaml.text(yaml.require(map, schema, "id", "schema"), "schema.id").trim();
            version = (int) yaml.integer(yaml.require(map, schema, "version", "schema"), 0, 0xFFFF,
                "schema.version");
            final Node min = YamlNodes.optional(map, "min_compatible");
            if (min != null) {
                minCompatible = (int) yaml.integer(min, 0, 0xFFFF, "schema.min_compatible");
            }
        }
        final Node tagRanges = YamlNodes.optional(top, "tag_ranges");
        if (tagRanges != null) {
            ranges = TypeIdRanges.parse(yaml, tagRanges);
        }
        final Node messagesNode = yaml.require(top, root, "messages", "the top level");
        final Map<String, NodeTuple> messages = yaml.mapping(messagesNode, "messages");
        final List<MessageDef> defs = new ArrayList<>();
        final Map<Integer, MessageDef> byId = new HashMap<>();
        for (final Map.Entry<String, NodeTuple> entry : messages.entrySet()) {
            final MessageDef def = message(entry.getKey(), entry.getValue());
            final MessageDef clash = byId.putIfAbsent(def.typeId(), def);
            if (clash != null) {
                throw new ContractsException(yaml.file(), def.line(), "message " + def.name() + ": duplicate type id "
                    + def.typeId() + " (already used by " + clash.name() + " at line " + clash.line() + ")");
            }
            defs.add(def);
        }
        defs.sort(Comparator.comparingInt(MessageDef::typeId));
        return new Contracts(yaml.file(), schemaId, version, minCompatible < 0 ? version : minCompatible,
            sha256(bytes), List.copyOf(defs), List.copyOf(warnings));
    }

    private String decode(final byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (final CharacterCodingException e) {
            throw new ContractsException(yaml.file(), 1, "bad YAML: the file is not valid UTF-8", e);
        }
    }

    private Node compose(final String text) {
        final LoadSettings settings = LoadSettings.builder().setLabel(yaml.file()).build();
        try {
            final Composer composer = new Composer(settings,
                new ParserImpl(settings, new StreamReader(settings, text)));
            final Optional<Node> root = composer.getSingleNode();
            return root.orElseThrow(() -> new ContractsException(yaml.file(), 1,
                "bad YAML: the file is empty; it needs at least a 'messages' mapping"));
        } catch (final MarkedYamlEngineException e) {
            final int line = e.getProblemMark().map(mark -> mark.getLine() + 1).orElse(1);
            throw new ContractsException(yaml.file(), line, "bad YAML: " + e.getProblem(), e);
        } catch (final YamlEngineException e) {
            throw new ContractsException(yaml.file(), 1, "bad YAML: " + e.getMessage(), e);
        }
    }

    private MessageDef message(final String name, final NodeTuple tuple) {
        final Node keyNode = tuple.getKeyNode();
        final int line = YamlNodes.line(keyNode);
        final String nameProblem = NameRules.messageProblem(name);
        if (nameProblem != null) {
            throw yaml.error(keyNode, nameProblem);
        }
        final String what = "message " + name;
        final Node node = tuple.getValueNode();
        final Map<String, NodeTuple> map = yaml.mapping(node, what);
        final Node idNode = yaml.require(map, keyNode, "tlv_type", what);
        final int typeId = (int) yaml.integer(idNode, 1, 0xFFFF, what + ": tlv_type");
        ranges.check(typeId, what, YamlNodes.line(idNode), yaml, warnings);
        final String domain = yaml.text(yaml.require(map, keyNode, "domain", what), what + ": domain").trim();
        if (domain.isEmpty()) {
            throw yaml.error(map.get("domain").getValueNode(), what + ": domain must not be empty");
        }
        final String description = yaml.text(yaml.require(map, keyNode, "description", what), what
            + ": description");
        final Node fieldsNode = yaml.require(map, keyNode, "fields", what);
        final Map<String, NodeTuple> fields = yaml.mapping(fieldsNode, what + ": fields");
        final List<FieldDef> defs = new ArrayList<>();
        final Map<String, String> javaNames = new HashMap<>();
        for (final Map.Entry<String, NodeTuple> entry : fields.entrySet()) {
            final FieldDef field = field(name, entry.getKey(), entry.getValue());
            final String clash = javaNames.putIfAbsent(JavaNames.camel(field.name()), field.name());
            if (clash != null) {
                throw yaml.error(entry.getValue().getKeyNode(), name + "." + field.name() + ": same Java name '"
                    + JavaNames.camel(field.name()) + "' as field " + clash + "; rename one of them");
            }
            defs.add(field);
        }
        return LayoutPlanner.place(name, typeId, domain, LayoutPlanner.topic(domain), description.trim(), line, defs);
    }

    private FieldDef field(final String message, final String name, final NodeTuple tuple) {
        final Node keyNode = tuple.getKeyNode();
        final String where = message + "." + name;
        final String nameProblem = NameRules.fieldProblem(name);
        if (nameProblem != null) {
            throw yaml.error(keyNode, where + ": " + nameProblem);
        }
        final Map<String, NodeTuple> map = yaml.mapping(tuple.getValueNode(), "field " + where);
        final Node typeNode = yaml.require(map, keyNode, "type", "field " + where);
        final String typeText = yaml.text(typeNode, where + ": type");
        final String description = yaml.text(yaml.require(map, keyNode, "description", "field " + where),
            where + ": description").trim();
        final Node optionalNode = YamlNodes.optional(map, "optional");
        final boolean optional = optionalNode != null && yaml.bool(optionalNode, where + ": optional");
        final Node validationNode = YamlNodes.optional(map, "validation");
        final Validation validation = validationNode == null ? Validation.NONE : validation(validationNode, where);
        final FieldType type = FieldTypeParser.parse(typeText, validation.maxLength(),
            problem -> yaml.error(typeNode, where + ": " + problem));
        checkRules(type, validation, where, validationNode);
        return new FieldDef(name, description, type, validation, optional, YamlNodes.line(keyNode), 0);
    }

    private Validation validation(final Node node, final String where) {
        final List<NodeTuple> rules = new ArrayList<>();
        if (node instanceof SequenceNode sequence) {
            for (final Node item : sequence.getValue()) {
                if (item instanceof ScalarNode scalar) {
                    throw yaml.error(item, where + ": bad validation rule '" + scalar.getValue()
                        + "': write rules as '- not_empty: true', '- min_length: N' or '- max_length: N'");
                }
                rules.addAll(yaml.mapping(item, where + ": validation rule").values());
            }
        } else {
            rules.addAll(yaml.mapping(node, where + ": validation").values());
        }
        boolean notEmpty = false;
        int minLength = -1;
        int maxLength = -1;
        for (final NodeTuple rule : rules) {
            final String key = ((ScalarNode) rule.getKeyNode()).getValue();
            final Node value = rule.getValueNode();
            switch (key) {
                case "not_empty" -> notEmpty = yaml.bool(value, where + ": bad validation rule not_empty");
                case "min_length" -> minLength = (int) yaml.integer(value, 0, FieldTypeParser.MAX_CAPACITY,
                    where + ": bad validation rule min_length");
                case "max_length" -> {
                    final long max = yaml.integer(value, Long.MIN_VALUE, Long.MAX_VALUE,
                        where + ": bad validation rule max_length");
                    if (max <= 0 || max > FieldTypeParser.MAX_CAPACITY) {
                        throw yaml.error(value, where + ": capacity must be > 0: max_length " + max + " (allowed 1.."
                            + FieldTypeParser.MAX_CAPACITY + ")");
                    }
                    if (maxLength < 0) {
                        maxLength = (int) max;
                    }
                }
                default -> {
                    // Other rules (min, max, known_chain, ...) are documentation in the original; ignored there too.
                }
            }
        }
        return new Validation(notEmpty, minLength, maxLength);
    }

    private void checkRules(final FieldType type, final Validation validation, final String where,
                            final Node validationNode) {
        if (!validation.any()) {
            return;
        }
        if (!type.counted()) {
            throw yaml.error(validationNode, where + ": bad validation rule: not_empty/min_length/max_length apply only"
                + " to String and Vec fields, not " + type.canonical());
        }
        if (validation.minLength() > type.capacity()) {
            throw yaml.error(validationNode, where + ": bad validation rule: min_length " + validation.minLength()
                + " exceeds the capacity " + type.capacity());
        }
    }

    private static byte[] sha256(final byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
