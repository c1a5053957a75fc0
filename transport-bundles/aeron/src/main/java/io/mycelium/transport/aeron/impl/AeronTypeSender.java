package io.mycelium.transport.aeron.impl;

import io.mycelium.api.RawMessageHandler;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The tap of one type towards one peer: called inline on the publisher's thread for every local publish of the type
 * while the peer subscribes to it, it offers the frame to the peer's publication.
 *
 * <p><b>Threading:</b> any publisher thread, concurrently. Allocation-free: the frame header of the type (its size
 * is fixed) is written once here, and the payload is viewed through the calling thread's own buffer wrapper; the
 * Aeron publication gathers both parts into one message.
 */
final class AeronTypeSender implements RawMessageHandler {

    private final AeronPeerLink link;
    private final int size;
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[AeronLinkDescriptor.HEADER_LENGTH]);

    /**
     * @param link   the peer's link
     * @param typeId the type
     * @param size   the type's payload size
     */
    AeronTypeSender(final AeronPeerLink link, final int typeId, final int size) {
        this.link = link;
        this.size = size;
        AeronLinkDescriptor.putHeader(header, 0, typeId, size);
    }

    /** Offers one frame to the peer; the outcome is counted by the link. Any thread. */
    @Override
    public void onMessage(final int typeId, final ByteBuffer payload) {
        link.sendFrame(header, size, payload);
    }
}
