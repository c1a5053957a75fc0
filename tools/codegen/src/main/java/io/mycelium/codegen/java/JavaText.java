package io.mycelium.codegen.java;

import io.mycelium.codegen.CodeWriter;
import io.mycelium.codegen.SourceText;

/** Escapes text for Java string literals and Javadoc; stateless. */
final class JavaText {

    /** Other control characters and everything outside printable ASCII as {@code \}{@code uXXXX}. */
    private static final SourceText.CharEscape UNICODE_ESCAPE =
        c -> c < 0x20 || c > 0x7E ? String.format("\\u%04x", (int) c) : null;

    private JavaText() {
    }

    /**
     * Starts a generated Java file: the notice, the package line and a blank line.
     *
     * @param source      the contracts file, for the notice
     * @param javaPackage the file's package
     * @return the writer, at the imports
     */
    static CodeWriter file(final String source, final String javaPackage) {
        final CodeWriter out = new CodeWriter("    ");
        out.line("// " + SourceText.generatedFrom(source));
        out.line("package " + javaPackage + ";");
        out.line("");
        return out;
    }

    static String literal(final String value) {
        return SourceText.quoted(value, UNICODE_ESCAPE);
    }

    static String doc(final String value) {
        return SourceText.oneLine(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("@", "&#64;").replace("*/", "*&#47;");
    }
}
