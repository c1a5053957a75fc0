package io.mycelium.codegen.parse;

import java.util.List;
import java.util.Map;

import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/**
 * The {@code tag_ranges} of a contracts file: ids in {@code core} are an error (reserved for control frames), ids
 * in {@code experimental} or outside {@code app} are warnings (original rules).
 *
 * @param core         reserved range, default 1-999
 * @param app          application range or null
 * @param experimental experimental range or null
 */
record TypeIdRanges(int[] core, int[] app, int[] experimental) {

    static final TypeIdRanges DEFAULTS = new TypeIdRanges(new int[] {1, 999}, null, null);

    static TypeIdRanges parse(final YamlNodes yaml, final Node node) {
        final Map<String, NodeTuple> map = yaml.mapping(node, "tag_ranges");
        final int[] core = range(yaml, map, "core");
        return new TypeIdRanges(core == null ? DEFAULTS.core : core, range(yaml, map, "app"),
            range(yaml, map, "experimental"));
    }

    private static int[] range(final YamlNodes yaml, final Map<String, NodeTuple> map, final String key) {
        final Node node = YamlNodes.optional(map, key);
        if (node == null) {
            return null;
        }
        final String text = yaml.text(node, "tag_ranges." + key).trim();
        final String[] parts = text.split("-");
        try {
            if (parts.length == 2) {
                final int start = Integer.parseInt(parts[0].trim());
                final int end = Integer.parseInt(parts[1].trim());
                if (start >= 0 && start <= end && end <= 0xFFFF) {
                    return new int[] {start, end};
                }
            }
        } catch (final NumberFormatException e) {
            // reported below with the expected form
        }
        throw yaml.error(node, "tag_ranges." + key + " must be \"start-end\" with 0 <= start <= end <= 65535, found '"
            + text + "'");
    }

    void check(final int typeId, final String what, final int line, final YamlNodes yaml, final List<String> warnings) {
        if (inside(core, typeId)) {
            throw new ContractsException(yaml.file(), line, what + ": type id " + typeId + " is in the core range "
                + core[0] + "-" + core[1] + " reserved for framework control frames; use an id from the app range"
                + (app == null ? "" : " " + app[0] + "-" + app[1]));
        }
        if (inside(experimental, typeId)) {
            warnings.add(yaml.file() + ":" + line + ": " + what + ": type id " + typeId
                + " is in the experimental range");
        } else if (app != null && experimental != null && !inside(app, typeId)) {
            warnings.add(yaml.file() + ":" + line + ": " + what + ": type id " + typeId + " is outside the app range "
                + app[0] + "-" + app[1]);
        }
    }

    private static boolean inside(final int[] range, final int value) {
        return range != null && value >= range[0] && value <= range[1];
    }
}
