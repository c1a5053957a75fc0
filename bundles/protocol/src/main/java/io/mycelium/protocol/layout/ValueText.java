package io.mycelium.protocol.layout;

/** Renders field values for generated {@code toString()} methods; stateless. */
public final class ValueText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ValueText() {
    }

    /** @return {@code 0x} followed by the lower-case hex of {@code bytes} */
    public static String hex(final byte[] bytes) {
        final StringBuilder text = new StringBuilder(2 + bytes.length * 2).append("0x");
        for (final byte b : bytes) {
            text.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
        return text.toString();
    }

    /** @return {@code [0x.., 0x..]} */
    public static String hex(final byte[][] items) {
        final StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < items.length; i++) {
            text.append(i == 0 ? "" : ", ").append(hex(items[i]));
        }
        return text.append(']').toString();
    }

    /** @return {@code value} in double quotes with quotes and backslashes escaped */
    public static String quote(final String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
