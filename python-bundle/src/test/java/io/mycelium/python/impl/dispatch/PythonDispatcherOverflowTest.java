package io.mycelium.python.impl.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;

import io.mycelium.python.impl.PythonTestSupport;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.python.impl.host.PythonHost;
import io.mycelium.python.impl.interpreter.PythonInterpreter;

import org.junit.jupiter.api.Test;

/** A dispatcher whose callback is stuck drops what does not fit its queue, counts it, and delivers the rest. */
class PythonDispatcherOverflowTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int PUBLISHED = 10_000;

    @Test
    void shouldCountDropsAndDeliverTheRestWhenQueueOverflows() throws Exception {
        final LoopbackBus bus = new LoopbackBus();
        try (PythonHost runtime = PythonHost.start(PythonTestSupport.config(), bus, List::of,
                new DispatcherSettings(DispatcherSettings.MIN_QUEUE_BYTES, 0), 2.0)) {
            final PythonInterpreter host = runtime.interpreter();
            host.exec("""
                    import threading
                    from mycelium_native import Runtime
                    from mycelium_protocol.messages import Ping
                    release = threading.Event()
                    entered = threading.Event()
                    seen = []
                    def on_ping(msg):
                        entered.set()
                        release.wait(10)
                        seen.append(msg.value)
                    runtime = Runtime()
                    runtime.subscribe(Ping, on_ping)
                    def is_blocked():
                        return entered.is_set()
                    def seen_count():
                        return len(seen)
                    """, "<overflow>");
            final ByteBuffer payload = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            bus.publishRaw(1001, payload.putLong(0, 0));
            assertTrue(PythonTestSupport.await(WAIT, () -> (Boolean) host.call("__main__", "is_blocked")));
            for (int i = 1; i < PUBLISHED; i++) {
                bus.publishRaw(1001, payload.putLong(0, i));
            }
            final PythonDispatcher dispatcher = runtime.defaultService().dispatcher();
            assertTrue(dispatcher.dropped() > 0, "a 64 KiB queue cannot hold " + PUBLISHED + " messages");
            host.exec("release.set()\n", "<release>");
            final long expected = PUBLISHED - dispatcher.dropped();
            assertTrue(PythonTestSupport.await(WAIT, () -> (Long) host.call("__main__", "seen_count") == expected));
            assertEquals(PUBLISHED, dispatcher.delivered() + dispatcher.dropped());
        }
    }
}
