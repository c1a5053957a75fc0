package io.mycelium.protocol.handshake;

/**
 * A server's v1 SHM_ATTACH (kind 4), sent on a shared-memory endpoint's control socket right after ACCEPT: the
 * segment file the client maps and the capacities of its two rings (docs/wire.md §7).
 *
 * <p>Immutable; a constructed SHM_ATTACH always encodes.
 *
 * @param version   protocol version; {@link HandshakeDescriptor#VERSION_1}
 * @param flags     reserved u16 flags; send 0
 * @param capacity0 data capacity of ring 0 (server to client): a power of two in 4096..2^30
 * @param capacity1 data capacity of ring 1 (client to server), likewise
 * @param path      absolute path of the segment file, 1..1024 bytes of UTF-8 without control characters
 */
public record ShmAttach(int version, int flags, long capacity0, long capacity1, String path) {

    /**
     * @throws HandshakeException naming the field when a value is out of range or the path is not an absolute,
     *                            printable path of 1..1024 UTF-8 bytes
     */
    public ShmAttach {
        HandshakeFields.checkU16("version", version, 1);
        HandshakeFields.checkU16("flags", flags, 0);
        ShmAttachFields.checkCapacity("capacity0", capacity0);
        ShmAttachFields.checkCapacity("capacity1", capacity1);
        ShmAttachFields.checkPath(path);
    }

    /** Returns a version-1 SHM_ATTACH with no flags. */
    public static ShmAttach of(final long capacity0, final long capacity1, final String path) {
        return new ShmAttach(HandshakeDescriptor.VERSION_1, 0, capacity0, capacity1, path);
    }
}
