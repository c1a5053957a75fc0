package io.mycelium.codegen.python;

import io.mycelium.codegen.CodeWriter;
import io.mycelium.codegen.SourceText;

/** Escapes text for Python string literals and docstrings; stateless. */
final class PythonText {

    /** Other control characters and DEL as {@code \xXX}; Python source is UTF-8, so the rest stays as it is. */
    private static final SourceText.CharEscape HEX_ESCAPE =
        c -> c < 0x20 || c == 0x7F ? String.format("\\x%02x", (int) c) : null;

    private PythonText() {
    }

    /**
     * Starts a generated Python module with the notice.
     *
     * @param source the contracts file, for the notice
     * @return the writer, at the module docstring
     */
    static CodeWriter module(final String source) {
        final CodeWriter out = new CodeWriter("    ");
        out.line("# " + SourceText.generatedFrom(source));
        return out;
    }

    static String literal(final String value) {
        return SourceText.quoted(value, HEX_ESCAPE);
    }

    static String doc(final String value) {
        return SourceText.oneLine(value).replace("\\", "\\\\").replace("\"\"\"", "\\\"\\\"\\\"");
    }
}
