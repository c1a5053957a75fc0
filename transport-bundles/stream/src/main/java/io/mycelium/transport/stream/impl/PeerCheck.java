package io.mycelium.transport.stream.impl;

import io.mycelium.protocol.handshake.HandshakeCodec;
import io.mycelium.protocol.handshake.HandshakeReader;
import io.mycelium.protocol.handshake.Reject;
import io.mycelium.protocol.handshake.RejectReason;
import io.mycelium.transport.stream.TransportCounter;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Asks the transport's endpoints whether the peer of an accepted link may in
 * ({@link io.mycelium.transport.stream.StreamEndpoints#peerRefusal}, e.g. the Unix peer's user against
 * {@code peer.uids}) once its handshake was read; a refused peer is counted in {@code rejected.unauthorised}, a v1
 * client is answered REJECT UNAUTHORISED with the reason, a legacy client (which understands no REJECT) is closed.
 * The endpoints log the refusal: they know who the peer is. Stateless; link reader threads.
 */
final class PeerCheck {

    private PeerCheck() {
    }

    /**
     * @param link   an accepted link whose handshake was read
     * @param status what the handshake reader found
     * @param reader the reader, holding the HELLO of a v1 client
     * @return whether the peer was refused (then the link must close)
     * @throws IOException when the REJECT cannot be written
     */
    static boolean refused(final StreamLink link, final HandshakeReader.Status status, final HandshakeReader reader)
            throws IOException {
        if (status != HandshakeReader.Status.V1 && status != HandshakeReader.Status.LEGACY) {
            return false; // a malformed handshake is refused for that
        }
        final String refusal = link.context.endpoints.peerRefusal(link.channel());
        if (refusal == null) {
            return false;
        }
        link.context.counters.increment(TransportCounter.REJECTED_UNAUTHORISED);
        link.failed(refusal);
        if (status == HandshakeReader.Status.V1) {
            final ByteBuffer out = ByteBuffer.wrap(HandshakeCodec.encode(Reject.of(RejectReason.UNAUTHORISED,
                    link.context.digest, reader.hello().digest(), refusal)));
            final LinkChannel stream = link.io(); // plaintext or TLS: the link's stream, not its socket
            while (out.hasRemaining() || !stream.flush()) {
                stream.write(out);
            }
        }
        return true;
    }
}
