package io.mycelium.itests.osgi;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
import org.osgi.framework.ServiceRegistration;

/**
 * With no topology at all the node runs the embedded default: node {@code local}, no transports, and every
 * ServiceContext someone asks for by name is granted (monolith mode).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TopologyDefaultIT extends MyceliumTestBase {

    private ServiceRegistration<?> bus;

    @Override
    protected Option[] fixtures() {
        final Path dir = Path.of(System.getProperty("itest.bundles")).resolveSibling("topology-default-it");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Option[] {ContextConsumerBundle.forService(dir, "java-strategy")};
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
    public void shouldActivateEveryJavaServiceWhenNoTopology() {
        awaitService(Runnable.class, "(" + ContextConsumerBundle.SERVICE_PROPERTY + "=java-strategy)");
        assertEquals("local", awaitService(ServiceContext.class, "(mycelium.service=java-strategy)").nodeName());
    }

    @Test
    public void shouldGrantRequestedContextOnLocalNodeWhenNoTopology() {
        final TopologyStatus status = awaitService(TopologyStatus.class, null);
        assertEquals("local", status.state().nodeName());
        // awaitService's tracker looks the context up by name: that lookup is the request.
        final ServiceContext demo = awaitService(ServiceContext.class, "(mycelium.service=demo-service)");
        assertEquals("demo-service", demo.serviceName());
        assertEquals("local", demo.nodeName());
        awaitTrue("default topology lists the service",
                () -> status.state().topology().nodes().get(0).services().contains("demo-service"));
    }
}
