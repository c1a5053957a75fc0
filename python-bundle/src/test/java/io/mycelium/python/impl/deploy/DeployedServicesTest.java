package io.mycelium.python.impl.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mycelium.api.Subscription;
import io.mycelium.python.PythonServiceInfo;
import io.mycelium.python.impl.PythonTestSupport;
import io.mycelium.api.Delivery;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.python.impl.host.PythonHost;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deployed Python services on a real CPython: own namespace and thread, hot reload, exit, failures, handlers. */
class DeployedServicesTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int PING = 1001;
    private static final String PUBLISHER = """
            import time
            from mycelium_native import Runtime
            from mycelium_protocol import SCHEMA_DIGEST
            from mycelium_protocol.messages import Ping

            runtime = Runtime(schema_digest=SCHEMA_DIGEST)
            runtime.publish(Ping(%d))
            %s
            """;

    private static LoopbackBus bus;
    private static PythonHost runtime;
    private static DeployedServices services;

    @TempDir
    Path deploy;
    private final List<Long> pings = new CopyOnWriteArrayList<>();
    private Subscription pingSubscription;

    @BeforeAll
    static void startPython() {
        bus = new LoopbackBus();
        runtime = PythonHost.start(PythonTestSupport.config(), bus,
                () -> List.of(PythonTestSupport.FIXTURE_DIGEST), PythonTestSupport.DISPATCHER, 2.0);
        services = runtime.services();
    }

    @AfterAll
    static void stopPython() {
        runtime.close();
    }

    @BeforeEach
    void listen() {
        pingSubscription = bus.subscribeRaw(PING, (type, payload) ->
                pings.add(payload.order(ByteOrder.LITTLE_ENDIAN).getLong(payload.position())), Delivery.INLINE);
    }

    @AfterEach
    void stopAll() {
        pingSubscription.close();
        services.stopAll();
    }

    private Path write(final String name, final String source) throws Exception {
        final Path file = deploy.resolve(name);
        final Path temporary = deploy.resolve(name + ".tmp");
        Files.writeString(temporary, source);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    private static String publisher(final long ping, final String tail) {
        return PUBLISHER.formatted(ping, tail);
    }

    @Test
    void shouldStopSleepingServiceAndStartNewVersionWhenReloaded() throws Exception {
        final Path file = write("pinger.py", publisher(1, "while True:\n    time.sleep(1)\n"));
        services.start("pinger", file);
        assertTrue(PythonTestSupport.await(WAIT, () -> pings.contains(1L)));
        assertEquals("running", services.state("pinger"));

        write("pinger.py", publisher(2, "while True:\n    time.sleep(1)\n"));
        final long started = System.nanoTime();
        services.start("pinger", file); // hot reload: stops version 1 first
        final long reloadMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(reloadMillis < 2_000, "reload took " + reloadMillis + " ms");
        assertTrue(PythonTestSupport.await(WAIT, () -> pings.contains(2L)));
        assertEquals("running", services.state("pinger"));
        assertTrue(services.stop("pinger"));
        assertEquals("absent", services.state("pinger"));
    }

    @Test
    void shouldRunSeedQuickStartUnchangedWhenDeployed() throws Exception {
        final List<String> trades = new CopyOnWriteArrayList<>();
        try (Subscription trade = bus.subscribeRaw(1010, (type, payload) -> {
            final byte[] bytes = new byte[payload.remaining()];
            payload.duplicate().get(bytes);
            trades.add((new String(bytes, 0, 16, StandardCharsets.UTF_8) + "/"
                    + new String(bytes, 16, 8, StandardCharsets.UTF_8)).replace("\0", ""));
        }, Delivery.INLINE)) {
            // FFI_DEPLOYMENT_GUIDE.md, "1. Basic Usage (No Topology)", verbatim
            services.start("quickstart", write("quickstart.py", """
                    from mycelium_native import Runtime
                    from mycelium_protocol import SCHEMA_DIGEST
                    from mycelium_protocol.messages import TradeSignal

                    # Create FFI runtime (uses local MessageBus)
                    runtime = Runtime(schema_digest=SCHEMA_DIGEST)

                    # Publish directly to the bus
                    runtime.publish(TradeSignal(symbol="BTC", action="buy"))

                    # Subscribe with callback
                    def on_trade(msg):
                        print(f"Trade: {msg.symbol} {msg.action}")

                    subscription = runtime.subscribe(TradeSignal, on_trade)

                    # Cleanup
                    subscription.close()
                    runtime.close()
                    """));
            assertTrue(PythonTestSupport.await(WAIT, () -> "finished".equals(services.state("quickstart"))));
            assertEquals(List.of("BTC/buy"), trades);
            assertEquals(0, services.service("quickstart").errors());
            assertEquals(0, services.service("quickstart").subscriptionCount());
        }
    }

    @Test
    void shouldLogPrintAndLoggingOutputUnderServiceNameWhenServicePrints() throws Exception {
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream original = System.err; // slf4j-simple writes to System.err as it is at each line
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            services.start("printer", write("printer.py", """
                    import logging
                    print("hello from printer")
                    logging.getLogger("model").warning("weights %s missing", "v2")
                    """));
            assertTrue(PythonTestSupport.await(WAIT, () -> captured.toString(StandardCharsets.UTF_8)
                    .contains("WARN python.printer.model - weights v2 missing")), captured::toString);
            assertTrue(captured.toString(StandardCharsets.UTF_8).contains("INFO python.printer - hello from printer"),
                    captured::toString);
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void shouldInterruptBusyLoopWhenStopped() throws Exception {
        services.start("busy", write("busy.py", publisher(3, "n = 0\nwhile True:\n    n += 1\n")));
        assertTrue(PythonTestSupport.await(WAIT, () -> pings.contains(3L)));
        final long started = System.nanoTime();
        assertTrue(services.stop("busy"));
        assertTrue((System.nanoTime() - started) / 1_000_000 < 2_000);
    }

    @Test
    void shouldEndOnlyThatServiceWhenItCallsSysExit() throws Exception {
        services.start("sleeper", write("sleeper.py", publisher(4, "while True:\n    time.sleep(1)\n")));
        services.start("quitter", write("quitter.py", publisher(5, "import sys\nsys.exit(3)\n")));
        assertTrue(PythonTestSupport.await(WAIT, () -> "exited(3)".equals(services.state("quitter"))));
        assertEquals("running", services.state("sleeper"));
        assertEquals(0, runtime.services().service("quitter").errors());
        assertEquals(List.of("python/running", "quitter/exited(3)", "sleeper/running"),
                runtime.serviceInfos().stream().map(info -> info.name() + "/" + info.state()).toList());
    }

    @Test
    void shouldLogAndCountWhenServiceRaisesAtImport() throws Exception {
        services.start("broken", write("broken.py", "import nonexistent_module_for_test\n"));
        assertTrue(PythonTestSupport.await(WAIT, () -> "failed".equals(services.state("broken"))));
        assertEquals(1, services.service("broken").errors());
    }

    @Test
    void shouldStartAgainOnlyImportFailuresWhenSchemaPackageArrives(@TempDir final Path packages) throws Exception {
        services.start("late", write("late.py", "import late_protocol_for_test\n" + publisher(6, "")));
        services.start("wrong", write("wrong.py", "raise ValueError('not an import problem')\n"));
        assertTrue(PythonTestSupport.await(WAIT, () -> "failed".equals(services.state("late"))
                && "failed".equals(services.state("wrong"))));
        Files.writeString(packages.resolve("late_protocol_for_test.py"), "VALUE = 1\n");
        runtime.interpreter().call("mycelium_native._host", "add_path", packages.toString());
        try {
            services.retryFailedImports();
            assertTrue(PythonTestSupport.await(WAIT, () -> pings.contains(6L)));
            assertTrue(PythonTestSupport.await(WAIT, () -> "finished".equals(services.state("late"))));
            assertEquals("failed", services.state("wrong"), "only an ImportError is retried");
        } finally {
            runtime.interpreter().call("mycelium_native._host", "remove_path", packages.toString());
        }
    }

    @Test
    void shouldCountCallbackFailureForItsServiceWhenCallbackRaises() throws Exception {
        services.start("fragile", write("fragile.py", """
                from mycelium_native import Runtime
                from mycelium_protocol.messages import Ping
                runtime = Runtime()
                def on_ping(msg):
                    raise RuntimeError(f"cannot handle ping {msg.value}")
                runtime.subscribe(Ping, on_ping)
                """));
        assertTrue(PythonTestSupport.await(WAIT, () -> "finished".equals(services.state("fragile"))));
        bus.publishRaw(PING, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1));
        assertTrue(PythonTestSupport.await(WAIT, () -> services.service("fragile").errors() == 1));
        assertEquals(0, runtime.defaultService().errors());
        assertEquals("finished", services.state("fragile")); // a failing callback does not end the service
        final PythonServiceInfo info = runtime.serviceInfos().stream().filter(i -> i.name().equals("fragile"))
                .findFirst().orElseThrow();
        assertTrue(info.lastTraceback().contains("RuntimeError: cannot handle ping 1"), info.lastTraceback());
        assertTrue(info.file().endsWith("fragile.py"), info.file());
        assertTrue(info.queueCapacity() > 0 && info.sinceMillis() > 0, info.toString());
        assertTrue(runtime.interpreterInfo().version().startsWith("3."), runtime.interpreterInfo().toString());
    }

    @Test
    void shouldRunSigtermHandlerWhenServiceIsStopped() throws Exception {
        services.start("graceful", write("graceful.py", publisher(6, """
                import signal, sys
                def shutdown_handler(sig, frame):
                    runtime.publish(Ping(60))
                    runtime.close()
                    sys.exit(0)
                signal.signal(signal.SIGINT, shutdown_handler)
                signal.signal(signal.SIGTERM, shutdown_handler)
                while True:
                    time.sleep(1)
                """)));
        assertTrue(PythonTestSupport.await(WAIT, () -> pings.contains(6L)));
        assertTrue(services.stop("graceful"));
        assertTrue(pings.contains(60L));
    }

    @Test
    void shouldCloseServiceSubscriptionsWhenServiceIsStopped() throws Exception {
        services.start("listener", write("listener.py", """
                from mycelium_native import Runtime
                from mycelium_protocol.messages import Ping
                runtime = Runtime()
                def on_ping(msg):
                    if msg.value == 10:
                        runtime.publish(Ping(11))
                runtime.subscribe(Ping, on_ping)
                """));
        assertTrue(PythonTestSupport.await(WAIT, () -> services.service("listener").subscriptionCount() == 1));
        assertTrue(PythonTestSupport.await(WAIT, () -> "finished".equals(services.state("listener"))));
        bus.publishRaw(PING, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 10));
        assertTrue(PythonTestSupport.await(WAIT, () -> pings.contains(11L)));
        final int before = bus.subscribers(PING);
        assertTrue(services.stop("listener"));
        assertEquals(before - 1, bus.subscribers(PING));
        assertFalse(services.stop("listener"));
    }
}
