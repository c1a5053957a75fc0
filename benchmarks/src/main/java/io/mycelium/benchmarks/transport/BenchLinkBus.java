package io.mycelium.benchmarks.transport;

import io.mycelium.api.RawMessageHandler;
import io.mycelium.transport.stream.LinkBus;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A minimal bus for transport benchmarks: two 64-byte types, fixed local interest, taps kept for the harness to
 * publish through, and a delivery hook. Delivery runs on the link's reader thread.
 */
final class BenchLinkBus implements LinkBus {

    static final int PING = 1001;
    static final int PONG = 1002;
    static final int SIZE = 64;

    /** What a delivered frame does. */
    interface Delivered {
        void frame(int typeId, ByteBuffer payload);
    }

    private final int wanted;
    private final AtomicReferenceArray<RawMessageHandler> taps = new AtomicReferenceArray<>(0x10000);
    private final Delivered delivered;

    BenchLinkBus(final int wanted, final Delivered delivered) {
        this.wanted = wanted;
        this.delivered = delivered;
    }

    @Override
    public int payloadSize(final int typeId) {
        return typeId == PING || typeId == PONG ? SIZE : -1;
    }

    @Override
    public int[] typeIds() {
        return new int[] {PING, PONG};
    }

    @Override
    public void deliverFromPeer(final int typeId, final ByteBuffer payload) {
        delivered.frame(typeId, payload);
    }

    @Override
    public AutoCloseable tap(final int typeId, final RawMessageHandler handler) {
        taps.set(typeId, handler);
        return () -> taps.set(typeId, null);
    }

    @Override
    public AutoCloseable watchInterest(final InterestListener listener) {
        listener.interestChanged(wanted, true);
        return () -> { };
    }

    /** Says whether a peer subscribed to {@code typeId}. */
    boolean hasTap(final int typeId) {
        return taps.get(typeId) != null;
    }

    /** Publishes locally: hands the payload to the tap of {@code typeId}; returns false when no peer wants it yet. */
    boolean publish(final int typeId, final ByteBuffer payload) {
        final RawMessageHandler handler = taps.get(typeId);
        if (handler == null) {
            return false;
        }
        handler.onMessage(typeId, payload);
        return true;
    }
}
