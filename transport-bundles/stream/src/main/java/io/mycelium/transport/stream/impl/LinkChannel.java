package io.mycelium.transport.stream.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The byte stream of one link as the handshake and the frame loop see it: plaintext bytes in and out, whether they
 * travel as they are ({@link PlainLinkChannel}) or inside TLS records ({@link TlsLinkChannel}).
 *
 * <p><b>Threading:</b> {@link #read} on the link's reader thread only; the write methods and {@link #flush} by one
 * thread at a time (the owner of the link's outbound, see {@link LinkOutbound}); the socket's blocking mode is the
 * caller's: blocking during the handshakes, non-blocking afterwards.
 */
interface LinkChannel {

    /**
     * Reads plaintext into {@code dst}.
     *
     * @return bytes read; 0 when none are available without blocking (non-blocking mode); -1 at end of stream
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Takes plaintext from {@code srcs} (gathering). A TLS channel may hold back encrypted bytes the socket did not
     * take; {@link #flush} sends them.
     *
     * @return plaintext bytes taken
     */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /** Takes plaintext from {@code src}; as {@link #write(ByteBuffer[], int, int)}. */
    int write(ByteBuffer src) throws IOException;

    /**
     * Sends bytes held back by an earlier write.
     *
     * @return whether nothing is held back any more; false when the socket is full (non-blocking mode)
     */
    boolean flush() throws IOException;

    /** Returns the socket, to register with selectors and to close. */
    SocketChannel socket();

    /** Returns the TLS protocol (e.g. {@code TLSv1.3}), or the empty string for plaintext. */
    String protocol();
}
