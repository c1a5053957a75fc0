package io.mycelium.itests.osgi;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Dictionary;
import java.util.Optional;

import io.mycelium.api.ServiceContext;
import io.mycelium.topology.TopologyStatus;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The topology bundle in a real Felix with SCR, ConfigAdmin and FileInstall: node {@code a} of a two-node topology
 * given by {@code --topology} gets a ServiceContext per local service and the Unix transport configuration; a
 * {@code topology.toml} dropped into the deploy folder reconfigures the node live and its removal reverts; an invalid
 * topology is rejected while the running one stays.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TopologyManagerIT extends MyceliumTestBase {

    private static final String TOPOLOGY = """
            socket_dir = "%s"
            [[nodes]]
            name = "a"
            services = ["svc-a1", "svc-a2"]
            [[nodes]]
            name = "b"
            services = ["svc-b"]
            """;
    private static final String DEPLOYED = """
            [[nodes]]
            name = "a"
            services = ["svc-deployed"]
            endpoint = { kind = "tcp", addr = "127.0.0.1:0" }
            """;

    private ServiceRegistration<?> bus;

    @Override
    protected Option[] fixtures() {
        final Path dir = workDir();
        try {
            Files.createDirectories(dir.resolve("deploy"));
            try (var old = Files.list(dir.resolve("deploy"))) {
                for (Path p : (Iterable<Path>) old::iterator) {
                    Files.delete(p);
                }
            }
            Files.writeString(dir.resolve("topology.toml"), TOPOLOGY.formatted(dir.resolve("sockets")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Option[] {
            ContextConsumerBundle.forService(dir, "svc-a1"),
            ContextConsumerBundle.forService(dir, "svc-b"),
            frameworkProperty("mycelium.topology").value(dir.resolve("topology.toml").toString()),
            frameworkProperty("mycelium.node").value("a"),
            frameworkProperty("felix.fileinstall.dir").value(dir.resolve("deploy").toString()),
            frameworkProperty("felix.fileinstall.poll").value("100"),
            frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
            frameworkProperty("felix.fileinstall.filter").value("[^.].*\\.(jar|cfg|toml)"),
        };
    }

    /** Registers the loopback bus unless the bus bundle provides the real one. */
    @Before
    public void registerBus() {
        bus = registerLoopbackBusUnlessPresent();
    }

    @After
    public void unregisterBus() {
        if (bus != null) {
            bus.unregister();
        }
    }

    @Test
    public void shouldRegisterContextOfEachLocalServiceOnlyWhenTopologyFileGiven() throws Exception {
        final ServiceContext a1 = awaitService(ServiceContext.class, "(mycelium.service=svc-a1)");
        assertEquals("svc-a1", a1.serviceName());
        assertEquals("a", a1.nodeName());
        awaitService(ServiceContext.class, "(&(mycelium.service=svc-a2)(mycelium.node=a))");
        assertNull("svc-b is placed on node b", context.getServiceReferences(ServiceContext.class,
                "(mycelium.service=svc-b)").stream().findAny().orElse(null));
        final TopologyStatus status = awaitService(TopologyStatus.class, null);
        assertEquals("a", status.state().nodeName());
        assertEquals(Optional.empty(), status.state().lastError());
    }

    @Test
    public void shouldActivateJavaServiceOnlyWhenPlacedOnThisNode() throws Exception {
        awaitService(Runnable.class, "(" + ContextConsumerBundle.SERVICE_PROPERTY + "=svc-a1)");
        awaitTrue("fixture bundles active", () -> installedBundle("io.mycelium.itests.fixture.svc-b").getState()
                == org.osgi.framework.Bundle.ACTIVE);
        assertTrue("svc-b is placed on node b, so its component must not activate", context.getServiceReferences(
                Runnable.class, "(" + ContextConsumerBundle.SERVICE_PROPERTY + "=svc-b)").isEmpty());
    }

    @Test
    public void shouldCreateOnlyTheUnixTransportConfigurationWhenPeerIsOnThisHost() throws Exception {
        final ConfigurationAdmin admin = awaitService(ConfigurationAdmin.class, null);
        awaitTrue("unix transport configuration", () -> configuration(admin, "unix") != null);
        final Dictionary<String, Object> props = configuration(admin, "unix").getProperties();
        final Path sockets = workDir().resolve("sockets");
        assertEquals("a", props.get("node"));
        assertEquals(sockets.resolve("a.sock").toString(), props.get("listen"));
        assertArrayEquals(new String[] {"b=" + sockets.resolve("b.sock")}, (String[]) props.get("peers"));
        assertEquals(sockets.toString(), props.get("socket.dir"));
        assertNull(configuration(admin, "tcp"));
        assertNull(configuration(admin, "shm"));
    }

    @Test
    public void shouldReconfigureWhenTopologyDeployedAndRevertWhenRemoved() throws Exception {
        final ConfigurationAdmin admin = awaitService(ConfigurationAdmin.class, null);
        awaitService(ServiceContext.class, "(mycelium.service=svc-a1)");
        final Path deployed = workDir().resolve("deploy/topology.toml");
        writeAtomically(deployed, DEPLOYED);
        try {
            awaitService(ServiceContext.class, "(mycelium.service=svc-deployed)");
            awaitTrue("svc-a1 unregistered", () -> !hasContext("svc-a1"));
            awaitTrue("tcp configuration", () -> configuration(admin, "tcp") != null);
            assertEquals("127.0.0.1:0", configuration(admin, "tcp").getProperties().get("listen"));
            awaitTrue("unix configuration deleted", () -> configuration(admin, "unix") == null);
        } finally {
            Files.delete(deployed);
        }
        awaitService(ServiceContext.class, "(mycelium.service=svc-a1)");
        awaitTrue("svc-deployed unregistered", () -> !hasContext("svc-deployed"));
        awaitTrue("unix configuration back", () -> configuration(admin, "unix") != null);
        awaitTrue("tcp configuration deleted", () -> configuration(admin, "tcp") == null);
    }

    @Test
    public void shouldKeepRunningTopologyAndReportErrorWhenTopologyFileBecomesInvalid() throws Exception {
        final TopologyStatus status = awaitService(TopologyStatus.class, null);
        awaitService(ServiceContext.class, "(mycelium.service=svc-a1)");
        final Path file = workDir().resolve("topology.toml");
        final String good = Files.readString(file);
        writeAtomically(file, good + "[[nodes]]\nname = \"a\"\nservices = []\n");
        try {
            awaitTrue("error reported", () -> status.state().lastError().isPresent());
            final String error = status.state().lastError().get();
            assertTrue(error, error.startsWith(file + ":8: node 'a' is defined twice (first at line 2)"));
            assertTrue("running topology kept", hasContext("svc-a1") && hasContext("svc-a2"));
        } finally {
            writeAtomically(file, good);
        }
        awaitTrue("error cleared", () -> status.state().lastError().isEmpty());
    }

    private boolean hasContext(final String service) {
        try {
            return !context.getServiceReferences(ServiceContext.class, "(mycelium.service=" + service + ")")
                    .isEmpty();
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Configuration configuration(final ConfigurationAdmin admin, final String kind) {
        try {
            final Configuration[] found = admin.listConfigurations("(" + Constants.SERVICE_PID
                    + "=io.mycelium.transport." + kind + "~topology)");
            return found == null ? null : found[0];
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeAtomically(final Path file, final String text) throws IOException {
        final Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A folder of this test class under target/, known to the driver and (through the property) the container. */
    private static Path workDir() {
        return Path.of(System.getProperty("itest.bundles")).resolveSibling("topology-it").toAbsolutePath();
    }
}
