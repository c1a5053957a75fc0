package io.mycelium.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.Delivery;
import io.mycelium.api.MessageType;
import io.mycelium.api.Subscription;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The loopback bus keeps the node bus's contract that tests rely on: origin-based taps, interest, typed and raw. */
class LoopbackBusTest {

    private static final int TYPE = 1001;
    private static final RawSchema SCHEMA = new RawSchema("t", new byte[32], Map.of(TYPE, 4));
    @SuppressWarnings("unchecked")
    private static final MessageType<byte[]> RAW = (MessageType<byte[]>) SCHEMA.type(TYPE);

    @Test
    void shouldReachTapsWithLocalPublishesOnlyWhenPayloadComesFromPeer() {
        final LoopbackBus bus = LoopbackBus.recording();
        final AtomicInteger local = new AtomicInteger();
        final AtomicInteger tap = new AtomicInteger();
        bus.subscribeRaw(TYPE, (id, p) -> local.incrementAndGet(), Delivery.INLINE);
        bus.tap(TYPE, (id, p) -> tap.incrementAndGet());

        bus.deliverFromPeer(TYPE, ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
        assertEquals(1, local.get());
        assertEquals(0, tap.get(), "no echo to links");
        assertArrayEquals(new byte[] {1, 2, 3, 4}, bus.fromPeer(TYPE).get(0).payload());

        bus.publishRaw(TYPE, ByteBuffer.allocate(4));
        assertEquals(2, local.get());
        assertEquals(1, tap.get());
        assertEquals(2, bus.published(TYPE));
    }

    /** A test that waits for a recorded frame and then changes the subscribers must know the frame met the old ones. */
    @Test
    void shouldRecordAPeersPayloadOnlyOnceItsSubscribersRanEvenWhenOneFails() {
        final LoopbackBus bus = LoopbackBus.recording();
        final List<Integer> recordedDuringDelivery = new ArrayList<>();
        bus.subscribeRaw(TYPE, (id, p) -> {
            recordedDuringDelivery.add(bus.fromPeer().size());
            throw new IllegalStateException("handler bug");
        }, Delivery.INLINE);

        assertThrows(IllegalStateException.class,
                () -> bus.deliverFromPeer(TYPE, ByteBuffer.wrap(new byte[] {5, 6, 7, 8})));

        assertEquals(List.of(0), recordedDuringDelivery, "not recorded while its subscriber ran");
        assertArrayEquals(new byte[] {5, 6, 7, 8}, bus.fromPeer(TYPE).get(0).payload(), "recorded although it failed");
    }

    @Test
    void shouldReachTapsWhenInlineHandlerRepublishesPeerPayload() {
        final LoopbackBus bus = new LoopbackBus();
        final AtomicInteger replies = new AtomicInteger();
        bus.subscribeRaw(TYPE, (id, p) -> bus.publishRaw(TYPE + 1, p), Delivery.INLINE);
        bus.tap(TYPE + 1, (id, p) -> replies.incrementAndGet());
        bus.deliverFromPeer(TYPE, ByteBuffer.allocate(4));
        assertEquals(1, replies.get());
    }

    @Test
    void shouldReportFirstAndLastLocalSubscriberButNotTapsWhenWatched() throws Exception {
        final LoopbackBus bus = new LoopbackBus();
        final Subscription early = bus.subscribeRaw(7, (id, p) -> { }, Delivery.INLINE);
        final List<String> events = new ArrayList<>();
        final AutoCloseable watch = bus.watchInterest((typeId, on) -> events.add(typeId + "=" + on));
        assertEquals(List.of("7=true"), events);
        final Subscription tap = bus.tap(TYPE, (id, p) -> { });
        final Subscription first = bus.subscribe(RAW, m -> { }, Delivery.queued());
        final Subscription second = bus.subscribeRaw(TYPE, (id, p) -> { }, Delivery.INLINE);
        first.close();
        second.close();
        early.close();
        tap.close();
        watch.close();
        bus.subscribeRaw(TYPE, (id, p) -> { }, Delivery.INLINE);
        assertEquals(List.of("7=true", TYPE + "=true", TYPE + "=false", "7=false"), events);
        assertEquals(1, bus.subscribers(TYPE));
        assertEquals(0, bus.taps(TYPE));
    }

    @Test
    void shouldPassObjectByReferenceAndEncodeForRawConsumersWhenTypedMessageIsPublished() {
        final LoopbackBus bus = new LoopbackBus();
        final List<Object> typed = new ArrayList<>();
        final List<byte[]> raw = new ArrayList<>();
        bus.forService("svc").subscribe(RAW, typed::add, Delivery.INLINE);
        bus.tap(TYPE, (id, p) -> {
            final byte[] bytes = new byte[p.remaining()];
            p.get(bytes);
            raw.add(bytes);
        });
        final byte[] message = {9, 8, 7, 6};
        bus.publish(RAW, message);
        assertSame(message, typed.get(0));
        assertArrayEquals(message, raw.get(0));
        assertEquals("svc", bus.forService("svc").serviceName());
    }

    @Test
    void shouldCallEveryHandlerAndThenThrowWhenOneFails() {
        final LoopbackBus bus = new LoopbackBus();
        final AtomicInteger after = new AtomicInteger();
        final Subscription failing = bus.subscribeRaw(TYPE, (id, p) -> {
            throw new IllegalStateException("handler bug");
        }, Delivery.INLINE);
        bus.subscribeRaw(TYPE, (id, p) -> after.incrementAndGet(), Delivery.INLINE);
        assertThrows(IllegalStateException.class, () -> bus.deliverFromPeer(TYPE, ByteBuffer.allocate(4)));
        assertEquals(1, after.get());
        assertEquals(1, failing.stats().handlerErrors());
        assertTrue(failing.stats().raw());
    }
}
