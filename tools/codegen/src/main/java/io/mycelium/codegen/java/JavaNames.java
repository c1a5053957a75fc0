package io.mycelium.codegen.java;

/** Maps contracts.yaml names to Java identifiers; stateless. */
public final class JavaNames {

    private JavaNames() {
    }

    /**
     * @param fieldName a snake_case (or camelCase) field name
     * @return the camelCase Java name: {@code request_id} becomes {@code requestId}
     */
    public static String camel(final String fieldName) {
        final StringBuilder name = new StringBuilder(fieldName.length());
        boolean upper = false;
        for (int i = 0; i < fieldName.length(); i++) {
            final char c = fieldName.charAt(i);
            if (c == '_') {
                upper = name.length() > 0;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    /**
     * @param text a schema id or file name such as {@code market-data.yaml} or {@code contracts}
     * @return a PascalCase Java identifier, {@code MarketData}, or null when no letter is left
     */
    public static String pascal(final String text) {
        final StringBuilder name = new StringBuilder();
        boolean upper = true;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (Character.isLetterOrDigit(c) && c < 0x80) {
                if (name.length() == 0 && Character.isDigit(c)) {
                    continue;
                }
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            } else {
                upper = true;
            }
        }
        return name.length() == 0 ? null : name.toString();
    }
}
