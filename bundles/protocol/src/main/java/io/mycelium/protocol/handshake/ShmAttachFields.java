package io.mycelium.protocol.handshake;

import static io.mycelium.protocol.handshake.HandshakeDescriptor.*;

/**
 * Field rules of the shared-memory attach messages, shared by their records and the codec so that construction and
 * decoding check the same limits. Stateless and thread-safe.
 */
final class ShmAttachFields {

    private ShmAttachFields() {
    }

    static void checkCapacity(final String field, final long capacity) {
        if (capacity < MIN_SHM_CAPACITY || capacity > MAX_SHM_CAPACITY || Long.bitCount(capacity) != 1) {
            throw HandshakeException.malformed(field, "SHM_ATTACH " + field + " is " + capacity
                    + " but must be a power of two in " + MIN_SHM_CAPACITY + ".." + MAX_SHM_CAPACITY);
        }
    }

    static byte[] checkPath(final String path) {
        if (path == null) {
            throw HandshakeException.malformed("path", "SHM_ATTACH path is missing (null)");
        }
        final byte[] bytes = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_SHM_PATH_LENGTH) {
            throw HandshakeException.malformed("path_length", "SHM_ATTACH path_length is " + bytes.length
                    + " but must be 1.." + MAX_SHM_PATH_LENGTH);
        }
        checkPathText(path);
        return bytes;
    }

    static void checkPathText(final String path) {
        if (path.charAt(0) != '/') {
            throw HandshakeException.malformed("path", "SHM_ATTACH path '" + printable(path) + "' is not absolute");
        }
        for (int i = 0; i < path.length(); i++) {
            if (Character.isISOControl(path.charAt(i)) || Character.isSurrogate(path.charAt(i))
                    && !Character.isSurrogatePair(path.charAt(i), i + 1 < path.length() ? path.charAt(i + 1) : 0)
                    && !(i > 0 && Character.isSurrogatePair(path.charAt(i - 1), path.charAt(i)))) {
                throw HandshakeException.malformed("path", String.format("SHM_ATTACH path holds character U+%04X at"
                        + " character %d; a segment path is printable UTF-8 (a NUL or line feed would cut or forge"
                        + " it)", (int) path.charAt(i), i));
            }
        }
    }

    static void checkStatus(final int status) {
        if (status < 0 || status > ShmAttached.MAX_STATUS) {
            throw HandshakeException.malformed("status", "SHM_ATTACHED status is " + status + " but version 1"
                    + " defines 0 (OK), 1 (BAD_SEGMENT) and 2 (NOT_PERMITTED)");
        }
    }

    private static String printable(final String text) {
        final String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
