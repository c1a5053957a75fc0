package io.mycelium.protocol.handshake;

/**
 * A server's v1 ACCEPT: the connection is open, and frames may flow both ways from the next byte on.
 *
 * <p>Immutable; a constructed ACCEPT always encodes.
 *
 * @param version protocol version the server will speak; {@link HandshakeDescriptor#VERSION_1}
 * @param flags   reserved u16 flags; send 0
 * @param name    the server's node name, 1..255 bytes of UTF-8
 */
public record Accept(int version, int flags, String name) implements HandshakeReply {

    /**
     * @throws HandshakeException naming the field when a value is out of range or the name is empty, too long or
     *                            not encodable as UTF-8
     */
    public Accept {
        HandshakeFields.checkU16("version", version, 1);
        HandshakeFields.checkU16("flags", flags, 0);
        HandshakeFields.checkName("name", name);
    }

    /** Returns a version-1 ACCEPT with no flags. */
    public static Accept of(final String serverName) {
        return new Accept(HandshakeDescriptor.VERSION_1, 0, serverName);
    }
}
