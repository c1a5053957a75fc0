package io.mycelium.codegen.python;

/** Escapes text for Python string literals and docstrings; stateless. */
final class PythonText {

    private PythonText() {
    }

    static String literal(final String value) {
        final StringBuilder text = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        text.append(String.format("\\x%02x", (int) c));
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        return text.append('"').toString();
    }

    static String doc(final String value) {
        return value.strip().replace("\\", "\\\\").replace("\"\"\"", "\\\"\\\"\\\"").replaceAll("\\s*\n\\s*", " ");
    }
}
