package io.mycelium.topology.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.mycelium.topology.Endpoint.Kind;
import io.mycelium.topology.Route;
import io.mycelium.topology.TopologyState;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopologyControllerTest {

    private static final String ONE_HOST = """
            [[nodes]]
            name = "a"
            services = ["svc-a1", "svc-a2"]
            [[nodes]]
            name = "b"
            services = ["svc-b"]
            """;
    private static final String TWO_HOSTS = """
            [[nodes]]
            name = "a"
            services = ["svc-a1", "svc-moved"]
            host = "10.0.0.1"
            port = 9000
            [[nodes]]
            name = "b"
            services = ["svc-b"]
            host = "10.0.0.2"
            port = 9000
            """;

    @TempDir
    Path dir;

    private final RecordingEffects effects = new RecordingEffects();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-24T07:00:00Z"), ZoneOffset.UTC);

    @Test
    void shouldRunEmbeddedDefaultWhenNoTopologyFile() {
        final TopologyController c = controller(Optional.empty(), Optional.empty());
        c.start();
        final TopologyState s = c.state();
        assertEquals("local", s.nodeName());
        assertEquals(TopologyController.DEFAULT_SOURCE, s.topology().source());
        assertEquals(Map.of(), effects.contexts);
        assertEquals(Map.of(), effects.configs);
        assertEquals(Optional.empty(), s.lastError());
        // Left-over configurations from an earlier run are removed.
        assertEquals(List.of("delete UNIX", "delete TCP", "delete SHM", "delete AERON"), effects.calls);
    }

    @Test
    void shouldNameDefaultNodeAfterNodePropertyWhenNoTopologyFile() {
        final TopologyController c = controller(Optional.of("gw"), Optional.empty());
        c.start();
        assertEquals("gw", c.state().nodeName());
    }

    @Test
    void shouldRegisterLocalServicesAndTransportsWhenFileGiven() throws Exception {
        final Path file = write("topology.toml", ONE_HOST);
        final TopologyController c = controller(Optional.of("a"), Optional.of(file));
        c.start();
        assertEquals(Map.of("svc-a1", "a", "svc-a2", "a"), effects.contexts);
        assertEquals(Set.of(Kind.UNIX), effects.configs.keySet());
        assertEquals(List.of("b=/tmp/mycelium/b.sock"), effects.configs.get(Kind.UNIX).peers());
        assertEquals(Map.of("b", Route.UNIX), c.state().routes());
        assertEquals(file.toString(), c.state().topology().source());
        assertEquals(Instant.parse("2026-11-24T07:00:00Z"), c.state().appliedAt());
    }

    @Test
    void shouldApplyOnlyTheDifferenceWhenFileChanges() throws Exception {
        final Path file = write("topology.toml", ONE_HOST);
        final TopologyController c = controller(Optional.of("a"), Optional.of(file));
        c.start();
        effects.calls.clear();
        Files.writeString(file, TWO_HOSTS);
        c.fileChanged();
        assertEquals(List.of("unregister svc-a2", "delete UNIX", "put TCP", "register svc-moved"), effects.calls);
        assertEquals(Map.of("svc-a1", "a", "svc-moved", "a"), effects.contexts);
        assertEquals(Optional.of("10.0.0.1:9000"), effects.configs.get(Kind.TCP).listen());
        effects.calls.clear();
        c.fileChanged();
        assertEquals(List.of(), effects.calls, "same content: nothing to do");
    }

    @Test
    void shouldKeepRunningTopologyAndReportErrorWhenNewFileInvalid() throws Exception {
        final Path file = write("topology.toml", ONE_HOST);
        final TopologyController c = controller(Optional.of("a"), Optional.of(file));
        c.start();
        effects.calls.clear();
        Files.writeString(file, ONE_HOST + "[[nodes]]\nname = \"a\"\nservices = []\n");
        c.fileChanged();
        assertEquals(List.of(), effects.calls);
        assertEquals(Set.of("svc-a1", "svc-a2"), effects.contexts.keySet());
        final TopologyState s = c.state();
        assertEquals(file.toString(), s.topology().source());
        assertTrue(s.lastError().orElseThrow().startsWith(file + ":7: node 'a' is defined twice"),
                s.lastError().toString());
        Files.writeString(file, ONE_HOST);
        c.fileChanged();
        assertEquals(Optional.empty(), c.state().lastError(), "reverting the edit clears the error");
        assertEquals(List.of(), effects.calls);
    }

    @Test
    void shouldRejectAndListNodesWhenNoNodeChosenForSeveralNodes() throws Exception {
        final Path file = write("topology.toml", ONE_HOST);
        final TopologyController c = controller(Optional.empty(), Optional.of(file));
        c.start();
        assertEquals(TopologyController.DEFAULT_SOURCE, c.state().topology().source());
        assertEquals(Optional.of(file + " has 2 nodes (a, b); choose one with --node NAME (or the mycelium.node "
                + "property)"), c.state().lastError());
        assertEquals(Map.of(), effects.contexts);
    }

    @Test
    void shouldPreferDeployedTopologyAndRevertWhenItIsRemoved() throws Exception {
        final Path file = write("topology.toml", ONE_HOST);
        final Path deployed = write("deploy/topology.toml", TWO_HOSTS);
        final TopologyController c = controller(Optional.of("a"), Optional.of(file));
        c.start();
        c.deployed(deployed);
        assertEquals(deployed.toString(), c.state().topology().source());
        assertEquals(Set.of("svc-a1", "svc-moved"), effects.contexts.keySet());
        assertEquals(Set.of(Kind.TCP), effects.configs.keySet());
        Files.writeString(file, ONE_HOST + "\n# edited while a deployed topology runs\n");
        c.fileChanged();
        assertEquals(deployed.toString(), c.state().topology().source(), "the deployed file takes precedence");
        c.undeployed(deployed);
        assertEquals(file.toString(), c.state().topology().source());
        assertEquals(Set.of("svc-a1", "svc-a2"), effects.contexts.keySet());
        assertEquals(Set.of(Kind.UNIX), effects.configs.keySet());
    }

    @Test
    void shouldRevertToDefaultWhenDeployedRemovedAndNoFile() throws Exception {
        final Path deployed = write("deploy/topology.toml", ONE_HOST);
        final TopologyController c = controller(Optional.of("b"), Optional.empty());
        c.start();
        c.deployed(deployed);
        assertEquals(Map.of("svc-b", "b"), effects.contexts);
        c.undeployed(dir.resolve("elsewhere/topology.toml"));
        assertEquals(Map.of("svc-b", "b"), effects.contexts, "another file's removal changes nothing");
        c.undeployed(deployed);
        assertEquals(TopologyController.DEFAULT_SOURCE, c.state().topology().source());
        assertEquals("b", c.state().nodeName());
        assertEquals(Map.of(), effects.contexts);
        assertEquals(Map.of(), effects.configs);
    }

    @Test
    void shouldReRegisterContextsWhenNodeRenamed() throws Exception {
        final Path deployed = write("deploy/topology.toml", "[[nodes]]\nname = \"x\"\nservices = [\"s\"]\n");
        final TopologyController c = controller(Optional.empty(), Optional.empty());
        c.start();
        c.deployed(deployed);
        assertEquals(Map.of("s", "x"), effects.contexts);
        Files.writeString(deployed, "[[nodes]]\nname = \"y\"\nservices = [\"s\"]\n");
        c.deployed(deployed);
        assertEquals(Map.of("s", "y"), effects.contexts);
    }

    @Test
    void shouldStartWithDefaultAndReportErrorWhenFileMissing() {
        final Path missing = dir.resolve("nope.toml");
        final TopologyController c = controller(Optional.empty(), Optional.of(missing));
        c.start();
        assertEquals(TopologyController.DEFAULT_SOURCE, c.state().topology().source());
        assertTrue(c.state().lastError().orElseThrow().startsWith(missing + ": cannot read the topology file"));
    }

    @Test
    void shouldContinueAndWarnWhenAnEffectFails() throws Exception {
        final Path file = write("topology.toml", ONE_HOST);
        final TopologyController c = new TopologyController(new TopologyParser(), Optional.of("a"),
                Optional.of(file), new RecordingEffects() {
                    @Override
                    public void putConfig(final TransportPlan config) {
                        throw new IllegalStateException("ConfigAdmin is gone");
                    }
                }, clock);
        c.start();
        assertEquals(List.of("failed to configure the unix transport: java.lang.IllegalStateException: "
                + "ConfigAdmin is gone"), c.state().warnings());
        assertEquals(file.toString(), c.state().topology().source());
    }

    @Test
    void shouldUnregisterAndDeleteEverythingWhenStopped() throws Exception {
        final TopologyController c = controller(Optional.of("a"), Optional.of(write("topology.toml", ONE_HOST)));
        c.start();
        c.stop();
        assertEquals(Map.of(), effects.contexts);
        assertEquals(Map.of(), effects.configs);
    }

    @Test
    void shouldPlaceRequestedServicesOnDefaultNodeWhenNoTopologyFile() throws Exception {
        final TopologyController c = controller(Optional.empty(), Optional.empty());
        c.start();
        c.demand(List.of("java-strategy"));
        c.demand(List.of("java-strategy", "python-ml-model"));
        assertEquals(Map.of("java-strategy", "local", "python-ml-model", "local"), effects.contexts);
        assertEquals(List.of("java-strategy", "python-ml-model"), c.state().topology().nodes().get(0).services());
        assertEquals(Map.of(), effects.configs);
    }

    @Test
    void shouldIgnoreRequestsWhileTopologyFileRunsAndGrantThemAfterRevert() throws Exception {
        final Path deployed = write("deploy/topology.toml", ONE_HOST);
        final TopologyController c = controller(Optional.of("a"), Optional.empty());
        c.start();
        c.deployed(deployed);
        c.demand(List.of("svc-b", "extra"));
        assertEquals(Set.of("svc-a1", "svc-a2"), effects.contexts.keySet(), "only the file places services");
        c.undeployed(deployed);
        assertEquals(Map.of("extra", "a", "svc-b", "a"), effects.contexts);
    }

    @Test
    void shouldReportStartErrorAndPlaceNoServiceWhenNodeIsNotInTheFileAtStart() throws Exception {
        final Path file = write("topology.toml", ONE_HOST);
        final TopologyController c = controller(Optional.of("gamma"), Optional.of(file));
        c.start();
        c.demand(List.of("svc-a1"));
        assertEquals(Optional.of(file + ": node 'gamma' not found (known: a, b). Fix: set --node (or mycelium.node) "
                + "to one of the nodes, or add a [[nodes]] entry named 'gamma'"), c.startError());
        assertEquals(Map.of(), effects.contexts, "the default must not run everything");
    }

    @Test
    void shouldClearStartErrorWhenAValidTopologyIsDeployedLater() throws Exception {
        final Path file = write("topology.toml", ONE_HOST);
        final TopologyController c = controller(Optional.of("b"), Optional.of(write("bad.toml", "nodes = 1")));
        c.start();
        assertTrue(c.startError().isPresent());
        c.deployed(file);
        assertEquals(Optional.empty(), c.startError());
        assertEquals(Map.of("svc-b", "b"), effects.contexts);
    }

    @Test
    void shouldKeepThePlanAndNoStartErrorWhenADeployedTopologyLacksThisNode() throws Exception {
        final TopologyController c = controller(Optional.of("a"), Optional.of(write("topology.toml", ONE_HOST)));
        c.start();
        c.deployed(write("deploy/topology.toml", "[[nodes]]\nname = \"b\"\nservices = []\n"));
        assertEquals(Optional.empty(), c.startError());
        assertEquals("a", c.state().nodeName());
        assertEquals(Map.of("svc-a1", "a", "svc-a2", "a"), effects.contexts);
        assertTrue(c.state().lastError().orElseThrow().contains("node 'a' not found (known: b)"));
    }

    @Test
    void shouldRefuseTheStartWhenADeployedTopologyLacksThisNodeBeforeTheNodeStarted() throws Exception {
        final TopologyController c = controller(Optional.of("gamma"), Optional.empty());
        c.start();
        c.demand(List.of("svc-a1"));
        assertEquals(Map.of("svc-a1", "gamma"), effects.contexts);
        final Path file = write("deploy/topology.toml", ONE_HOST);
        c.deployed(file);
        assertTrue(c.startError().orElseThrow().startsWith(file + ": node 'gamma' not found (known: a, b)"));
        assertEquals(Map.of(), effects.contexts, "the default no longer runs everything");
        c.undeployed(file);
        assertEquals(Optional.empty(), c.startError());
        assertEquals(Map.of("svc-a1", "gamma"), effects.contexts);
    }

    @Test
    void shouldOnlyKeepTheDefaultWhenADeployedTopologyLacksThisNodeAfterTheNodeStarted() throws Exception {
        final TopologyController c = controller(Optional.of("gamma"), Optional.empty());
        c.start();
        c.demand(List.of("svc-a1"));
        c.markStarted();
        c.deployed(write("deploy/topology.toml", ONE_HOST));
        assertEquals(Optional.empty(), c.startError());
        assertEquals(Map.of("svc-a1", "gamma"), effects.contexts);
    }

    @Test
    void shouldNameTheEndpointLineOfEachNeededTransport() throws Exception {
        final Path file = write("topology.toml", String.join("\n", "[[nodes]]", "name = \"a\"", "services = []",
                "endpoint.kind = \"shm\"", "[[nodes]]", "name = \"b\"", "services = []", ""));
        final TopologyController c = controller(Optional.of("a"), Optional.of(file));
        c.start();
        assertEquals(Set.of(Kind.SHM, Kind.UNIX), c.needs().keySet());
        assertEquals(file + ":4: node 'a' has endpoint.kind = \"shm\"", c.needs().get(Kind.SHM).origin());
        assertEquals(file + ": node 'a' needs the unix transport", c.needs().get(Kind.UNIX).origin());
    }

    private TopologyController controller(final Optional<String> node, final Optional<Path> file) {
        return new TopologyController(new TopologyParser(), node, file, effects, clock);
    }

    private Path write(final String name, final String text) throws Exception {
        final Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }
}
