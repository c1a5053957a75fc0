package io.mycelium.console.impl.web;

import java.util.List;
import java.util.Objects;

/**
 * One tab of the page: a title and its tables.
 *
 * @param id     the tab's id, {@code [a-z0-9-]+} (the element id is {@code mycelium-<id>})
 * @param title  the tab's title
 * @param tables its tables, in order
 */
record Section(String id, String title, List<Table> tables) {

    Section {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        if (!id.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("section id must be [a-z0-9-]+: " + id);
        }
        tables = List.copyOf(tables);
    }
}
