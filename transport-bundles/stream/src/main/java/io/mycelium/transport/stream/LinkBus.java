package io.mycelium.transport.stream;

import io.mycelium.api.RawMessageHandler;

import java.nio.ByteBuffer;

/**
 * The node's bus as stream links see it: what local subscribers want, the frames local publishers send, and a way
 * to hand peers' frames to local subscribers only.
 *
 * <p>Implementations are thread-safe. {@link MessageBusLinkBus} adapts an {@link io.mycelium.api.MessageBus}.
 */
public interface LinkBus {

    /**
     * Returns the payload size of {@code typeId} in the node's schema, or -1 when the schema has no such type.
     * Called on link reader threads for every frame, so it must not allocate.
     */
    int payloadSize(int typeId);

    /** Returns every application type id of the node's schema (a legacy client receives all of them). */
    int[] typeIds();

    /**
     * Delivers a frame received from a peer to this node's local subscribers only: never to a tap, so that a frame
     * is neither echoed to its sender nor forwarded to other links. Called on a link's reader thread.
     *
     * @param payload the payload from its position to its limit, valid during the call only
     */
    void deliverFromPeer(int typeId, ByteBuffer payload);

    /**
     * Opens a tap: {@code handler} receives, inline on the publisher's thread, every payload of {@code typeId} that
     * a local publisher sends. A tap is not a local subscriber: it never changes local interest.
     *
     * @return closes the tap
     */
    AutoCloseable tap(int typeId, RawMessageHandler handler);

    /**
     * Watches which type ids have local subscribers: {@code listener} is called at once for every type id that has
     * one, then on every change, possibly from any thread but never concurrently.
     *
     * @return stops the watch
     */
    AutoCloseable watchInterest(InterestListener listener);

    /** Learns when a type id gains its first or loses its last local subscriber. */
    @FunctionalInterface
    interface InterestListener {

        /**
         * @param typeId     the application type id
         * @param interested whether it now has at least one local subscriber
         */
        void interestChanged(int typeId, boolean interested);
    }
}
