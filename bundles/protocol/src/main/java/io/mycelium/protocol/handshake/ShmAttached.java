package io.mycelium.protocol.handshake;

/**
 * A client's v1 SHM_ATTACHED (kind 5): whether it mapped the segment SHM_ATTACH named, and if not, why
 * (docs/wire.md §7). A client that refuses sends it with a status other than {@link #STATUS_OK} and closes.
 *
 * <p>Immutable; a constructed SHM_ATTACHED always encodes.
 *
 * @param version protocol version; {@link HandshakeDescriptor#VERSION_1}
 * @param flags   reserved u16 flags; send 0
 * @param status  {@link #STATUS_OK}, {@link #STATUS_BAD_SEGMENT} or {@link #STATUS_NOT_PERMITTED}
 * @param text    why the segment was refused, 0..1024 bytes of UTF-8; empty when OK
 */
public record ShmAttached(int version, int flags, int status, String text) {

    /** The segment is mapped; frames flow through the rings from now on. */
    public static final int STATUS_OK = 0;
    /** The segment is malformed: magic, version, size, digest or capacity. */
    public static final int STATUS_BAD_SEGMENT = 1;
    /** The segment may not or cannot be used: owner, mode, not a regular file, unreadable. */
    public static final int STATUS_NOT_PERMITTED = 2;
    /** The highest status version 1 defines. */
    public static final int MAX_STATUS = STATUS_NOT_PERMITTED;

    /**
     * @throws HandshakeException naming the field when a value is out of range, the text is too long, or an OK
     *                            carries a text
     */
    public ShmAttached {
        HandshakeFields.checkU16("version", version, 1);
        HandshakeFields.checkU16("flags", flags, 0);
        ShmAttachFields.checkStatus(status);
        HandshakeFields.checkText("text", text);
        if (status == STATUS_OK && !text.isEmpty()) {
            throw HandshakeException.malformed("text", "SHM_ATTACHED with status 0 (OK) carries a "
                    + text.length() + "-character text; an OK has no text");
        }
    }

    /** Returns a version-1 OK. */
    public static ShmAttached ok() {
        return new ShmAttached(HandshakeDescriptor.VERSION_1, 0, STATUS_OK, "");
    }

    /**
     * Returns a version-1 refusal; {@code text} is shortened to 1024 UTF-8 bytes when longer.
     *
     * @param status {@link #STATUS_BAD_SEGMENT} or {@link #STATUS_NOT_PERMITTED}
     */
    public static ShmAttached refused(final int status, final String text) {
        if (status == STATUS_OK) {
            throw new IllegalArgumentException("a refusal needs status 1 (BAD_SEGMENT) or 2 (NOT_PERMITTED), not 0");
        }
        return new ShmAttached(HandshakeDescriptor.VERSION_1, 0, status, Reject.fitText(text));
    }

    /** Returns whether the client mapped the segment. */
    public boolean isOk() {
        return status == STATUS_OK;
    }

    /** Returns the status's name: {@code OK}, {@code BAD_SEGMENT} or {@code NOT_PERMITTED}. */
    public String statusName() {
        return status == STATUS_OK ? "OK" : status == STATUS_BAD_SEGMENT ? "BAD_SEGMENT" : "NOT_PERMITTED";
    }
}
