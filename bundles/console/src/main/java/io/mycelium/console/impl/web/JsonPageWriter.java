package io.mycelium.console.impl.web;

import java.util.List;

/**
 * Writes a {@link Page} as the JSON the page's script refreshes from:
 * <pre>{"node":…,"taken":…,"sections":[{"id":…,"title":…,"tables":[{"id":…,"caption":…,"empty":…,
 *   "columns":[{"key":…,"header":…,"kind":"text|number|pre"}],"rows":[["cell",…],…]}]}]}</pre>
 * A handful of arrays of strings: written directly rather than through a JSON library the bundle would have to embed.
 * Stateless.
 */
final class JsonPageWriter {

    private JsonPageWriter() {
    }

    /**
     * @param page the page
     * @return its JSON text
     */
    static String write(final Page page) {
        final StringBuilder out = new StringBuilder(4096);
        out.append("{\"node\":");
        Escape.json(page.node(), out);
        out.append(",\"taken\":");
        Escape.json(page.taken(), out);
        out.append(",\"sections\":[");
        separated(page.sections(), out, section -> {
            out.append("{\"id\":");
            Escape.json(section.id(), out);
            out.append(",\"title\":");
            Escape.json(section.title(), out);
            out.append(",\"tables\":[");
            separated(section.tables(), out, table -> table(table, out));
            out.append("]}");
        });
        return out.append("]}").toString();
    }

    private static void table(final Table table, final StringBuilder out) {
        out.append("{\"id\":");
        Escape.json(table.id(), out);
        out.append(",\"caption\":");
        Escape.json(table.caption(), out);
        out.append(",\"empty\":");
        Escape.json(table.empty(), out);
        out.append(",\"columns\":[");
        separated(table.columns(), out, column -> {
            out.append("{\"key\":");
            Escape.json(column.key(), out);
            out.append(",\"header\":");
            Escape.json(column.header(), out);
            out.append(",\"kind\":");
            Escape.json(column.kind().wireName(), out);
            out.append('}');
        });
        out.append("],\"rows\":[");
        separated(table.rows(), out, row -> {
            out.append('[');
            separated(row, out, cell -> Escape.json(cell, out));
            out.append(']');
        });
        out.append("]}");
    }

    private static <T> void separated(final List<T> items, final StringBuilder out,
                                      final java.util.function.Consumer<T> each) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            each.accept(items.get(i));
        }
    }
}
