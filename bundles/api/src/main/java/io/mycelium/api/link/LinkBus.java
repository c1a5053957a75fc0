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
     * Delivers a run of {@code count} payloads of one type that a link received back to back, as {@code count} calls
     * of {@link #deliverFromPeer} in order would, but with the work per type (lookup, size check, subscriber
     * snapshot, counters) done once for the run; or delivers none and returns 0, and the caller then delivers them
     * one by one with {@link #deliverFromPeer}. The bus takes a run when it can hand the payloads in place to
     * subscribers that cannot fail the delivery (inline raw handlers, whose failures the bus counts and logs itself).
     * The default takes none.
     *
     * @param typeId the type id, in {@code [0, 65535]}
     * @param frames a read-only buffer holding payload {@code i} ({@code 0 <= i < count}) at
     *               {@code [offset + i * stride, offset + i * stride + length)}; only read during the call; its
     *               position and limit are the bus's during the call and restored when it returns
     * @param offset where the first payload starts
     * @param length the length of every payload
     * @param stride the distance from one payload to the next, at least {@code length}
     * @param count  the number of payloads, at least 1
     * @return {@code count} when the run was delivered, 0 when none was
     * @throws IllegalArgumentException if {@code typeId} is out of range, or {@code length} does not match the size
     *                                  of the type registered for {@code typeId} by an active schema (none is
     *                                  delivered)
     * @since 1.2
     */
    default int deliverRunFromPeer(final int typeId, final ByteBuffer frames, final int offset, final int length,
            final int stride, final int count) {
        return 0;
    }

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
