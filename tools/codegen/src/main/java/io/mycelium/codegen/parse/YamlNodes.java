package io.mycelium.codegen.parse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Typed, line-aware access to a composed YAML node tree for one contracts file; every failure is a
 * {@link ContractsException} naming the file and line. Not thread-safe (one per parse).
 */
final class YamlNodes {

    private static final Set<String> NULLS = Set.of("", "~", "null", "Null", "NULL");

    private final String file;

    YamlNodes(final String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    static int line(final Node node) {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(1);
    }

    ContractsException error(final Node node, final String problem) {
        return new ContractsException(file, line(node), problem);
    }

    /**
     * Reads a mapping with scalar keys, rejecting duplicate keys (YAML would silently keep the last one).
     *
     * @param what what the mapping is, for messages (e.g. "message TextMessage")
     */
    Map<String, NodeTuple> mapping(final Node node, final String what) {
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, what + " must be a mapping (key: value lines), found " + describe(node));
        }
        final Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (final NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                throw error(tuple.getKeyNode(), "keys of " + what + " must be plain names");
            }
            final NodeTuple previous = entries.put(key.getValue(), tuple);
            if (previous != null) {
                throw error(key, "duplicate key '" + key.getValue() + "' in " + what + " (first at line "
                    + line(previous.getKeyNode()) + ")");
            }
        }
        return entries;
    }

    Node require(final Map<String, NodeTuple> map, final Node owner, final String key, final String what) {
        final NodeTuple tuple = map.get(key);
        if (tuple == null || isNull(tuple.getValueNode())) {
            throw error(owner, "missing key '" + key + "' in " + what);
        }
        return tuple.getValueNode();
    }

    static Node optional(final Map<String, NodeTuple> map, final String key) {
        final NodeTuple tuple = map.get(key);
        return tuple == null || isNull(tuple.getValueNode()) ? null : tuple.getValueNode();
    }

    static boolean isNull(final Node node) {
        return node instanceof ScalarNode scalar && scalar.getScalarStyle() == ScalarStyle.PLAIN
            && NULLS.contains(scalar.getValue());
    }

    String text(final Node node, final String what) {
        if (!(node instanceof ScalarNode scalar)) {
            throw error(node, what + " must be a single value, found " + describe(node));
        }
        return scalar.getValue();
    }

    long integer(final Node node, final long min, final long max, final String what) {
        final String text = text(node, what).trim().replace("_", "");
        final long value;
        try {
            if (text.startsWith("0x") || text.startsWith("0X")) {
                value = Long.parseLong(text.substring(2), 16);
            } else if (text.startsWith("0o")) {
                value = Long.parseLong(text.substring(2), 8);
            } else {
                value = Long.parseLong(text);
            }
        } catch (final NumberFormatException e) {
            throw new ContractsException(file, line(node), what + " must be an integer, found '" + text + "'", e);
        }
        if (value < min || value > max) {
            throw error(node, what + " must be in " + min + ".." + max + ", found " + value);
        }
        return value;
    }

    boolean bool(final Node node, final String what) {
        final String text = text(node, what).trim();
        return switch (text) {
            case "true", "True", "TRUE" -> true;
            case "false", "False", "FALSE" -> false;
            default -> throw error(node, what + " must be true or false, found '" + text + "'");
        };
    }

    static String describe(final Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }
}
