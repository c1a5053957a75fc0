package io.mycelium.bus.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mycelium.api.Delivery;
import io.mycelium.api.Delivery.Overflow;
import io.mycelium.api.MessageHandler;

/** Real publisher threads: each subscriber sees each publisher's messages in publish order, none lost. */
class MessageBusImplConcurrentTest {

    private static final int PUBLISHERS = 3;
    private static final int PER_PUBLISHER = 200_000;

    private final MessageBusImpl bus = new MessageBusImpl(BusSettings.defaults(), new CapturingLogSink(), null);

    @AfterEach
    void closeBus() {
        bus.close();
    }

    /** Checks per-source sequence; inline handlers run on several threads at once, so it synchronises. */
    static final class OrderChecker implements MessageHandler<Tick> {
        final long[] next = new long[PUBLISHERS];
        final boolean gapsAllowed;
        long received;
        String violation;

        OrderChecker(final boolean gapsAllowed) {
            this.gapsAllowed = gapsAllowed;
        }

        @Override
        public synchronized void onMessage(final Tick t) {
            final boolean bad = gapsAllowed ? t.seq() < next[t.source()] : t.seq() != next[t.source()];
            if (bad && violation == null) {
                violation = "source " + t.source() + ": expected " + next[t.source()] + " got " + t.seq();
            }
            next[t.source()] = t.seq() + 1;
            received++;
        }

        synchronized long received() {
            return received;
        }
    }

    @Test
    void shouldKeepPerPublisherOrderWhenPublishersRace() throws Exception {
        final OrderChecker inline = new OrderChecker(false);
        final OrderChecker blockQueued = new OrderChecker(false);
        final OrderChecker smallBlockQueued = new OrderChecker(false);
        final OrderChecker rawDecoded = new OrderChecker(false);
        bus.subscribe(Tick.TYPE, inline);
        bus.subscribe(Tick.TYPE, blockQueued, Delivery.queued(1024, Overflow.BLOCK));
        bus.subscribe(Tick.TYPE, smallBlockQueued, Delivery.queued(8, Overflow.BLOCK));
        bus.subscribeRaw(1001, (id, p) -> rawDecoded.onMessage(Tick.TYPE.decode(p, p.position())),
            Delivery.queued(256, Overflow.BLOCK));
        final CyclicBarrier start = new CyclicBarrier(PUBLISHERS);
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            final int source = p;
            final Thread t = new Thread(() -> {
                try {
                    start.await(10, TimeUnit.SECONDS);
                } catch (final Exception e) {
                    throw new AssertionError(e);
                }
                for (long i = 0; i < PER_PUBLISHER; i++) {
                    bus.publish(new Tick(i, source));
                }
            });
            t.start();
            threads.add(t);
        }
        for (final Thread t : threads) {
            t.join(60_000);
        }
        final long total = (long) PUBLISHERS * PER_PUBLISHER;
        for (final OrderChecker c : List.of(inline, blockQueued, smallBlockQueued, rawDecoded)) {
            Await.until("all received", () -> c.received() == total);
            assertEquals(null, c.violation);
        }
        assertEquals(total, bus.stats().type(1001).published());
        assertEquals(4 * total, bus.stats().type(1001).delivered());
        assertEquals(0, bus.stats().type(1001).dropped());
        assertTrue(bus.stats().subscriptions().stream().allMatch(s -> s.queueDepth() == 0));
    }

    @Test
    void shouldKeepOrderOfSurvivorsWhenDropOldestUnderContention() throws Exception {
        final OrderChecker checker = new OrderChecker(true);
        final var s = bus.subscribe(Tick.TYPE, checker, Delivery.queued(16, Overflow.DROP_OLDEST));
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            final int source = p;
            final Thread t = new Thread(() -> {
                for (long i = 0; i < PER_PUBLISHER / 4; i++) {
                    bus.publish(new Tick(i, source));
                }
            });
            t.start();
            threads.add(t);
        }
        for (final Thread t : threads) {
            t.join(60_000);
        }
        final long total = (long) PUBLISHERS * (PER_PUBLISHER / 4);
        Await.until("delivered + dropped = published", () -> s.stats().delivered() + s.stats().dropped() == total);
        assertEquals(null, checker.violation);
    }
}
