package io.mycelium.transport.stream.impl;

import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.protocol.handshake.Accept;
import io.mycelium.protocol.handshake.HandshakeCodec;
import io.mycelium.protocol.handshake.HandshakeException;
import io.mycelium.protocol.handshake.HandshakeReader;
import io.mycelium.protocol.handshake.Hello;
import io.mycelium.protocol.handshake.Reject;
import io.mycelium.protocol.handshake.RejectReason;
import io.mycelium.protocol.handshake.ReplyReader;
import io.mycelium.protocol.handshake.HandshakeDescriptor;
import io.mycelium.transport.stream.TransportCounter;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Runs the opening handshake of docs/wire.md §5 on a blocking channel, for either side of a link.
 *
 * <p>Stateless; called on the link's reader thread. The read buffer is left in write mode holding whatever the peer
 * sent after its handshake (a legacy client sends frames at once), for the frame reader to continue with.
 */
final class LinkHandshake {

    private LinkHandshake() {
    }

    /**
     * Server side: reads a legacy handshake or a HELLO and answers a v1 client with ACCEPT or REJECT.
     *
     * @return whether the link may open; when not, the reason has been counted, logged and (v1) sent
     */
    static boolean accept(final StreamLink link, final ByteBuffer buffer) throws IOException {
        final TransportContext context = link.context;
        final LinkChannel channel = link.io();
        final HandshakeReader reader = new HandshakeReader();
        HandshakeReader.Status status;
        while (true) {
            buffer.flip();
            status = reader.feed(buffer);
            buffer.compact();
            if (status != HandshakeReader.Status.NEED_MORE) {
                break;
            }
            if (channel.read(buffer) < 0) {
                context.counters.increment(TransportCounter.HANDSHAKE_MALFORMED);
                throw new EOFException("peer closed the connection after " + reader.bytesConsumed()
                        + " bytes of its handshake");
            }
        }
        final String kind = context.endpoints.kind();
        final String from = link.remoteAddress();
        if (PeerCheck.refused(link, status, reader)) {
            return false;
        }
        switch (status) {
            case LEGACY: {
                if (!context.admission.admitLegacy(link)) {
                    return false;
                }
                final SchemaDigest digest = reader.legacyDigest();
                if (!digest.equals(context.digest)) {
                    context.counters.increment(TransportCounter.HANDSHAKE_DIGEST_MISMATCH);
                    context.warnings.warn(TransportWarnings.Cause.DIGEST_MISMATCH, "{} legacy client at {} sent"
                            + " schema digest {} but this node has {}; closing (legacy clients get no reply; build"
                            + " both sides from the same contracts.yaml)", kind, from, digest.toHex(),
                            context.digest.toHex());
                    return false;
                }
                link.identified("legacy@" + from, true);
                if (!link.owner().admit(link)) {
                    context.counters.increment(TransportCounter.REJECTED_TOO_MANY_CONNECTIONS);
                    // A legacy client understands no REJECT: it can only be closed, so the log says why.
                    context.warnings.warn(TransportWarnings.Cause.TOO_MANY_CONNECTIONS, "{} legacy client at {}"
                            + " refused and closed (legacy clients get no reply): {} connections open"
                            + " (max.connections)", kind, from, context.settings.maxConnections());
                    return false;
                }
                return true;
            }
            case V1: {
                final Hello hello = reader.hello();
                final String refusal = context.admission.refusal(link, hello.name());
                if (refusal != null) {
                    write(channel, HandshakeCodec.encode(Reject.of(RejectReason.UNAUTHORISED, context.digest,
                            hello.digest(), refusal)));
                    return false;
                }
                if (!hello.digest().equals(context.digest)) {
                    context.counters.increment(TransportCounter.HANDSHAKE_DIGEST_MISMATCH);
                    final Reject reject = Reject.digestMismatch(context.digest, hello.digest());
                    context.warnings.warn(TransportWarnings.Cause.DIGEST_MISMATCH, "{} client {} at {} rejected: {}",
                            kind, hello.name(), from, reject.text());
                    write(channel, HandshakeCodec.encode(reject));
                    return false;
                }
                // Named first: the owner admits a configured peer node into its reserved share.
                link.identified(hello.name(), false);
                if (!link.owner().admit(link)) {
                    context.counters.increment(TransportCounter.REJECTED_TOO_MANY_CONNECTIONS);
                    final String text = "node " + context.settings.nodeName() + " has reached its limit of "
                            + context.settings.maxConnections() + " connections (max.connections)";
                    context.warnings.warn(TransportWarnings.Cause.TOO_MANY_CONNECTIONS, "{} client {} at {}"
                            + " rejected: {}", kind, hello.name(), from, text);
                    write(channel, HandshakeCodec.encode(Reject.of(RejectReason.TOO_MANY_CONNECTIONS, context.digest,
                            hello.digest(), text)));
                    return false;
                }
                write(channel, HandshakeCodec.encode(Accept.of(context.settings.nodeName())));
                return true;
            }
            default: {
                final HandshakeException failure = reader.failure();
                context.counters.increment(TransportCounter.HANDSHAKE_MALFORMED);
                context.warnings.warn(TransportWarnings.Cause.HANDSHAKE_MALFORMED, "{} malformed handshake from {}"
                        + " (field {}): {}; closed", kind, from, failure.field(), failure.getMessage());
                // A bad length prefix means the peer is not a Mycelium client: close without a word (wire.md §5.6).
                if (reader.bytesConsumed() > HandshakeDescriptor.PREFIX_LENGTH) {
                    write(channel, HandshakeCodec.encode(Reject.forFailure(context.digest, failure)));
                }
                return false;
            }
        }
    }

    /**
     * Client side: sends HELLO and reads the reply.
     *
     * @return whether the server accepted; when not, {@link StreamLink#failure()} says why
     * @throws HandshakeException when the server closed before a complete reply
     */
    static boolean dial(final StreamLink link, final ByteBuffer buffer) throws IOException {
        final TransportContext context = link.context;
        final LinkChannel channel = link.io();
        write(channel, HandshakeCodec.encode(Hello.of(context.digest, context.settings.nodeName())));
        final ReplyReader reader = new ReplyReader();
        final String server = link.expectedPeer() + " at " + link.dialAddress();
        ReplyReader.Status status;
        while (true) {
            buffer.flip();
            status = reader.feed(buffer);
            buffer.compact();
            if (status != ReplyReader.Status.NEED_MORE) {
                break;
            }
            if (channel.read(buffer) < 0) {
                throw reader.endOfStream(server);
            }
        }
        switch (status) {
            case ACCEPTED: {
                final String name = reader.accept().name();
                if (!name.equals(link.expectedPeer())) {
                    context.log.warn("{} dialed peer {} at {} but it calls itself {}; check the topology",
                            context.endpoints.kind(), link.expectedPeer(), link.dialAddress(), name);
                }
                link.identified(name, false);
                return true;
            }
            case REJECTED: {
                final Reject reject = reader.reject();
                if (reject.reason() == RejectReason.DIGEST_MISMATCH) {
                    context.counters.increment(TransportCounter.HANDSHAKE_DIGEST_MISMATCH);
                } else if (reject.reason() == RejectReason.UNAUTHORISED) {
                    context.counters.increment(TransportCounter.REJECTED_UNAUTHORISED);
                }
                link.failed(reject.toException(server).getMessage());
                return false;
            }
            default: {
                context.counters.increment(TransportCounter.HANDSHAKE_MALFORMED);
                link.failed("server " + server + " sent a malformed handshake reply: " + reader.failure().getMessage());
                return false;
            }
        }
    }

    private static void write(final LinkChannel channel, final byte[] bytes) throws IOException {
        final ByteBuffer out = ByteBuffer.wrap(bytes);
        while (out.hasRemaining() || !channel.flush()) {
            channel.write(out);
        }
    }
}
