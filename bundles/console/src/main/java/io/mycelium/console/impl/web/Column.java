package io.mycelium.console.impl.web;

import java.util.Objects;

/**
 * One column of a {@link Table}: a stable key (the JSON field, the cells' {@code data-col}), the header a reader
 * sees, and how its cells are shown and sorted.
 *
 * @param key    the stable key, {@code [a-z0-9_]+}
 * @param header the header text
 * @param kind   how the column's cells are shown and sorted
 */
record Column(String key, String header, Kind kind) {

    /** How a column's cells are shown and sorted. */
    enum Kind {
        /** Free text, sorted as text. */
        TEXT,
        /** A number (count or rate), right-aligned, sorted by value. */
        NUMBER,
        /** Preformatted multi-line text such as a traceback. */
        PRE;

        /** @return the name the page's script reads ({@code text}, {@code number}, {@code pre}) */
        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    Column {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(kind, "kind");
        if (!key.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("column key must be [a-z0-9_]+: " + key);
        }
    }

    /** @param key the key @param header the header @return a text column */
    static Column text(final String key, final String header) {
        return new Column(key, header, Kind.TEXT);
    }

    /** @param key the key @param header the header @return a numeric column */
    static Column number(final String key, final String header) {
        return new Column(key, header, Kind.NUMBER);
    }

    /** @param key the key @param header the header @return a preformatted column */
    static Column pre(final String key, final String header) {
        return new Column(key, header, Kind.PRE);
    }
}
