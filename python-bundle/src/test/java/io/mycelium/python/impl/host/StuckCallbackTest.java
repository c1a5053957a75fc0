package io.mycelium.python.impl.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.mycelium.python.PythonServiceInfo;
import io.mycelium.python.impl.PythonTestSupport;
import io.mycelium.testsupport.LoopbackBus;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Callbacks that never return, on a real CPython with a 200 ms watchdog bound: the service reads as {@code stuck}
 * and the watchdog's WARN names it with its Python stack; a stop returns within a bounded time, interrupting a
 * callback that runs Python code and leaving one blocked in a lock wait behind (listed as {@code left-behind} until
 * it returns).
 */
class StuckCallbackTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int PING = 1001;
    private static final String SERVICE = """
            import sys
            import threading
            from mycelium_native import Runtime
            from mycelium_protocol import SCHEMA_DIGEST
            from mycelium_protocol.messages import Ping

            runtime = Runtime(schema_digest=SCHEMA_DIGEST)
            sys.stuck_release = threading.Event()

            def on_ping(msg):
                %s

            runtime.subscribe(Ping, on_ping, inline=%s)
            """;

    private static LoopbackBus bus;
    private static PythonHost host;

    @TempDir
    Path deploy;

    @BeforeAll
    static void startPython() {
        bus = new LoopbackBus();
        host = PythonHost.start(PythonTestSupport.config(), bus, () -> List.of(PythonTestSupport.FIXTURE_DIGEST),
                PythonTestSupport.DISPATCHER, 2.0, Duration.ofMillis(200));
    }

    @AfterAll
    static void stopPython() {
        host.close();
    }

    private void start(final String name, final String callbackBody, final boolean inline) throws Exception {
        final Path file = Files.writeString(deploy.resolve(name + ".py"),
                SERVICE.formatted(callbackBody, inline ? "True" : "False"));
        host.services().start(name, file);
        assertTrue(PythonTestSupport.await(WAIT, () -> host.services().service(name) != null
                && host.services().service(name).subscriptionCount() == 1), "subscribed");
    }

    private static ByteBuffer ping(final long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
    }

    private static String state(final String name) {
        return host.serviceInfos().stream().filter(info -> info.name().equals(name)).map(PythonServiceInfo::state)
                .reduce((first, second) -> second).orElse("absent");
    }

    @Test
    void shouldReportStuckAndLeaveTheThreadBehindWhenAnInlineCallbackBlocksInALockWait() throws Exception {
        start("blocker", "sys.stuck_release.wait()", true);
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream original = System.err; // slf4j-simple writes to System.err as it is at each line
        System.setErr(new PrintStream(new TeeOutputStream(captured, original), true, StandardCharsets.UTF_8));
        final Thread publisher = new Thread(() -> bus.publishRaw(PING, ping(1)), "test-publisher");
        final List<Throwable> publisherFailure = new java.util.concurrent.CopyOnWriteArrayList<>();
        publisher.setUncaughtExceptionHandler((thread, failure) -> publisherFailure.add(failure));
        try {
            publisher.start();
            assertTrue(PythonTestSupport.await(WAIT, () -> "stuck".equals(state("blocker"))), state("blocker")
                    + ", publisher alive: " + publisher.isAlive() + ", failed: " + publisherFailure + ", log:\n"
                    + captured.toString(StandardCharsets.UTF_8));
            assertTrue(PythonTestSupport.await(WAIT, () -> captured.toString(StandardCharsets.UTF_8)
                    .contains("sys.stuck_release.wait()")), "the WARN shows the Python stack: " + captured);
            final String log = captured.toString(StandardCharsets.UTF_8);
            assertTrue(log.contains("Python service 'blocker': inline callback on the publisher's thread "
                    + "'test-publisher'"), log);

            final long started = System.nanoTime();
            assertTrue(host.services().stop("blocker"));
            final long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis < 3_000, "the stop took " + millis + " ms");
            assertEquals("left-behind", state("blocker"));
            assertTrue(captured.toString(StandardCharsets.UTF_8).contains("thread(s) [test-publisher (inline)] are "
                    + "left behind"), captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
            host.interpreter().exec("import sys\nsys.stuck_release.set()\n", "<release>");
        }
        publisher.join(WAIT.toMillis());
        assertTrue(!publisher.isAlive(), "the publisher returns once the callback does");
        assertTrue(PythonTestSupport.await(WAIT, () -> "absent".equals(state("blocker"))), "forgotten when done");
    }

    @Test
    void shouldInterruptTheCallbackWhenAQueuedCallbackLoopsInPython() throws Exception {
        start("looper", "while True:\n        sys.stuck_release.wait(0.01)", false);
        bus.publishRaw(PING, ping(2));
        assertTrue(PythonTestSupport.await(WAIT, () -> "stuck".equals(state("looper"))), state("looper"));
        final long started = System.nanoTime();
        assertTrue(host.services().stop("looper"));
        final long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < 2_000, "the stop took " + millis + " ms");
        assertEquals("absent", state("looper"), "interrupted: nothing left behind");
    }

    /** Writes to the captured buffer and to the original stream (the test's output keeps the log). */
    private static final class TeeOutputStream extends java.io.OutputStream {
        private final java.io.OutputStream first;
        private final java.io.OutputStream second;

        TeeOutputStream(final java.io.OutputStream first, final java.io.OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(final int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(final byte[] b, final int off, final int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
