package io.mycelium.python.impl.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mycelium.python.PythonServiceInfo;
import io.mycelium.python.impl.PythonTestSupport;
import io.mycelium.python.impl.host.PythonHost;
import io.mycelium.python.impl.service.PythonService;
import io.mycelium.testsupport.LoopbackBus;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deployed file runs only where its service is placed; held otherwise, with the reason (issue 12 item 7). */
class PlacedServicesTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String SLEEPER = "import time\nwhile True:\n    time.sleep(0.1)\n";

    private static PythonHost host;

    @TempDir
    Path deploy;
    private final FakePlacement placement = new FakePlacement();
    private PlacedServices placed;

    @BeforeAll
    static void startPython() {
        host = PythonHost.start(PythonTestSupport.config(), new LoopbackBus(),
                () -> List.of(PythonTestSupport.FIXTURE_DIGEST), PythonTestSupport.DISPATCHER, 2.0);
    }

    @AfterAll
    static void stopPython() {
        host.close();
    }

    @AfterEach
    void clear() {
        placed.clear();
    }

    private Path file(final String name) throws Exception {
        return Files.writeString(deploy.resolve(name + ".py"), SLEEPER);
    }

    private PlacedServices placed() {
        placed = new PlacedServices(host.services(), placement);
        return placed;
    }

    @Test
    void shouldHoldAndRequestServiceWhenPlacedOnAnotherNode() throws Exception {
        placement.elsewhere.put("greeter", "placed on node 'feed' by topology.toml (this node is 'sink')");
        placed().deploy("greeter", file("greeter"));

        assertEquals("absent", host.services().state("greeter"));
        assertEquals(List.of("greeter"), placement.requested);
        assertEquals(List.of(new PythonServiceInfo("greeter",
                "held: placed on node 'feed' by topology.toml (this node is 'sink')", 0, 0, 0, 0,
                deploy.resolve("greeter.py").toString(), -1, "", 0, -1)), placed.held());
    }

    @Test
    void shouldStartHeldServiceWhenPlacedHereAndStopItWhenMovedAway() throws Exception {
        placement.elsewhere.put("greeter", "placed on node 'feed' by topology.toml");
        placed().deploy("greeter", file("greeter"));

        placement.elsewhere.remove("greeter");
        placed.reconcile();
        assertEquals("running", host.services().state("greeter"));
        assertEquals(List.of(), placed.held());

        placement.elsewhere.put("greeter", "placed on node 'other' by topology.toml");
        placed.reconcile();
        assertEquals("absent", host.services().state("greeter"));
        assertEquals("held: placed on node 'other' by topology.toml", placed.held().get(0).state());
    }

    @Test
    void shouldStartPlacedServiceAndForgetHeldOneWhenUndeployed() throws Exception {
        placement.elsewhere.put("stray", "not in topology.toml");
        placed().deploy("worker", file("worker"));
        placed.deploy("stray", file("stray"));
        assertTrue(PythonTestSupport.await(WAIT, () -> "running".equals(host.services().state("worker"))));

        placed.undeploy("stray");
        placed.undeploy("worker");
        assertEquals(List.of(), placed.held());
        assertEquals(List.of(), host.services().names());
    }

    @Test
    void shouldWaitForProtocolPackageAndStartWhenItArrives() throws Exception {
        final Map<String, String> missing = new ConcurrentHashMap<>(Map.of("model", "mycelium_protocol_examples"));
        placed = new PlacedServices(host.services(), placement,
                file -> Optional.ofNullable(missing.get(file.getFileName().toString().replace(".py", ""))),
                Duration.ofMinutes(5));
        placed.deploy("model", file("model"));

        assertEquals("absent", host.services().state("model"));
        assertEquals(List.of(new PythonServiceInfo("model", "waiting for protocol package 'mycelium_protocol_examples'",
                0, 0, 0, 0, deploy.resolve("model.py").toString(), -1, "", 0, -1)), placed.held());

        missing.clear();
        placed.reconcile();
        assertEquals("running", host.services().state("model"));
        assertEquals(List.of(), placed.held());

        missing.put("model", "mycelium_protocol_examples"); // the protocol was undeployed again
        placed.restart(List.of("model"));
        assertEquals("absent", host.services().state("model"));
        assertEquals("waiting for protocol package 'mycelium_protocol_examples'", placed.held().get(0).state());
    }

    @Test
    void shouldReportServiceAsFailedWhenItsProtocolNeverComes() throws Exception {
        placed = new PlacedServices(host.services(), placement, file -> Optional.of("mycelium_protocol_never"),
                Duration.ofMillis(100));
        placed.deploy("orphan", file("orphan"));

        assertTrue(PythonTestSupport.await(WAIT, () -> placed.held().get(0).errors() == 1));
        assertEquals(List.of(new PythonServiceInfo("orphan", "failed: protocol package 'mycelium_protocol_never' is "
                + "not deployed", 1, 0, 0, 0, deploy.resolve("orphan.py").toString(), -1, "", 0, -1)), placed.held());
    }

    @Test
    void shouldRestartServiceFromItsFileWhenAskedAndRefuseHeldOrUnknownOne() throws Exception {
        placement.elsewhere.put("stray", "not in topology.toml");
        placed().deploy("worker", file("worker"));
        placed.deploy("stray", file("stray"));
        assertTrue(PythonTestSupport.await(WAIT, () -> "running".equals(host.services().state("worker"))));
        final PythonService before = host.services().service("worker");

        assertTrue(placed.restart("worker"));
        assertTrue(PythonTestSupport.await(WAIT, () -> "running".equals(host.services().state("worker"))));
        assertNotSame(before, host.services().service("worker"), "a restart starts a new service from the file");
        assertFalse(placed.restart("stray"), "a held service is not started by a restart");
        assertFalse(placed.restart("nosuch"));
    }

    /** Placed here unless listed in {@code elsewhere}; records requests. */
    private static final class FakePlacement implements Placement {
        final Map<String, String> elsewhere = new ConcurrentHashMap<>();
        final List<String> requested = new CopyOnWriteArrayList<>();

        @Override
        public Optional<String> held(final String service) {
            return Optional.ofNullable(elsewhere.get(service));
        }

        @Override
        public void request(final String service) {
            requested.add(service);
        }
    }
}
