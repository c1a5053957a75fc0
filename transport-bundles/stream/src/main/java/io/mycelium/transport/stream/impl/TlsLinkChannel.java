package io.mycelium.transport.stream.impl;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A link's bytes inside TLS records, through a JDK {@link SSLEngine} over the link's socket: the TLS handshake runs
 * first ({@link #handshake}, blocking), then reads unwrap into the caller's buffer and writes wrap into one reused
 * network buffer, so the steady state allocates none of its own buffers (the JDK's engine still creates its small
 * result objects).
 *
 * <p><b>Threading:</b> as {@link LinkChannel}: {@link #read} on the reader thread, writes by the outbound's owner,
 * concurrently with reads (the engine serialises its own state). A post-handshake message that needs an answer
 * (a TLS 1.3 KeyUpdate) read by the reader is answered by the next write, which the reader asks for through
 * {@code wantWrite}.
 */
final class TlsLinkChannel implements LinkChannel {

    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0).asReadOnlyBuffer()};

    private final SocketChannel socket;
    private final SSLEngine engine;
    /** Network bytes read and not yet unwrapped, in write mode (data from 0 to position). Reader thread. */
    private ByteBuffer netIn;
    /**
     * Whether the bytes in {@link #netIn} were found to end inside a record: the next read goes to the socket first,
     * so a reader polling an empty socket does not unwrap (and make the engine allocate a result) on every poll.
     * Reader thread.
     */
    private boolean starved;
    /** Network bytes wrapped and not yet written, in read mode (empty: no remaining). Writing thread. */
    private ByteBuffer netOut;
    /** The one-buffer array of {@link #write(ByteBuffer)}, reused. Writing thread. */
    private final ByteBuffer[] single = new ByteBuffer[1];
    private volatile Runnable wantWrite = () -> { };

    /**
     * @param socket  the connected socket (blocking until the handshakes are done)
     * @param engine  a configured client or server engine
     * @param initial network bytes already read from the socket (the listener looked at the first bytes to tell TLS
     *                from plaintext), in read mode; consumed
     */
    TlsLinkChannel(final SocketChannel socket, final SSLEngine engine, final ByteBuffer initial) {
        this.socket = socket;
        this.engine = engine;
        final int packet = engine.getSession().getPacketBufferSize();
        // Heap, not direct: the JDK encrypts and decrypts records in place in these buffers, and its AES-GCM copies a
        // direct buffer through a new temporary array on every record (measured: ~650 B per frame), a heap buffer
        // not; the socket copies a heap buffer through its thread's cached direct buffer without allocating.
        this.netIn = ByteBuffer.allocate(Math.max(packet, initial.remaining()));
        this.netIn.put(initial);
        this.netOut = ByteBuffer.allocate(packet);
        this.netOut.flip();
    }

    /** Sets what asks the writer to write (an empty write answers what the engine must send). Any thread. */
    void onWantWrite(final Runnable task) {
        wantWrite = task;
    }

    /**
     * Runs the TLS handshake on the blocking socket. On failure the alert the engine prepared (why this side refuses)
     * is sent to the peer before the exception is thrown.
     *
     * @param appIn the link's read buffer, in write mode: receives any application bytes that arrive with the
     *              handshake's last flight
     * @throws SSLException when the handshake fails (untrusted certificate, wrong name, the peer's alert)
     * @throws EOFException when the peer closes the connection during the handshake
     */
    void handshake(final ByteBuffer appIn) throws IOException {
        try {
            engine.beginHandshake();
            SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
            while (true) {
                switch (status) {
                    case NEED_WRAP:
                        status = wrapHandshake();
                        break;
                    case NEED_UNWRAP:
                    case NEED_UNWRAP_AGAIN:
                        status = unwrapHandshake(appIn);
                        break;
                    case NEED_TASK:
                        runTasks();
                        status = engine.getHandshakeStatus();
                        break;
                    default:
                        return; // FINISHED or NOT_HANDSHAKING
                }
            }
        } catch (final SSLException e) {
            final IOException alertFailure = sendAlert();
            if (alertFailure != null) {
                e.addSuppressed(alertFailure);
            }
            throw e;
        }
    }

    /** Returns the peer's certificate after the handshake. */
    X509Certificate peerCertificate() throws SSLPeerUnverifiedException {
        final Certificate[] chain = engine.getSession().getPeerCertificates();
        return (X509Certificate) chain[0];
    }

    @Override
    public int read(final ByteBuffer dst) throws IOException {
        final int start = dst.position();
        while (true) {
            if (netIn.position() > 0 && !starved) {
                final SSLEngineResult result = unwrap(dst);
                switch (result.getStatus()) {
                    case OK:
                        afterUnwrap(result.getHandshakeStatus());
                        if (result.bytesConsumed() > 0) {
                            continue; // another record may be complete already
                        }
                        return dst.position() - start;
                    case BUFFER_OVERFLOW:
                        if (dst.position() > start) {
                            return dst.position() - start;
                        }
                        throw new IOException("read buffer of " + dst.remaining() + " bytes cannot hold a TLS"
                                + " record of up to " + engine.getSession().getApplicationBufferSize() + " bytes");
                    case CLOSED:
                        // close_notify: the end of the stream, after what was read before it.
                        return dst.position() > start ? dst.position() - start : -1;
                    default: // BUFFER_UNDERFLOW: the next record is not complete yet
                        growNetInIfFull();
                        starved = true;
                        break;
                }
            }
            if (dst.position() > start) {
                return dst.position() - start;
            }
            final int read = socket.read(netIn);
            if (read <= 0) {
                return read;
            }
            starved = false;
        }
    }

    @Override
    public long write(final ByteBuffer[] srcs, final int offset, final int length) throws IOException {
        if (!flush()) {
            return 0;
        }
        long taken = 0;
        while (hasRemaining(srcs, offset, length)) {
            final SSLEngineResult result = wrap(srcs, offset, length);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("the TLS session is closed");
            }
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
                netOut.flip();
                continue;
            }
            taken += result.bytesConsumed();
            if (!flushNet()) {
                break;
            }
        }
        return taken;
    }

    @Override
    public int write(final ByteBuffer src) throws IOException {
        single[0] = src;
        try {
            return (int) write(single, 0, 1);
        } finally {
            single[0] = null;
        }
    }

    @Override
    public boolean flush() throws IOException {
        if (!flushNet()) {
            return false;
        }
        while (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
            // A post-handshake answer (KeyUpdate) or a close_notify the engine wants sent.
            final SSLEngineResult result = wrap(NOTHING, 0, 1);
            if (!flushNet()) {
                return false;
            }
            if (result.getStatus() != SSLEngineResult.Status.OK) {
                break;
            }
        }
        return true;
    }

    @Override
    public SocketChannel socket() {
        return socket;
    }

    @Override
    public String protocol() {
        return engine.getSession().getProtocol();
    }

    private SSLEngineResult.HandshakeStatus wrapHandshake() throws IOException {
        final SSLEngineResult result = wrap(NOTHING, 0, 1);
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            netOut.flip();
            return result.getHandshakeStatus();
        }
        flushBlocking();
        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new SSLException("the TLS engine closed during the handshake");
        }
        return result.getHandshakeStatus();
    }

    private SSLEngineResult.HandshakeStatus unwrapHandshake(final ByteBuffer appIn) throws IOException {
        final SSLEngineResult result = unwrap(appIn);
        switch (result.getStatus()) {
            case BUFFER_UNDERFLOW:
                growNetInIfFull();
                if (socket.read(netIn) < 0) {
                    throw new EOFException("the peer closed the connection during the TLS handshake");
                }
                return engine.getHandshakeStatus();
            case CLOSED:
                throw new SSLException("the peer closed the TLS session during the handshake");
            case BUFFER_OVERFLOW:
                throw new SSLException("read buffer of " + appIn.remaining() + " bytes cannot hold a TLS record");
            default:
                return result.getHandshakeStatus();
        }
    }

    /** Unwraps what {@link #netIn} holds into {@code dst}; netIn stays in write mode. */
    private SSLEngineResult unwrap(final ByteBuffer dst) throws SSLException {
        netIn.flip();
        try {
            return engine.unwrap(netIn, dst);
        } finally {
            netIn.compact();
        }
    }

    /** Wraps into the empty {@link #netOut}, which is left in read mode holding the record(s). */
    private SSLEngineResult wrap(final ByteBuffer[] srcs, final int offset, final int length) throws SSLException {
        netOut.clear();
        try {
            return engine.wrap(srcs, offset, length, netOut);
        } finally {
            netOut.flip();
        }
    }

    private void afterUnwrap(final SSLEngineResult.HandshakeStatus status) {
        if (status == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            runTasks();
        }
        if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
            wantWrite.run();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** Sends the alert a failed engine prepared; returns why that failed, or null. */
    private IOException sendAlert() {
        try {
            wrap(NOTHING, 0, 1);
            flushNet();
            return null;
        } catch (final IOException e) {
            return e;
        }
    }

    private void growNetInIfFull() {
        if (!netIn.hasRemaining()) {
            final ByteBuffer bigger = ByteBuffer.allocate(Math.max(netIn.capacity() * 2,
                    engine.getSession().getPacketBufferSize()));
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
    }

    /** Writes held-back network bytes; returns whether none are left (false: the socket is full). */
    private boolean flushNet() throws IOException {
        while (netOut.hasRemaining()) {
            if (socket.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }

    private void flushBlocking() throws IOException {
        while (netOut.hasRemaining()) {
            socket.write(netOut);
        }
    }

    private static boolean hasRemaining(final ByteBuffer[] srcs, final int offset, final int length) {
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }
}
