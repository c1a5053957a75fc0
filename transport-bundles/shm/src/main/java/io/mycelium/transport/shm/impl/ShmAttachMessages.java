package io.mycelium.transport.shm.impl;

import io.mycelium.protocol.handshake.HandshakeDescriptor;
import io.mycelium.protocol.handshake.ShmAttach;
import io.mycelium.protocol.handshake.ShmAttachCodec;
import io.mycelium.protocol.handshake.ShmAttachReader;
import io.mycelium.protocol.handshake.ShmAttached;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * SHM_ATTACH and SHM_ATTACHED (docs/wire.md §7) on a blocking control socket, with the protocol's codec: written
 * whole, read from what followed the handshake and then from the socket. Stateless.
 */
final class ShmAttachMessages {

    private static final int READ_CHUNK = 256;

    private ShmAttachMessages() {
    }

    static void write(final SocketChannel socket, final ShmAttach attach) throws IOException {
        writeFully(socket, ByteBuffer.wrap(ShmAttachCodec.encode(attach)));
    }

    static void write(final SocketChannel socket, final ShmAttached attached) throws IOException {
        writeFully(socket, ByteBuffer.wrap(ShmAttachCodec.encode(attached)));
    }

    private static void writeFully(final SocketChannel socket, final ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            socket.write(bytes);
        }
    }

    /** Reads the server's SHM_ATTACH (dialing side). */
    static ShmAttach readAttach(final SocketChannel socket, final ByteBuffer received) throws IOException {
        return read(socket, received, HandshakeDescriptor.KIND_SHM_ATTACH).attach();
    }

    /** Reads the client's SHM_ATTACHED (accepting side). */
    static ShmAttached readAttached(final SocketChannel socket, final ByteBuffer received) throws IOException {
        return read(socket, received, HandshakeDescriptor.KIND_SHM_ATTACHED).attached();
    }

    /**
     * Feeds a reader first with {@code received} (write mode: what followed the handshake; the message's bytes are
     * consumed, the rest kept), then with bytes read one small chunk at a time from the blocking socket (nothing
     * follows the message before it is answered).
     *
     * @throws IOException naming the message, field and value when it is malformed, or when the peer closed first
     */
    private static ShmAttachReader read(final SocketChannel socket, final ByteBuffer received, final int kind)
            throws IOException {
        final ShmAttachReader reader = new ShmAttachReader(kind);
        received.flip();
        ShmAttachReader.Status status = reader.feed(received);
        received.compact();
        final ByteBuffer chunk = ByteBuffer.allocate(READ_CHUNK);
        while (status == ShmAttachReader.Status.NEED_MORE) {
            chunk.clear();
            if (socket.read(chunk) < 0) {
                throw new EOFException("peer closed the connection before a complete "
                        + (kind == HandshakeDescriptor.KIND_SHM_ATTACH ? "SHM_ATTACH" : "SHM_ATTACHED"));
            }
            chunk.flip();
            status = reader.feed(chunk);
            if (chunk.hasRemaining()) {
                // Bytes after the message before it was answered: the peer does not follow the attach.
                throw new IOException("the peer sent " + chunk.remaining() + " bytes after its attach message before"
                        + " it was answered");
            }
        }
        if (status == ShmAttachReader.Status.MALFORMED) {
            throw new IOException(reader.failure().getMessage(), reader.failure());
        }
        return reader;
    }
}
