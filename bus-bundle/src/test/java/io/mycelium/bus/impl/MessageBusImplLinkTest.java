package io.mycelium.bus.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.Delivery;
import io.mycelium.api.MessageBus;
import io.mycelium.api.Subscription;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** API 1.1 for transports: link subscriptions, publishes from links, and local-interest notifications. */
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
        bus.subscribeLink(TYPE, (id, p) -> link.incrementAndGet());

        bus.publishFromLink(TYPE, payload());
        assertEquals(1, local.get());
        assertEquals(0, link.get(), "no echo and no re-forwarding to links");

        bus.publishRaw(TYPE, payload());
        assertEquals(2, local.get());
        assertEquals(1, link.get(), "local publishes reach links");
    }

    @Test
    void shouldReachLinksWhenTypedMessageIsPublishedLocally() {
        final AtomicInteger link = new AtomicInteger();
        bus.subscribeLink(Tick.TYPE.typeId(), (id, p) -> {
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

        final Subscription link = bus.subscribeLink(TYPE, (id, p) -> { });
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
    void shouldExposeLinkMethodsThroughServiceViews() throws Exception {
        final MessageBus view = bus.forService("svc");
        final AtomicInteger link = new AtomicInteger();
        view.subscribeLink(TYPE, (id, p) -> link.incrementAndGet());
        final List<Integer> interested = new ArrayList<>();
        try (AutoCloseable watch = view.watchInterest((typeId, on) -> interested.add(typeId))) {
            view.subscribeRaw(TYPE, (id, p) -> { }, Delivery.INLINE);
        }
        view.publishFromLink(TYPE, payload());
        assertEquals(0, link.get());
        assertTrue(interested.contains(TYPE));
    }
}
