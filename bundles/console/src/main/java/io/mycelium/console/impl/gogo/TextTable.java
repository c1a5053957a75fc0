package io.mycelium.console.impl.gogo;

import java.util.ArrayList;
import java.util.List;

/**
 * A text table with aligned columns: numbers right-aligned, text left-aligned, two spaces between columns, no
 * trailing spaces. An empty table prints its header and {@code (none)}. Not thread-safe: build, then print.
 */
final class TextTable {

    private static final String GAP = "  ";

    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] numeric;

    /** @param headers the column headers */
    TextTable(final String... headers) {
        this.headers = headers.clone();
        this.numeric = new boolean[headers.length];
    }

    /**
     * Adds a row; a {@link Number} cell makes its column right-aligned.
     *
     * @param cells one per column
     * @return this table
     * @throws IllegalArgumentException if the count differs from the headers'
     */
    TextTable row(final Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.length + " columns");
        }
        final String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] instanceof Number) {
                numeric[i] = true;
            }
            row[i] = String.valueOf(cells[i]).replace('\n', ' ');
        }
        rows.add(row);
        return this;
    }

    @Override
    public String toString() {
        final int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = headers[i].length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        final StringBuilder out = new StringBuilder();
        line(out, headers, widths);
        for (String[] row : rows) {
            line(out, row, widths);
        }
        if (rows.isEmpty()) {
            out.append("(none)\n");
        }
        return out.toString();
    }

    private void line(final StringBuilder out, final String[] cells, final int[] widths) {
        final StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append(GAP);
            }
            final String pad = " ".repeat(widths[i] - cells[i].length());
            if (numeric[i]) {
                line.append(pad).append(cells[i]);
            } else {
                line.append(cells[i]).append(pad);
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
