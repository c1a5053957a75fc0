package io.mycelium.itests.osgi.python;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mycelium.api.Delivery;
import io.mycelium.api.MessageBus;
import io.mycelium.api.Subscription;
import io.mycelium.itests.osgi.MyceliumTestBase;
import io.mycelium.python.PythonServiceMonitor;
import io.mycelium.testsupport.TestFiles;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The python bundle in Felix with SCR and FileInstall: its manifest resolves, its component starts CPython, and a
 * {@code .py} dropped into the deploy folder runs, reloads on change and stops on delete, publishing to the node's
 * bus (read by a raw subscriber of the test); stopping the bundle stops a service still running.
 *
 * <p>CPython starts once per JVM: this is the only Pax Exam test that installs the python bundle.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PythonBundleIT extends MyceliumTestBase {

    private static final int PING = 1001;
    private static final String SERVICE = """
            import signal, struct, sys, time
            from mycelium_native import Runtime

            class Ping:
                TYPE_ID = 1001
                def __init__(self, value):
                    self.value = value
                def to_bytes(self):
                    return struct.pack("<q", self.value)

            runtime = Runtime()
            runtime.publish(Ping(%d))
            print("service version %d running")

            def shutdown_handler(sig, frame):
                runtime.publish(Ping(%d))
                runtime.close()
                sys.exit(0)

            signal.signal(signal.SIGTERM, shutdown_handler)
            while True:
                time.sleep(1)
            """;

    @Override
    protected Option[] fixtures() {
        final Path deploy = Path.of("target", "python-bundle-it", "deploy").toAbsolutePath();
        try {
            TestFiles.deleteRecursively(deploy);
            Files.createDirectories(deploy);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Option[] {
            frameworkProperty("felix.fileinstall.dir").value(deploy.toString()),
            frameworkProperty("felix.fileinstall.poll").value("100"),
            frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
            extraBundle("python"),
        };
    }

    @Test
    public void shouldRunReloadAndStopDeployedServiceWhenBundleRunsInFelix() throws Exception {
        final Path deploy = Path.of(context.getProperty("felix.fileinstall.dir"));
        for (final Bundle bundle : context.getBundles()) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                assertEquals(bundle.getSymbolicName() + " is not active", Bundle.ACTIVE, bundle.getState());
            }
        }
        final Bundle python = installedBundle("io.mycelium.python");
        awaitTrue("the python component started", () -> installerOf(python) != null);

        final MessageBus bus = awaitService(MessageBus.class, null);
        final List<Long> published = new CopyOnWriteArrayList<>();
        try (Subscription pings = bus.subscribeRaw(PING, (typeId, payload) ->
                published.add(payload.order(ByteOrder.LITTLE_ENDIAN).getLong(payload.position())), Delivery.INLINE)) {
            final Path service = deploy.resolve("hello.py");
            TestFiles.writeAtomically(service, SERVICE.formatted(1, 1, 91));
            awaitTrue("the deployed service published: " + published, () -> published.contains(1L));

            final String report = String.valueOf(awaitService(PythonServiceMonitor.class, null).services());
            assertTrue(report, report.contains("name=hello, state=running"));

            TestFiles.writeAtomically(service, SERVICE.formatted(2, 2, 92));
            awaitTrue("the reloaded service published: " + published, () -> published.contains(2L));
            assertTrue("version 1's SIGTERM handler did not run on reload: " + published, published.contains(91L));

            Files.delete(service);
            awaitTrue("deleting the file stopped the service", () -> published.contains(92L));

            // a service still running when the python bundle stops is stopped and CPython finalised
            TestFiles.writeAtomically(deploy.resolve("keeper.py"), SERVICE.formatted(3, 3, 93));
            awaitTrue("the second service published: " + published, () -> published.contains(3L));
            python.stop();
            assertEquals(Bundle.RESOLVED, python.getState());
            assertTrue("stopping the bundle did not stop the service: " + published, published.contains(93L));
        }
    }

    private ServiceReference<?> installerOf(final Bundle python) {
        try {
            final ServiceReference<?>[] references = context.getAllServiceReferences(
                "org.apache.felix.fileinstall.ArtifactInstaller", null);
            if (references == null) {
                return null;
            }
            for (final ServiceReference<?> reference : references) {
                if (python.equals(reference.getBundle())) {
                    return reference;
                }
            }
            return null;
        } catch (final InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
