package io.mycelium.transport.stream;

import io.mycelium.api.RawMessageHandler;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A bus for link tests: two types (1001, 16 bytes; 1002, 8 bytes), settable local interest, and a record of what
 * peers delivered. Thread-safe.
 */
final class FakeLinkBus implements LinkBus {

    static final int TYPE_A = 1001;
    static final int SIZE_A = 16;
    static final int TYPE_B = 1002;
    static final int SIZE_B = 8;

    /** A frame a peer delivered. */
    record Received(int typeId, byte[] payload) {
    }

    final List<Received> received = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, List<RawMessageHandler>> taps = new ConcurrentHashMap<>();
    private final List<InterestListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Integer, Boolean> interest = new ConcurrentHashMap<>();
    private volatile RuntimeException failDelivery;

    FakeLinkBus(final int... interestedTypes) {
        for (final int type : interestedTypes) {
            interest.put(type, true);
        }
    }

    @Override
    public int payloadSize(final int typeId) {
        return typeId == TYPE_A ? SIZE_A : typeId == TYPE_B ? SIZE_B : -1;
    }

    @Override
    public int[] typeIds() {
        return new int[] {TYPE_A, TYPE_B};
    }

    @Override
    public void deliverFromPeer(final int typeId, final ByteBuffer payload) {
        final RuntimeException failure = failDelivery;
        if (failure != null) {
            throw failure;
        }
        final byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        received.add(new Received(typeId, bytes));
    }

    @Override
    public synchronized AutoCloseable tap(final int typeId, final RawMessageHandler handler) {
        taps.computeIfAbsent(typeId, id -> new CopyOnWriteArrayList<>()).add(handler);
        return () -> taps.get(typeId).remove(handler);
    }

    @Override
    public synchronized AutoCloseable watchInterest(final InterestListener listener) {
        listeners.add(listener);
        interest.forEach((type, on) -> {
            if (on) {
                listener.interestChanged(type, true);
            }
        });
        return () -> listeners.remove(listener);
    }

    /** Changes local interest in {@code typeId} and notifies watchers. */
    synchronized void interested(final int typeId, final boolean on) {
        interest.put(typeId, on);
        for (final InterestListener listener : listeners) {
            listener.interestChanged(typeId, on);
        }
    }

    /** Publishes locally: every tap of the type gets the payload. */
    void publishLocal(final int typeId, final byte[] payload) {
        final ByteBuffer buffer = ByteBuffer.wrap(payload);
        for (final RawMessageHandler handler : taps.getOrDefault(typeId, List.of())) {
            handler.onMessage(typeId, buffer);
        }
    }

    /** Returns how many taps of {@code typeId} are open. */
    int taps(final int typeId) {
        return taps.getOrDefault(typeId, List.of()).size();
    }

    /** Makes every later delivery throw {@code failure}. */
    void failDeliveries(final RuntimeException failure) {
        failDelivery = failure;
    }

    List<Received> received(final int typeId) {
        final List<Received> out = new ArrayList<>();
        synchronized (received) {
            for (final Received frame : received) {
                if (frame.typeId() == typeId) {
                    out.add(frame);
                }
            }
        }
        return out;
    }
}
