package io.mycelium.codegen;

/**
 * Accumulates generated source text with indentation and {@code \n} line ends (so output is byte-identical on
 * every platform). Not thread-safe.
 */
public final class CodeWriter {

    private final StringBuilder text = new StringBuilder(4096);
    private final String unit;
    private int depth;

    /** @param unit one level of indentation, e.g. four spaces */
    public CodeWriter(final String unit) {
        this.unit = unit;
    }

    /** Appends one line at the current indentation; an empty argument gives an empty line. */
    public CodeWriter line(final String line) {
        if (!line.isEmpty()) {
            text.append(unit.repeat(depth)).append(line);
        }
        text.append('\n');
        return this;
    }

    /** Appends a line, then indents following lines one level. */
    public CodeWriter open(final String line) {
        line(line);
        depth++;
        return this;
    }

    /** Outdents one level, then appends a line. */
    public CodeWriter close(final String line) {
        depth--;
        return line(line);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
