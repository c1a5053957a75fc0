package io.mycelium.console.impl.web;

import java.util.List;
import java.util.Objects;

/**
 * What the Mycelium page shows at one instant: every tab with its tables, formatted.
 *
 * @param node     the node's name
 * @param taken    when the figures were read, as ISO-8601 text
 * @param sections the tabs, in order
 */
record Page(String node, String taken, List<Section> sections) {

    Page {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(taken, "taken");
        sections = List.copyOf(sections);
    }
}
