package io.mycelium.protocol.handshake;

import io.mycelium.protocol.digest.SchemaDigest;

import java.util.Objects;

/**
 * A client's v1 HELLO: the protocol version it speaks, reserved flags, its schema digest and its node or client name.
 *
 * <p>Immutable; a constructed HELLO always encodes (the constructor enforces every rule of docs/wire.md §5.3 and §5.6).
 *
 * @param version protocol version, 1..65535 ({@link HandshakeDescriptor#VERSION_1} for this implementation)
 * @param flags   reserved u16 flags; send 0
 * @param digest  the client's schema digest
 * @param name    the client's node or client name, 1..255 bytes of UTF-8
 */
public record Hello(int version, int flags, SchemaDigest digest, String name) {

    /**
     * @throws HandshakeException naming the field when a value is out of range or the name is empty, too long or
     *                            not encodable as UTF-8
     */
    public Hello {
        HandshakeFields.checkU16("version", version, 1);
        HandshakeFields.checkU16("flags", flags, 0);
        Objects.requireNonNull(digest, "digest");
        HandshakeFields.checkName("name", name);
    }

    /** Returns a version-1 HELLO with no flags. */
    public static Hello of(final SchemaDigest digest, final String name) {
        return new Hello(HandshakeDescriptor.VERSION_1, 0, digest, name);
    }
}
