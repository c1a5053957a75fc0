package io.mycelium.python.impl.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;

import io.mycelium.python.PythonServiceException;
import io.mycelium.python.impl.PythonTestSupport;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.python.impl.interpreter.PythonInterpreter;

import org.junit.jupiter.api.Test;

/** Python survives a bus update: subscriptions move to the replacement, publish without a bus says what is wrong. */
class PythonBusRebindTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void shouldMoveSubscriptionsToReplacementBusAndRejectPublishWithoutBus() throws Exception {
        final LoopbackBus first = new LoopbackBus();
        final LoopbackBus second = new LoopbackBus();
        try (PythonHost runtime = PythonHost.start(PythonTestSupport.config(), first, List::of,
                PythonTestSupport.DISPATCHER, 1.0)) {
            final PythonInterpreter host = runtime.interpreter();
            host.exec("""
                    from mycelium_native import Runtime
                    from mycelium_protocol.messages import Ping
                    runtime = Runtime()
                    seen = []
                    runtime.subscribe(Ping, lambda msg: seen.append(msg.value))
                    def seen_count():
                        return len(seen)
                    """, "<rebind>");
            assertEquals(1, first.subscribers(1001));

            runtime.bindBus(null);
            assertEquals(0, first.subscribers(1001));
            final PythonServiceException e = assertThrows(PythonServiceException.class,
                    () -> host.exec("runtime.publish(Ping(1))\n", "<no-bus>"));
            assertEquals("mycelium_native.JavaError", e.pythonType());
            assertTrue(e.pythonMessage().startsWith("java.lang.IllegalStateException: "), e.pythonMessage());
            assertTrue(e.pythonMessage().contains("no MessageBus service is registered"), e.pythonMessage());

            runtime.bindBus(second);
            assertEquals(1, second.subscribers(1001));
            second.publishRaw(1001, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 5));
            assertTrue(PythonTestSupport.await(WAIT, () -> (Long) host.call("__main__", "seen_count") == 1));
        }
    }
}
