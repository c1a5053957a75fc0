package io.mycelium.console.impl.web;

import java.util.List;
import java.util.Objects;

/**
 * One table of the page, already formatted: every cell is the text a reader sees (numbers formatted by
 * {@link Cells}), so the server-rendered HTML and the JSON the script refreshes from show exactly the same.
 *
 * @param id      the element id, unique on the page, {@code [a-z0-9-]+}
 * @param caption what the table lists
 * @param columns the columns
 * @param rows    the rows, each with one cell per column
 * @param empty   what to show when there are no rows
 */
record Table(String id, String caption, List<Column> columns, List<List<String>> rows, String empty) {

    Table {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(caption, "caption");
        Objects.requireNonNull(empty, "empty");
        if (!id.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("table id must be [a-z0-9-]+: " + id);
        }
        columns = List.copyOf(columns);
        rows = rows.stream().map(row -> List.copyOf(row.stream().map(cell -> cell == null ? "" : cell).toList()))
                .toList();
        for (final List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("table " + id + ": a row has " + row.size() + " cells for "
                        + columns.size() + " columns");
            }
        }
    }

    /**
     * A two-column table of named values (the overview, the interpreter).
     *
     * @param id      the element id
     * @param caption what the table shows
     * @param fields  name and value pairs, in order
     * @return the table
     */
    static Table fields(final String id, final String caption, final List<List<String>> fields) {
        return new Table(id, caption, List.of(Column.text("field", "Field"), Column.text("value", "Value")), fields,
                "nothing to show");
    }
}
