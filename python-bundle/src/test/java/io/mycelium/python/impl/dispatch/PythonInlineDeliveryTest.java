package io.mycelium.python.impl.dispatch;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.mycelium.python.impl.PythonTestSupport;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.python.impl.host.PythonHost;
import io.mycelium.python.impl.interpreter.PythonInterpreter;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code runtime.subscribe(Type, callback, inline=True)}: the callback runs on the publisher's thread before the
 * publish returns, from Java and from Python publishers, with heap, direct and large payloads; a raising callback is
 * counted and never reaches the publisher.
 */
class PythonInlineDeliveryTest {

    private static final int PING = 1001;
    private static final int BLOB = 1002;

    private static LoopbackBus bus;
    private static PythonHost runtime;
    private static PythonInterpreter host;

    @BeforeAll
    static void startPython() {
        bus = new LoopbackBus();
        runtime = PythonHost.start(PythonTestSupport.config(), bus, List::of, PythonTestSupport.DISPATCHER, 2.0);
        host = runtime.interpreter();
        host.exec("""
                import threading
                from mycelium_native import Runtime
                from mycelium_protocol.messages import Blob, Ping
                runtime = Runtime()
                pings = []
                blobs = []
                threads = set()
                def on_ping(msg):
                    if msg.value < 0:
                        raise ValueError(f"negative ping {msg.value}")
                    threads.add(threading.get_ident())
                    pings.append(msg.value)
                runtime.subscribe(Ping, on_ping, inline=True)
                runtime.subscribe(Blob, lambda msg: blobs.append((msg.tag, msg.checksum)), inline=True)
                def count():
                    return len(pings)
                def last():
                    return pings[-1] if pings else -1
                def thread_count():
                    return len(threads)
                def publish_and_look(value):
                    runtime.publish(Ping(value))
                    return pings[-1] == value
                def blob_bytes(tag):
                    return Blob(tag).to_bytes()
                def blob_seen(tag):
                    return blobs[-1] == (tag, Blob.from_bytes(Blob(tag).to_bytes()).checksum) if blobs else False
                def reset():
                    pings.clear()
                    threads.clear()
                """, "<inline>");
    }

    @AfterAll
    static void stopPython() {
        runtime.close();
    }

    @BeforeEach
    void reset() {
        host.call("__main__", "reset");
    }

    @Test
    void shouldRunCallbackBeforePublishReturnsWhenJavaPublishesDirectOrHeapPayloads() {
        bus.publishRaw(PING, ping(ByteBuffer.allocateDirect(8), 41));
        assertEquals(41L, host.call("__main__", "last"), "a direct payload is delivered before publishRaw returns");
        bus.publishRaw(PING, ping(ByteBuffer.allocate(8), 42));
        assertEquals(42L, host.call("__main__", "last"), "a heap payload is copied and delivered the same way");
        final ByteBuffer offset = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(8, 43);
        bus.publishRaw(PING, offset.position(8).limit(16));
        assertEquals(43L, host.call("__main__", "last"), "only position to limit is the payload");
        assertEquals(8, offset.position(), "the publisher's buffer is not moved");
    }

    @Test
    void shouldRunCallbackOnEachPublishersThreadWhenManyThreadsPublish() throws Exception {
        final ExecutorService publishers = Executors.newFixedThreadPool(3);
        try {
            final List<Future<?>> done = List.of(
                    publishers.submit(() -> publishMany(0)),
                    publishers.submit(() -> publishMany(1)),
                    publishers.submit(() -> publishMany(2)));
            for (final Future<?> future : done) {
                future.get();
            }
        } finally {
            publishers.shutdownNow();
        }
        assertEquals(3_000L, host.call("__main__", "count"), "every message delivered, none queued");
        assertEquals(3L, host.call("__main__", "thread_count"), "each callback ran on its publisher's thread");
    }

    @Test
    void shouldDeliverBeforePublishReturnsWhenPythonPublishes() {
        assertEquals(Boolean.TRUE, host.call("__main__", "publish_and_look", 77L));
    }

    @Test
    void shouldDeliverLargePayloadAsViewWhenAboveCopyLimit() {
        final byte[] blob = (byte[]) host.call("__main__", "blob_bytes", 5L);
        bus.publishRaw(BLOB, ByteBuffer.wrap(blob));
        assertEquals(Boolean.TRUE, host.call("__main__", "blob_seen", 5L), "a 16 KiB heap payload from Java");
        host.exec("runtime.publish(Blob(6))\n", "<blob>");
        assertEquals(Boolean.TRUE, host.call("__main__", "blob_seen", 6L), "a 16 KiB payload from Python");
    }

    @Test
    void shouldCountFailureAndKeepPublisherRunningWhenInlineCallbackRaises() {
        final PythonDispatcher dispatcher = runtime.defaultService().dispatcher();
        final long failedBefore = dispatcher.failed();
        assertDoesNotThrow(() -> bus.publishRaw(PING, ping(ByteBuffer.allocateDirect(8), -1)));
        assertEquals(failedBefore + 1, dispatcher.failed());
        bus.publishRaw(PING, ping(ByteBuffer.allocateDirect(8), 8));
        assertEquals(8L, host.call("__main__", "last"), "the subscription keeps working after a failure");
    }

    private static void publishMany(final int publisher) {
        final ByteBuffer payload = ByteBuffer.allocateDirect(8);
        for (int i = 0; i < 1_000; i++) {
            bus.publishRaw(PING, ping(payload, publisher * 1_000_000L + i));
        }
    }

    private static ByteBuffer ping(final ByteBuffer buffer, final long value) {
        buffer.order(ByteOrder.LITTLE_ENDIAN).clear();
        return buffer.putLong(0, value).limit(8);
    }
}
