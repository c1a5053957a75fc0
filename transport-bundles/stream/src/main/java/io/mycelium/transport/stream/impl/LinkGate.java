package io.mycelium.transport.stream.impl;

import io.mycelium.logging.LogLimiter;
import io.mycelium.transport.stream.TransportCounter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import java.time.Duration;

import javax.net.ssl.SSLEngine;

/**
 * Opens the byte stream of a new link before the Mycelium handshake: a dialing link speaks TLS when the transport
 * has a TLS identity, plaintext otherwise; a listener looks at the first two bytes a peer sends to tell a TLS
 * ClientHello (a handshake record, {@code 16 03}) from a Mycelium handshake (a little-endian length of at most
 * 2048, so never {@code 16 03}), and runs the TLS handshake or continues in plaintext. Which plaintext peers may
 * continue is {@link LinkAdmission}'s decision, after their HELLO.
 *
 * <p>Thread-safe: one per transport, called on link reader threads. Failures are counted in
 * {@code tls.handshake.failures}; the listener logs each cause at WARN at most once per
 * {@value #LOG_SECONDS} s (with the count of lines left out); a dialed link's failure goes to its dialer, which logs
 * it and shows it as the peer's last error.
 */
final class LinkGate {

    static final long LOG_SECONDS = 10;
    private static final int TLS_HANDSHAKE_RECORD = 0x16;
    private static final int TLS_MAJOR_VERSION = 0x03;
    /** A fatal TLS alert record, handshake_failure: what a plaintext listener answers a TLS ClientHello. */
    private static final byte[] HANDSHAKE_FAILURE_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};

    private final TransportContext context;
    private final TlsContext tls;
    private final LogLimiter tlsFailures = new LogLimiter(Duration.ofSeconds(LOG_SECONDS));
    private final LogLimiter tlsAtPlaintext = new LogLimiter(Duration.ofSeconds(LOG_SECONDS));

    /** @param tls the transport's TLS engines, or null for plaintext only */
    LinkGate(final TransportContext context, final TlsContext tls) {
        this.context = context;
        this.tls = tls;
    }

    /** Returns whether this transport has a TLS identity. */
    boolean tlsConfigured() {
        return tls != null;
    }

    /**
     * Opens the link's stream on its blocking, connected socket.
     *
     * @param buffer the link's read buffer (empty, write mode); left holding plaintext the peer sent after its
     *               handshakes began
     * @return the stream, or null when the link must close (the failure is counted, logged or set on the link)
     */
    LinkChannel open(final StreamLink link, final SocketChannel socket, final ByteBuffer buffer) throws IOException {
        if (link.dialed()) {
            if (tls == null) {
                return new PlainLinkChannel(socket);
            }
            final SSLEngine engine;
            try {
                engine = tls.clientEngine(link.expectedPeer());
            } catch (final GeneralSecurityException e) {
                throw new IOException("cannot make a TLS engine: " + e.getMessage(), e);
            }
            return handshake(link, new TlsLinkChannel(socket, engine, ByteBuffer.allocate(0)), buffer);
        }
        if (!startsWithTlsRecord(socket, buffer)) {
            return new PlainLinkChannel(socket);
        }
        if (tls == null) {
            refuseTlsAtPlaintext(link, socket, buffer);
            return null;
        }
        buffer.flip();
        final ByteBuffer initial = ByteBuffer.allocate(buffer.remaining());
        initial.put(buffer).flip();
        buffer.clear();
        return handshake(link, new TlsLinkChannel(socket, tls.serverEngine(), initial), buffer);
    }

    private LinkChannel handshake(final StreamLink link, final TlsLinkChannel channel, final ByteBuffer buffer)
            throws IOException {
        try {
            channel.handshake(buffer);
            link.secured(channel.protocol(), channel.peerCertificate());
            return channel;
        } catch (final IOException e) {
            if (!link.isHandshaking()) {
                throw e; // closed meanwhile (handshake timeout, stop): the link reports that
            }
            failed(link, e);
            return null;
        }
    }

    /**
     * Reports a TLS failure of a link before it opened: counted, set as the link's failure, logged by a listener
     * (rate-limited). In TLS 1.3 a client learns that the server refused its certificate only when it reads after
     * its side of the handshake, so the Mycelium handshake's failures come here too.
     */
    void failed(final StreamLink link, final IOException failure) {
        context.counters.increment(TransportCounter.TLS_HANDSHAKE_FAILURES);
        final String why = TlsFailures.describe(failure, tls, context.settings.nodeName());
        if (link.dialed()) {
            link.failed("TLS handshake with " + link.expectedPeer() + " at " + link.dialAddress() + " failed: " + why);
        } else {
            link.failed("TLS handshake from " + link.remoteAddress() + " failed: " + why);
            final long suppressed = tlsFailures.tryAcquire();
            if (suppressed != LogLimiter.SUPPRESSED) {
                context.log.warn("{} listener {} of node {}: TLS handshake from {} failed: {}{}",
                        context.endpoints.kind(), context.endpoints.localAddress(link.channel()),
                        context.settings.nodeName(), link.remoteAddress(), why, tlsFailures.summary(suppressed));
            }
        }
        context.log.debug("{} TLS handshake failure in detail", context.endpoints.kind(), failure);
    }

    /** Reads until two bytes are there (or the stream ends) and says whether they start a TLS handshake record. */
    private static boolean startsWithTlsRecord(final SocketChannel socket, final ByteBuffer buffer)
            throws IOException {
        while (buffer.position() < 2) {
            if (socket.read(buffer) < 0) {
                return false; // the Mycelium handshake reports the early end
            }
        }
        return (buffer.get(0) & 0xFF) == TLS_HANDSHAKE_RECORD && (buffer.get(1) & 0xFF) == TLS_MAJOR_VERSION;
    }

    private void refuseTlsAtPlaintext(final StreamLink link, final SocketChannel socket, final ByteBuffer buffer)
            throws IOException {
        context.counters.increment(TransportCounter.TLS_HANDSHAKE_FAILURES);
        final String text = "a TLS client at " + link.remoteAddress() + " connected, but this listener has no TLS"
                + " configured";
        link.failed(text);
        final long suppressed = tlsAtPlaintext.tryAcquire();
        if (suppressed != LogLimiter.SUPPRESSED) {
            context.log.warn("{} listener {} of node {}: {}; closed. Fix: configure TLS on node {} too (tls.ca,"
                    + " tls.cert, tls.key of its {} transport, or [tls] in topology.toml), or turn TLS off at the"
                    + " client{}", context.endpoints.kind(), context.endpoints.localAddress(socket),
                    context.settings.nodeName(), text, context.settings.nodeName(), context.endpoints.kind(),
                    tlsAtPlaintext.summary(suppressed));
        }
        buffer.clear();
        final ByteBuffer alert = ByteBuffer.wrap(HANDSHAKE_FAILURE_ALERT);
        while (alert.hasRemaining()) {
            socket.write(alert);
        }
    }
}
