package io.mycelium.python.impl.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.mycelium.python.impl.PythonTestSupport;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.python.impl.host.PythonHost;
import io.mycelium.python.impl.interpreter.PythonInterpreter;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Many Java publishers into one service's dispatcher: nothing lost or reordered per publisher; overflow counted. */
class PythonDispatcherConcurrentTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PUBLISHERS = 4;
    private static final int PER_PUBLISHER = 20_000;

    private static LoopbackBus bus;
    private static PythonHost runtime;
    private static PythonInterpreter host;

    @BeforeAll
    static void startPython() {
        bus = new LoopbackBus();
        runtime = PythonHost.start(PythonTestSupport.config(), bus, List::of,
                new DispatcherSettings(16 << 20, 0), 2.0);
        host = runtime.interpreter();
        host.exec("""
                import threading
                from mycelium_native import Runtime
                from mycelium_protocol.messages import Ping
                runtime = Runtime()
                last = {}
                state = {"count": 0, "out_of_order": 0}
                def on_ping(msg):
                    publisher, sequence = divmod(msg.value, 1_000_000)
                    if sequence != last.get(publisher, -1) + 1:
                        state["out_of_order"] += 1
                    last[publisher] = sequence
                    state["count"] += 1
                subscription = runtime.subscribe(Ping, on_ping)
                def count():
                    return state["count"]
                def out_of_order():
                    return state["out_of_order"]
                """, "<concurrent>");
    }

    @AfterAll
    static void stopPython() {
        runtime.close();
    }

    @Test
    void shouldDeliverEveryMessageInPublisherOrderWhenManyThreadsPublish() throws Exception {
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> publishers = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            final long base = p * 1_000_000L;
            final Thread publisher = new Thread(() -> {
                final ByteBuffer payload = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                try {
                    start.await();
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < PER_PUBLISHER; i++) {
                    bus.publishRaw(1001, payload.putLong(0, base + i));
                }
            }, "publisher-" + p);
            publisher.start();
            publishers.add(publisher);
        }
        start.countDown();
        for (final Thread publisher : publishers) {
            publisher.join();
        }
        final long total = (long) PUBLISHERS * PER_PUBLISHER;
        assertTrue(PythonTestSupport.await(WAIT, () -> (Long) host.call("__main__", "count") == total),
                () -> "delivered " + host.call("__main__", "count") + " of " + total);
        assertEquals(0L, host.call("__main__", "out_of_order"));
        assertEquals(0, runtime.defaultService().dispatcher().dropped());
        assertEquals(total, runtime.defaultService().dispatcher().delivered());
    }
}
