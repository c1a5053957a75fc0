package io.mycelium.bus.impl;

import static io.mycelium.bus.impl.MessageBusImplTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mycelium.api.Delivery;
import io.mycelium.api.Delivery.Overflow;
import io.mycelium.api.MyceliumException;
import io.mycelium.api.Subscription;

/** Overflow policies and queue counters of queued subscriptions. */
class QueuedSubscriptionTest {

    private static final int CAPACITY = 4;

    private final CapturingLogSink log = new CapturingLogSink();
    private final MessageBusImpl bus = new MessageBusImpl(BusSettings.defaults(), log, null);
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Long> got = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeBus() {
        release.countDown();
        bus.close();
    }

    /** Subscribes a handler that blocks on the first message, so the queue behind it fills up. */
    private Subscription stalledSubscriber(final Overflow overflow) throws InterruptedException {
        final Subscription s = bus.subscribe(Tick.TYPE, t -> {
            entered.countDown();
            await(release);
            got.add(t.seq());
        }, Delivery.queued(CAPACITY, overflow));
        bus.publish(new Tick(0, 0));
        assertTrue(entered.await(10, TimeUnit.SECONDS), "dispatcher took message 0");
        for (long i = 1; i <= CAPACITY; i++) {
            bus.publish(new Tick(i, 0));
        }
        return s;
    }

    @Test
    void shouldDropOldestWhenSubscriberQueueFull() throws InterruptedException {
        final Subscription s = stalledSubscriber(Overflow.DROP_OLDEST);
        bus.publish(new Tick(5, 0));
        bus.publish(new Tick(6, 0));
        assertEquals(2, s.stats().dropped());
        release.countDown();
        Await.until("all left delivered", () -> got.size() == 1 + CAPACITY);
        assertEquals(List.of(0L, 3L, 4L, 5L, 6L), got);
        assertEquals(CAPACITY, s.stats().queueHighWaterMark());
        assertEquals(2, bus.stats().type(1001).dropped());
    }

    @Test
    void shouldDropNewestWhenSubscriberQueueFull() throws InterruptedException {
        final Subscription s = stalledSubscriber(Overflow.DROP_NEWEST);
        bus.publish(new Tick(5, 0));
        bus.publish(new Tick(6, 0));
        assertEquals(2, s.stats().dropped());
        assertEquals(CAPACITY, s.stats().queueDepth());
        release.countDown();
        Await.until("all left delivered", () -> got.size() == 1 + CAPACITY);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), got);
    }

    @Test
    void shouldBlockPublisherWhenSubscriberQueueFull() throws InterruptedException {
        final Subscription s = stalledSubscriber(Overflow.BLOCK);
        final Thread publisher = new Thread(() -> bus.publish(new Tick(5, 0)));
        publisher.start();
        Await.until("publisher waits", () -> publisher.getState() == Thread.State.TIMED_WAITING
            || publisher.getState() == Thread.State.RUNNABLE && !publisher.isAlive());
        assertTrue(publisher.isAlive(), "publisher is held while the queue is full");
        release.countDown();
        publisher.join(10_000);
        assertFalse(publisher.isAlive());
        Await.until("all delivered", () -> got.size() == 2 + CAPACITY);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), got);
        assertEquals(0, s.stats().dropped());
    }

    @Test
    void shouldFailPublishButDeliverToOthersWhenSubscriberQueueFull() throws InterruptedException {
        final List<Long> other = new CopyOnWriteArrayList<>();
        final Subscription s = stalledSubscriber(Overflow.FAIL);
        bus.forService("other").subscribe(Tick.TYPE, t -> other.add(t.seq()));
        final MyceliumException e = assertThrows(MyceliumException.class, () -> bus.publish(new Tick(5, 0)));
        assertTrue(e.getMessage().contains("is full (capacity 4, overflow FAIL)"), e.getMessage());
        assertEquals(List.of(5L), other, "the other subscriber still got the message");
        assertEquals(1, s.stats().dropped());
    }

    @Test
    void shouldReportInterruptWhenBlockedPublisherInterrupted() throws InterruptedException {
        stalledSubscriber(Overflow.BLOCK);
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final Thread publisher = new Thread(() -> {
            try {
                bus.publish(new Tick(5, 0));
            } catch (final MyceliumException e) {
                thrown.set(e);
            }
        });
        publisher.start();
        Await.until("publisher waits", () -> publisher.getState() == Thread.State.TIMED_WAITING);
        publisher.interrupt();
        publisher.join(10_000);
        assertTrue(thrown.get().getMessage().contains("interrupted"), String.valueOf(thrown.get()));
    }

    @Test
    void shouldDropWithWarningWhenHandlerPublishesToItsOwnFullBlockQueue() throws InterruptedException {
        final CountDownLatch done = new CountDownLatch(1);
        final Subscription[] self = new Subscription[1];
        self[0] = bus.subscribe(Tick.TYPE, t -> {
            if (t.seq() == 0) {
                for (int i = 1; i <= CAPACITY + 1; i++) {
                    bus.publish(new Tick(i, 0));
                }
                done.countDown();
            }
        }, Delivery.queued(CAPACITY, Overflow.BLOCK));
        bus.publish(new Tick(0, 0));
        assertTrue(done.await(10, TimeUnit.SECONDS), "handler did not deadlock");
        assertEquals(1, self[0].stats().dropped());
        assertTrue(log.warnings().stream().anyMatch(l -> l.message().contains("would deadlock")));
    }

    @Test
    void shouldTrackDepthAndHighWaterMarkWhenBacklogged() throws InterruptedException {
        final Subscription s = stalledSubscriber(Overflow.DROP_NEWEST);
        assertEquals(CAPACITY, s.stats().queueDepth());
        release.countDown();
        Await.until("drained", () -> s.stats().queueDepth() == 0 && got.size() == 1 + CAPACITY);
        assertEquals(CAPACITY, s.stats().queueHighWaterMark());
        assertEquals(1 + CAPACITY, s.stats().delivered());
    }
}
