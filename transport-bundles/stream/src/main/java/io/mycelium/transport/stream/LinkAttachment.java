package io.mycelium.transport.stream;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * What {@link StreamEndpoints#attach} learns about a link whose handshake just succeeded.
 *
 * @param socket   the link's connected socket, still blocking
 * @param received the read buffer in write mode, holding bytes the peer sent after its handshake; the attach
 *                 consumes what belongs to it and leaves the rest (normally nothing)
 * @param accepted whether this node accepted the connection (false: it dialed)
 * @param peerName the peer's name from its handshake
 * @param legacy   whether the peer used the legacy 32-byte handshake
 * @param digest   the schema digest both sides agreed on (32 bytes; do not modify)
 * @since 2.3
 */
public record LinkAttachment(SocketChannel socket, ByteBuffer received, boolean accepted, String peerName,
        boolean legacy, byte[] digest) {
}
