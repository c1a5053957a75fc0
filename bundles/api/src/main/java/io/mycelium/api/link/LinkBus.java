package io.mycelium.api.link;

import io.mycelium.api.RawMessageHandler;
import io.mycelium.api.Subscription;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The node's bus as a transport link sees it: taps on what local publishers send, a way to hand a peer's frames to
 * local subscribers only, and which types local subscribers want. The bus bundle registers it beside
 * {@link io.mycelium.api.MessageBus}; both are views of the one bus of the node.
 *
 * <p>All methods are safe for any number of threads.
 *
 * <p>Echo and loops are ruled out by a message's origin, not by the thread that carries it: a payload handed in with
 * {@link #deliverFromPeer} never reaches a tap, while anything a subscriber publishes in reaction to it (inline, on
 * the link's reader thread, or later) is a new publish that reaches every tap that wants its type.
 */
@ProviderType
public interface LinkBus {

    /**
     * Delivers a payload received from a peer to this node's local subscribers only: never to a tap, so that a frame
     * is neither echoed to the peer that sent it nor forwarded to other links.
     *
     * @param typeId  the type id, in {@code [0, 65535]}
     * @param payload the payload from its position to its limit; read during the call only, position unchanged
     * @throws IllegalArgumentException if {@code typeId} is out of range, or the payload size does not match the
     *                                  size of the type registered for {@code typeId} by an active schema
     * @throws io.mycelium.api.MyceliumException if a queued subscriber with overflow {@code FAIL} is full (every
     *                                  other subscriber still receives the payload)
     */
    void deliverFromPeer(int typeId, ByteBuffer payload);

    /**
     * Opens a tap: {@code handler} runs inline on the publisher's thread for every publish of {@code typeId} made on
     * this node, but not for payloads handed in with {@link #deliverFromPeer}. A tap is not local interest: it never
     * triggers an {@link InterestListener}.
     *
     * @param typeId  the type id, in {@code [0, 65535]}
     * @param handler the link's handler; it must not block
     * @return the open tap; closing it is idempotent
     * @throws IllegalArgumentException if {@code typeId} is out of range
     * @throws io.mycelium.api.MyceliumException if the bus is closed
     */
    Subscription tap(int typeId, RawMessageHandler handler);

    /**
     * Watches local interest: {@code listener} is called at once, before this method returns, for every type id
     * that has a local (non-tap) subscriber, and afterwards on every change (see {@link InterestListener}).
     *
     * @param listener the listener
     * @return closes the watch; idempotent
     */
    AutoCloseable watchInterest(InterestListener listener);
}
