package io.mycelium.bus.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mycelium.api.Delivery;
import io.mycelium.api.MessageBus;
import io.mycelium.api.Subscription;

/** A throwing handler is isolated: counted, logged with its service name and stack trace, rate-limited. */
class HandlerErrorTest {

    private final CapturingLogSink log = new CapturingLogSink();
    private final MessageBusImpl bus = new MessageBusImpl(
        new BusSettings(64, 0, 1000, 3_600_000_000_000L), log, null);

    @AfterEach
    void closeBus() {
        bus.close();
    }

    @Test
    void shouldIsolateAndLogWhenInlineHandlerThrows() {
        final MessageBus strategy = bus.forService("java-strategy");
        final List<Long> others = new CopyOnWriteArrayList<>();
        final Subscription bad = strategy.subscribe(Tick.TYPE, t -> {
            throw new IllegalStateException("boom " + t.seq());
        });
        bus.subscribe(Tick.TYPE, t -> others.add(t.seq()));
        bus.publish(new Tick(1, 0));
        bus.publish(new Tick(2, 0));
        assertEquals(List.of(1L, 2L), others, "other subscriber unaffected, publisher not thrown at");
        assertEquals(2, bad.stats().handlerErrors());
        assertEquals(2, bad.stats().delivered());
        assertEquals(2, bus.stats().service("java-strategy").handlerErrors());
        assertEquals(2, bus.stats().type(1001).handlerErrors());
        final List<CapturingLogSink.Line> warnings = log.warnings();
        assertEquals(1, warnings.size(), "second error within the interval is counted, not logged");
        final CapturingLogSink.Line line = warnings.get(0);
        assertTrue(line.message().contains("service 'java-strategy'"), line.message());
        assertTrue(line.message().contains("boom 1"), line.message());
        assertTrue(line.cause() instanceof IllegalStateException, "stack trace logged with the cause");
    }

    @Test
    void shouldKeepDispatchingWhenQueuedHandlerThrows() {
        final List<Long> got = new CopyOnWriteArrayList<>();
        final Subscription s = bus.forService("py-risk").subscribe(Tick.TYPE, t -> {
            if (t.seq() % 2 == 0) {
                throw new IllegalArgumentException("even " + t.seq());
            }
            got.add(t.seq());
        }, Delivery.queued());
        for (long i = 0; i < 10; i++) {
            bus.publish(new Tick(i, 0));
        }
        Await.until("odd ones delivered", () -> got.size() == 5);
        assertEquals(List.of(1L, 3L, 5L, 7L, 9L), got);
        Await.until("errors counted", () -> s.stats().handlerErrors() == 5);
        assertTrue(log.warnings().get(0).message().contains("service 'py-risk'"));
    }

    @Test
    void shouldSummariseSuppressedErrorsWhenIntervalPassed() {
        final MessageBusImpl noLimit = new MessageBusImpl(new BusSettings(64, 0, 1000, 0), log, null);
        try {
            noLimit.subscribe(Tick.TYPE, t -> {
                throw new IllegalStateException("x");
            });
            noLimit.publish(new Tick(1, 0));
            noLimit.publish(new Tick(2, 0));
            assertEquals(2, log.warnings().size(), "interval 0 logs every error");
        } finally {
            noLimit.close();
        }
    }

    @Test
    void shouldCountDecodeFailureAsHandlerErrorWhenPayloadRejected() {
        final List<Tick> got = new CopyOnWriteArrayList<>();
        final Subscription s = bus.subscribe(Tick.TYPE, got::add);
        bus.publishRaw(1001, java.nio.ByteBuffer.allocate(12));
        assertEquals(0, got.size());
        assertEquals(1, s.stats().handlerErrors());
        assertTrue(log.warnings().get(0).message().contains("payload of 12 bytes"), log.warnings().toString());
    }

    @Test
    void shouldRethrowWhenVirtualMachineError() {
        final StackOverflowError error = new StackOverflowError("deep");
        bus.subscribe(Tick.TYPE, t -> {
            throw error;
        });
        try {
            bus.publish(new Tick(1, 0));
        } catch (final StackOverflowError e) {
            assertSame(error, e);
            return;
        }
        throw new AssertionError("VirtualMachineError must not be swallowed");
    }
}
