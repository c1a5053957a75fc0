package io.mycelium.console.impl.web;

/**
 * Escapes text for the two outputs of the page. Every string shown comes from users (service and type names,
 * file paths, tracebacks, peer addresses), so nothing is written unescaped. Stateless.
 */
final class Escape {

    private Escape() {
    }

    /**
     * Escapes text for HTML element content and quoted attribute values. {@code $} is escaped too: the Web
     * Console replaces {@code ${name}} in HTML responses with its own variables (some of them markup), so a user's
     * text must never reach it as {@code ${}}.
     *
     * @param text any text
     * @return the escaped text
     */
    static String html(final String text) {
        final StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '$' -> out.append("&#36;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Writes a JSON string literal. {@code <}, {@code >} and {@code &} are written as escapes too, so the JSON
     * stays inert even if a browser were tricked into reading it as HTML.
     *
     * @param text any text
     * @param out  where to write the quoted literal
     */
    static void json(final String text, final StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
