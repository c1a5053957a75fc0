package io.mycelium.protocol.handshake;

/**
 * Byte layouts of the two connection handshakes (docs/wire.md §5); all integers little-endian. Holds constants only.
 *
 * <p><b>Legacy</b> (original Mycelium clients; the server never answers):
 * <pre>
 *  offset  size  field
 *  0       2     length = 32 (u16)
 *  2       32    schema digest
 * </pre>
 *
 * <p><b>v1</b>: every message starts with the same 10-byte head. The u16 length counts the bytes after itself, so a
 * server tells the forms apart after 2 bytes: 32 means legacy, anything else is v1 (a v1 HELLO is at least 45).
 * <pre>
 *  offset  size  field          HELLO (client)      ACCEPT (server)       REJECT (server)
 *  0       2     length         44 + n              12 + n                76 + m
 *  2       4     magic          "MYC1" = 4d 59 43 31
 *  6       2     version        1                   1                     highest version the server speaks
 *  8       2     kind           1                   2                     3
 *  10      2                    flags               flags                 reason code
 *  12      ..                   digest (32)         name length n (u16)   server digest (32)
 *  44      ..                   name length n (u16) name (n bytes UTF-8)  client digest (32, zero if unknown)
 *  46/76   ..                   name (n bytes UTF-8)                      text length m (u16) at 76, text at 78
 * </pre>
 * Names are 1..{@value #MAX_NAME_LENGTH} bytes of UTF-8, reject texts 0..{@value #MAX_TEXT_LENGTH}. Flags are
 * reserved: senders write 0, receivers ignore unknown bits. No handshake message is longer than
 * {@value #MAX_MESSAGE_LENGTH} bytes, the bound a reader enforces before buffering.
 */
public final class HandshakeDescriptor {

    /** Size of the u16 length prefix that opens both forms. */
    public static final int PREFIX_LENGTH = 2;

    /** The length prefix of the legacy handshake (it is followed by exactly the 32 digest bytes). */
    public static final int LEGACY_LENGTH_PREFIX = 32;

    /** Total size of the legacy handshake. */
    public static final int LEGACY_MESSAGE_LENGTH = PREFIX_LENGTH + LEGACY_LENGTH_PREFIX;

    /** The magic "MYC1" (bytes 4d 59 43 31) at offset 2 of every v1 message, read as a little-endian u32. */
    public static final long MAGIC = 0x3143594DL;

    /** The only protocol version this implementation speaks. */
    public static final int VERSION_1 = 1;

    /** Kind of a client's HELLO. */
    public static final int KIND_HELLO = 1;

    /** Kind of a server's ACCEPT. */
    public static final int KIND_ACCEPT = 2;

    /** Kind of a server's REJECT. */
    public static final int KIND_REJECT = 3;

    /** Kind of the server's SHM_ATTACH (shared-memory endpoints only, after ACCEPT; docs/wire.md §7). */
    public static final int KIND_SHM_ATTACH = 4;

    /** Kind of the client's SHM_ATTACHED answer to SHM_ATTACH. */
    public static final int KIND_SHM_ATTACHED = 5;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 2;

    /** Offset of the protocol version. */
    public static final int VERSION_OFFSET = 6;

    /** Offset of the kind. */
    public static final int KIND_OFFSET = 8;

    /** Length of the head shared by every v1 message (prefix, magic, version, kind). */
    public static final int HEAD_LENGTH = 10;

    /** HELLO: offset of the flags. */
    public static final int HELLO_FLAGS_OFFSET = 10;

    /** HELLO: offset of the client's schema digest. */
    public static final int HELLO_DIGEST_OFFSET = 12;

    /** HELLO: offset of the name length. */
    public static final int HELLO_NAME_LENGTH_OFFSET = 44;

    /** HELLO: offset of the name. */
    public static final int HELLO_NAME_OFFSET = 46;

    /** ACCEPT: offset of the flags. */
    public static final int ACCEPT_FLAGS_OFFSET = 10;

    /** ACCEPT: offset of the name length. */
    public static final int ACCEPT_NAME_LENGTH_OFFSET = 12;

    /** ACCEPT: offset of the server's name. */
    public static final int ACCEPT_NAME_OFFSET = 14;

    /** REJECT: offset of the reason code. */
    public static final int REJECT_REASON_OFFSET = 10;

    /** REJECT: offset of the server's schema digest. */
    public static final int REJECT_SERVER_DIGEST_OFFSET = 12;

    /** REJECT: offset of the digest the client sent (zero when the server could not read it). */
    public static final int REJECT_CLIENT_DIGEST_OFFSET = 44;

    /** REJECT: offset of the text length. */
    public static final int REJECT_TEXT_LENGTH_OFFSET = 76;

    /** REJECT: offset of the text. */
    public static final int REJECT_TEXT_OFFSET = 78;

    /** SHM_ATTACH: offset of the flags. */
    public static final int SHM_ATTACH_FLAGS_OFFSET = 10;

    /** SHM_ATTACH: offset of the u32 capacity of ring 0 (server to client). */
    public static final int SHM_ATTACH_CAPACITY_0_OFFSET = 12;

    /** SHM_ATTACH: offset of the u32 capacity of ring 1 (client to server). */
    public static final int SHM_ATTACH_CAPACITY_1_OFFSET = 16;

    /** SHM_ATTACH: offset of the u16 path length. */
    public static final int SHM_ATTACH_PATH_LENGTH_OFFSET = 20;

    /** SHM_ATTACH: offset of the segment path. */
    public static final int SHM_ATTACH_PATH_OFFSET = 22;

    /** SHM_ATTACHED: offset of the flags. */
    public static final int SHM_ATTACHED_FLAGS_OFFSET = 10;

    /** SHM_ATTACHED: offset of the u16 status. */
    public static final int SHM_ATTACHED_STATUS_OFFSET = 12;

    /** SHM_ATTACHED: offset of the u16 text length. */
    public static final int SHM_ATTACHED_TEXT_LENGTH_OFFSET = 14;

    /** SHM_ATTACHED: offset of the text. */
    public static final int SHM_ATTACHED_TEXT_OFFSET = 16;

    /** Largest segment path in SHM_ATTACH, in UTF-8 bytes. */
    public static final int MAX_SHM_PATH_LENGTH = 1024;

    /** Smallest ring capacity SHM_ATTACH may announce (capacities are powers of two). */
    public static final int MIN_SHM_CAPACITY = 4096;

    /** Largest ring capacity SHM_ATTACH may announce (1 GiB). */
    public static final int MAX_SHM_CAPACITY = 1 << 30;

    /** Largest node or client name in UTF-8 bytes. */
    public static final int MAX_NAME_LENGTH = 255;

    /** Largest REJECT text in UTF-8 bytes. */
    public static final int MAX_TEXT_LENGTH = 1024;

    /** Smallest length prefix of a v1 message (magic, version and kind must be there to answer at all). */
    public static final int MIN_V1_LENGTH_PREFIX = HEAD_LENGTH - PREFIX_LENGTH;

    /** Largest length prefix any handshake message may carry, in every version. */
    public static final int MAX_LENGTH_PREFIX = 2048;

    /** Largest handshake message in bytes, prefix included. */
    public static final int MAX_MESSAGE_LENGTH = PREFIX_LENGTH + MAX_LENGTH_PREFIX;

    private HandshakeDescriptor() {
    }
}
