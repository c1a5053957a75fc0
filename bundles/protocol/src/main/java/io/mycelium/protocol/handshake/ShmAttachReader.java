package io.mycelium.protocol.handshake;

import java.nio.ByteBuffer;

/**
 * Reads one shared-memory attach message (SHM_ATTACH on the client, SHM_ATTACHED on the server) from a non-blocking
 * control socket.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used by its reader.
 *
 * <p>Feed it every read until it stops answering {@link Status#NEED_MORE}; it consumes exactly the message's bytes
 * (doorbell bytes that follow stay in the source buffer). A message of the other kind than expected is
 * {@link Status#MALFORMED} with field {@code kind}.
 */
public final class ShmAttachReader extends PrefixedMessageReader<ShmAttachReader.Status> {

    /** What the bytes so far amount to. */
    public enum Status {
        /** The message is not complete yet; feed more bytes. */
        NEED_MORE,
        /** A complete SHM_ATTACH: {@link #attach()} is available. */
        ATTACH,
        /** A complete SHM_ATTACHED: {@link #attached()} is available. */
        ATTACHED,
        /** The bytes break the format: {@link #failure()} says which field and how. */
        MALFORMED
    }

    private final int expectedKind;
    private ShmAttach attach;
    private ShmAttached attached;

    /**
     * @param expectedKind {@link HandshakeDescriptor#KIND_SHM_ATTACH} (client side) or
     *                     {@link HandshakeDescriptor#KIND_SHM_ATTACHED} (server side)
     */
    public ShmAttachReader(final int expectedKind) {
        super(false, Status.NEED_MORE, Status.MALFORMED, expectedKind == HandshakeDescriptor.KIND_SHM_ATTACH
                ? "SHM_ATTACH" : "SHM_ATTACHED", "the peer does not speak the Mycelium v1 shared-memory attach");
        if (expectedKind != HandshakeDescriptor.KIND_SHM_ATTACH
                && expectedKind != HandshakeDescriptor.KIND_SHM_ATTACHED) {
            throw new IllegalArgumentException("expected kind " + expectedKind + " is neither 4 (SHM_ATTACH) nor 5"
                    + " (SHM_ATTACHED)");
        }
        this.expectedKind = expectedKind;
    }

    @Override
    Status decode(final ByteBuffer message, final int prefix, final int length) throws HandshakeException {
        if (expectedKind == HandshakeDescriptor.KIND_SHM_ATTACH) {
            attach = ShmAttachCodec.decodeAttach(message, 0, length);
            return Status.ATTACH;
        }
        attached = ShmAttachCodec.decodeAttached(message, 0, length);
        return Status.ATTACHED;
    }

    /** Returns the SHM_ATTACH when {@link Status#ATTACH}, otherwise {@code null}. */
    public ShmAttach attach() {
        return attach;
    }

    /** Returns the SHM_ATTACHED when {@link Status#ATTACHED}, otherwise {@code null}. */
    public ShmAttached attached() {
        return attached;
    }
}
