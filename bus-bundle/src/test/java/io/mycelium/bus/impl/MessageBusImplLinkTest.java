package io.mycelium.bus.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.Delivery;
import io.mycelium.api.MessageBus;
import io.mycelium.api.Subscription;
import io.mycelium.api.link.LinkBus;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bus as a {@link LinkBus} for transports: taps, deliveries from peers, and local-interest notifications. */
class MessageBusImplLinkTest {

    private static final int TYPE = 1001;

    private final MessageBusImpl bus = new MessageBusImpl(BusSettings.defaults(), new CapturingLogSink(), null);

    @AfterEach
    void close() {
        bus.close();
    }

    private static ByteBuffer payload() {
        return ByteBuffer.allocate(8);
    }

    @Test
    void shouldDeliverLinkPublishToLocalSubscribersOnlyWhenFrameComesFromPeer() {
        final AtomicInteger local = new AtomicInteger();
        final AtomicInteger link = new AtomicInteger();
        bus.subscribeRaw(TYPE, (id, p) -> local.incrementAndGet(), Delivery.INLINE);
        bus.tap(TYPE, (id, p) -> link.incrementAndGet());

        bus.deliverFromPeer(TYPE, payload());
        assertEquals(1, local.get());
        assertEquals(0, link.get(), "no echo and no re-forwarding to links");

        bus.publishRaw(TYPE, payload());
        assertEquals(2, local.get());
        assertEquals(1, link.get(), "local publishes reach links");
    }

    @Test
    void shouldLendReadOnlyPeerPayloadToEachInlineSubscriberAndRestoreItWhenHandlersMoveOrThrow() {
        final List<Long> seen = new ArrayList<>();
        bus.subscribeRaw(TYPE, (id, p) -> {
            seen.add(p.getLong(p.position()));
            p.position(p.limit()); // a handler that consumes the view
        }, Delivery.INLINE);
        bus.subscribeRaw(TYPE, (id, p) -> {
            seen.add(p.getLong(p.position()));
            throw new IllegalStateException("subscriber bug");
        }, Delivery.INLINE);
        final ByteBuffer read = ByteBuffer.allocateDirect(32);
        read.putLong(8, 77);
        final ByteBuffer lent = read.asReadOnlyBuffer();
        lent.limit(16).position(8);

        bus.deliverFromPeer(TYPE, lent);
        bus.deliverFromPeer(TYPE, lent);
        assertEquals(List.of(77L, 77L, 77L, 77L), seen, "each subscriber got the payload from its first byte");
        assertEquals(8, lent.position(), "position restored");
        assertEquals(16, lent.limit(), "limit restored");
        assertEquals(2, bus.stats().type(TYPE).handlerErrors(), "a throwing handler is counted as on any path");
        assertEquals(4, bus.stats().type(TYPE).delivered());
    }

    /** A link's read buffer: {@code count} frames of 8-byte payloads (the value i+1 each) behind 6-byte headers. */
    private static ByteBuffer frames(final int count) {
        final ByteBuffer read = ByteBuffer.allocateDirect(6 + count * 14);
        for (int i = 0; i < count; i++) {
            read.putLong(6 + i * 14, i + 1);
        }
        return read.asReadOnlyBuffer();
    }

    @Test
    void shouldDeliverEveryFrameOfRunInOrderToEachInlineSubscriberAndCountThemWhenRunComesFromPeer() {
        final List<String> seen = new ArrayList<>();
        final AtomicInteger link = new AtomicInteger();
        bus.subscribeRaw(TYPE, (id, p) -> {
            seen.add("a" + p.getLong(p.position()) + "/" + p.remaining());
            p.position(p.limit()); // a handler that consumes its view
        }, Delivery.INLINE);
        bus.tap(TYPE, (id, p) -> link.incrementAndGet());
        final ByteBuffer run = frames(3);
        run.limit(20).position(2);

        assertEquals(3, bus.deliverRunFromPeer(TYPE, run, 6, 8, 14, 3));
        assertEquals(List.of("a1/8", "a2/8", "a3/8"), seen);
        assertEquals(0, link.get(), "no echo and no re-forwarding to links");
        assertEquals(2, run.position(), "position restored");
        assertEquals(20, run.limit(), "limit restored");
        assertEquals(3, bus.stats().type(TYPE).published());
        assertEquals(3, bus.stats().type(TYPE).delivered());

        seen.clear();
        bus.subscribeRaw(TYPE, (id, p) -> seen.add("b" + p.getLong(p.position())), Delivery.INLINE);
        assertEquals(2, bus.deliverRunFromPeer(TYPE, run, 6, 8, 14, 2));
        assertEquals(List.of("a1/8", "b1", "a2/8", "b2"), seen, "frame by frame, each to every subscriber");
        assertEquals(5, bus.stats().type(TYPE).published());
        assertEquals(7, bus.stats().type(TYPE).delivered());
    }

    @Test
    void shouldStopRunForSubscriberWhenItIsClosedMidRun() {
        final List<Long> seen = new ArrayList<>();
        final Subscription[] self = new Subscription[1];
        self[0] = bus.subscribeRaw(TYPE, (id, p) -> {
            seen.add(p.getLong(p.position()));
            if (seen.size() == 2) {
                self[0].close();
            }
        }, Delivery.INLINE);

        assertEquals(4, bus.deliverRunFromPeer(TYPE, frames(4), 6, 8, 14, 4));
        assertEquals(List.of(1L, 2L), seen, "nothing after its close");
        assertEquals(2, bus.stats().type(TYPE).delivered());
    }

    @Test
    void shouldCountRunAsUnroutedWhenTypeHasNoLocalSubscriber() {
        bus.tap(TYPE, (id, p) -> {
            throw new AssertionError("a peer's frame reached a tap");
        });
        assertEquals(5, bus.deliverRunFromPeer(TYPE, frames(5), 6, 8, 14, 5));
        assertEquals(5, bus.stats().type(TYPE).published());
        assertEquals(5, bus.stats().type(TYPE).unrouted());
    }

    @Test
    void shouldTakeNoRunWhenSubscriberIsQueuedOrBufferIsWritable() throws Exception {
        final java.util.concurrent.CountDownLatch got = new java.util.concurrent.CountDownLatch(2);
        final Subscription queued = bus.subscribeRaw(TYPE, (id, p) -> got.countDown(), Delivery.queued());
        assertEquals(0, bus.deliverRunFromPeer(TYPE, frames(2), 6, 8, 14, 2), "the caller delivers one by one");
        assertEquals(0, bus.stats().type(TYPE).published(), "nothing counted for a run not taken");
        queued.close();
        bus.subscribeRaw(TYPE, (id, p) -> got.countDown(), Delivery.INLINE);
        assertEquals(0, bus.deliverRunFromPeer(TYPE, ByteBuffer.allocate(30), 6, 8, 14, 2),
                "a writable buffer is not lent in place");
        assertEquals(1, bus.deliverRunFromPeer(TYPE, frames(1), 6, 8, 14, 1));
    }

    @Test
    void shouldRefuseWholeRunWhenLengthDiffersFromActiveSchemaSize() {
        bus.addSchema(new TestSchema("test", 'a', Tick.TYPE));
        final AtomicInteger local = new AtomicInteger();
        bus.subscribeRaw(Tick.TYPE.typeId(), (id, p) -> local.incrementAndGet(), Delivery.INLINE);
        final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> bus.deliverRunFromPeer(Tick.TYPE.typeId(), frames(2), 6, Tick.TYPE.size() + 1, 14, 2));
        assertTrue(e.getMessage().contains("has size " + Tick.TYPE.size()), e.getMessage());
        assertEquals(0, local.get(), "none delivered");
    }

    @Test
    void shouldGiveEachHandlerItsOwnReadOnlyViewWhenRawPublishIsReusedOrReentrant() {
        final List<String> seen = new ArrayList<>();
        final ByteBuffer inner = ByteBuffer.allocate(8).putLong(0, 2);
        bus.subscribeRaw(TYPE, (id, p) -> {
            final long value = p.getLong(p.position());
            seen.add("sub:" + value);
            assertTrue(p.isReadOnly(), "a view, not the publisher's buffer");
            if (value == 1) {
                bus.publishRaw(TYPE, inner); // re-entrant publish of another buffer on the same thread
                assertEquals(1, p.getLong(p.position()), "the outer view is unchanged by the inner publish");
            }
            p.position(p.limit());
        }, Delivery.INLINE);
        bus.tap(TYPE, (id, p) -> seen.add("tap:" + p.getLong(p.position())));
        final ByteBuffer outer = ByteBuffer.allocate(16).putLong(4, 1);
        outer.limit(12).position(4);

        bus.publishRaw(TYPE, outer);
        outer.putLong(4, 3);
        bus.publishRaw(TYPE, outer); // the same buffer again, new content
        assertEquals(List.of("sub:1", "sub:2", "tap:2", "tap:1", "sub:3", "tap:3"), seen);
        assertEquals(4, outer.position(), "the publisher's buffer is untouched");
        assertEquals(12, outer.limit());
    }

    @Test
    void shouldReachLinksWhenTypedMessageIsPublishedLocally() {
        final AtomicInteger link = new AtomicInteger();
        bus.tap(Tick.TYPE.typeId(), (id, p) -> {
            assertEquals(Tick.TYPE.size(), p.remaining());
            link.incrementAndGet();
        });
        bus.publish(Tick.TYPE, new Tick(1, 2));
        assertEquals(1, link.get());
        assertEquals(0, bus.stats().type(Tick.TYPE.typeId()).unrouted());
    }

    @Test
    void shouldNotifyInterestOnFirstAndLastLocalSubscriberButNotForLinks() throws Exception {
        final List<String> events = new ArrayList<>();
        final Subscription early = bus.subscribeRaw(2002, (id, p) -> { }, Delivery.INLINE);
        final AutoCloseable watch = bus.watchInterest((typeId, on) -> events.add(typeId + "=" + on));
        assertEquals(List.of("2002=true"), events, "current interest is replayed at once");

        final Subscription link = bus.tap(TYPE, (id, p) -> { });
        assertEquals(List.of("2002=true"), events, "a link subscription is not local interest");

        final Subscription first = bus.subscribeRaw(TYPE, (id, p) -> { }, Delivery.INLINE);
        final Subscription second = bus.subscribeRaw(TYPE, (id, p) -> { }, Delivery.queued());
        first.close();
        assertEquals(List.of("2002=true", TYPE + "=true"), events);
        second.close();
        early.close();
        link.close();
        assertEquals(List.of("2002=true", TYPE + "=true", TYPE + "=false", "2002=false"), events);

        watch.close();
        bus.subscribeRaw(TYPE, (id, p) -> { }, Delivery.INLINE);
        assertEquals(4, events.size(), "no calls after the watch is closed");
    }

    @Test
    void shouldKeepNotifyingWhenOneListenerThrows() throws Exception {
        final AtomicInteger calls = new AtomicInteger();
        bus.watchInterest((typeId, on) -> {
            throw new IllegalStateException("listener bug");
        });
        bus.watchInterest((typeId, on) -> calls.incrementAndGet());
        bus.subscribeRaw(TYPE, (id, p) -> { }, Delivery.INLINE);
        assertEquals(1, calls.get());
    }

    @Test
    void shouldCountServiceViewSubscriptionsAsLocalInterestWhenWatchedThroughLinkBus() throws Exception {
        final LinkBus links = bus;
        final MessageBus view = bus.forService("svc");
        final AtomicInteger link = new AtomicInteger();
        links.tap(TYPE, (id, p) -> link.incrementAndGet());
        final List<Integer> interested = new ArrayList<>();
        try (AutoCloseable watch = links.watchInterest((typeId, on) -> interested.add(typeId))) {
            view.subscribeRaw(TYPE, (id, p) -> { }, Delivery.INLINE);
        }
        links.deliverFromPeer(TYPE, payload());
        assertEquals(0, link.get());
        assertTrue(interested.contains(TYPE));
    }

    @Test
    void shouldReachTapsWhenInlineHandlerRepublishesPeerPayload() throws Exception {
        final int reply = TYPE + 1;
        final AtomicInteger requestTaps = new AtomicInteger();
        final AtomicInteger replyTaps = new AtomicInteger();
        bus.tap(TYPE, (id, p) -> requestTaps.incrementAndGet());
        bus.tap(reply, (id, p) -> replyTaps.incrementAndGet());
        bus.forService("responder").subscribeRaw(TYPE, (id, p) -> bus.forService("responder").publishRaw(reply, p),
            Delivery.INLINE);

        // A link's reader thread delivers, and the inline handler answers on that same thread: the answer is a new
        // local publish, so it leaves the node through the taps, while the peer's frame itself is not echoed.
        final Thread reader = new Thread(() -> bus.deliverFromPeer(TYPE, payload()), "mycelium-unix-reader-test");
        reader.start();
        reader.join();
        assertEquals(0, requestTaps.get(), "the peer's frame is not echoed");
        assertEquals(1, replyTaps.get(), "the reply published on the reader thread reaches the taps");
    }
}
