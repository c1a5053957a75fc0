package io.mycelium.transport.aeron.impl;

import io.aeron.ReservedValueSupplier;
import io.mycelium.api.RawMessageHandler;

import java.nio.ByteBuffer;


/**
 * The tap of one type towards one peer: called inline on the publisher's thread for every local publish of the type
 * while the peer subscribes to it, it offers the frame to the peer's publication.
 *
 * <p><b>Threading:</b> any publisher thread, concurrently. Allocation-free: the type's reserved value (its frame
 * header, {@link AeronLinkDescriptor}) is made once here, and the payload is viewed through the calling thread's own
 * buffer wrapper and offered in one piece.
 */
final class AeronTypeSender implements RawMessageHandler {

    private final AeronPeerLink link;
    private final int size;
    private final ReservedValueSupplier frameType;

    /**
     * @param link   the peer's link
     * @param typeId the type
     * @param size   the type's payload size
     */
    AeronTypeSender(final AeronPeerLink link, final int typeId, final int size) {
        this.link = link;
        this.size = size;
        this.frameType = AeronLinkDescriptor.supplier(typeId);
    }

    /** Offers one frame to the peer; the outcome is counted by the link. Any thread. */
    @Override
    public void onMessage(final int typeId, final ByteBuffer payload) {
        link.sendFrame(frameType, size, payload);
    }
}
