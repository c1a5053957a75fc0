package io.mycelium.transport.aeron.impl;

import io.aeron.ReservedValueSupplier;
import io.mycelium.api.RawMessageHandler;

import java.nio.ByteBuffer;

/**
 * The tap of one type: called inline on the publisher's thread for every local publish of the type while at least
 * one peer subscribes to it, it offers the frame once on the fan-out publication when the type goes there and once
 * on the publication of every other subscribed peer.
 *
 * <p>The route (which links, whether fan-out) is one immutable object swapped by the link thread, so each publish
 * takes either the old route or the new one as a whole: when a type moves between fan-out and per-peer sending no
 * publish is lost or sent twice.
 *
 * <p><b>Threading:</b> {@link #onMessage} on any publisher thread, concurrently; {@link #route} on the link thread.
 * Allocation-free per publish: the type's reserved value (its frame header, {@link AeronLinkDescriptor}) is made once
 * here, and the payload is viewed through the calling thread's own buffer wrapper and offered in one piece.
 */
final class AeronTypeSender implements RawMessageHandler {

    /** Where a publish of the type goes. */
    private record Route(AeronPeerLink[] unicast, boolean fanOut) {
    }

    private static final Route NOWHERE = new Route(new AeronPeerLink[0], false);

    private final int size;
    private final ReservedValueSupplier frameType;
    private final AeronFanOut fanOut;
    private volatile Route route = NOWHERE;

    /**
     * @param typeId the type
     * @param size   the type's payload size
     * @param fanOut the node's fan-out publication, or null when it has none
     */
    AeronTypeSender(final int typeId, final int size, final AeronFanOut fanOut) {
        this.size = size;
        this.frameType = AeronLinkDescriptor.supplier(typeId);
        this.fanOut = fanOut;
    }

    /**
     * Sets where the type's publishes go. Link thread.
     *
     * @param unicast the links whose own publication carries the type
     * @param viaFanOut whether the fan-out publication carries it (to every fan-out destination)
     */
    void route(final AeronPeerLink[] unicast, final boolean viaFanOut) {
        route = new Route(unicast, viaFanOut && fanOut != null);
    }

    /** Offers one frame on the route's publications; each outcome is counted there. Any thread. */
    @Override
    public void onMessage(final int typeId, final ByteBuffer payload) {
        final Route current = route;
        if (current.fanOut) {
            fanOut.send(frameType, size, payload);
        }
        for (final AeronPeerLink link : current.unicast) {
            link.sendFrame(frameType, size, payload);
        }
    }
}
