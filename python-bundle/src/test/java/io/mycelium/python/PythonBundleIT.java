package io.mycelium.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import io.mycelium.python.impl.PythonTestSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * The python bundle in Felix 7 with SCR and FileInstall: its manifest resolves, its component starts CPython, and a
 * {@code .py} dropped into the deploy folder runs, reloads on change and stops on delete, publishing through a
 * recording {@code MessageBus} registered by the test.
 */
class PythonBundleIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Started first, in this order, so slf4j binds to slf4j-simple (osgi-stack.md gotcha 1). */
    private static final List<String> FIRST = List.of("org.apache.aries.spifly", "asm", "slf4j-simple");
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

    @TempDir
    Path work;

    @Test
    void shouldRunReloadAndStopDeployedServiceWhenBundleRunsInFelix() throws Exception {
        final Path deploy = Files.createDirectories(work.resolve("deploy"));
        final Map<String, String> properties = new HashMap<>();
        properties.put("org.osgi.framework.storage", work.resolve("felix-cache").toString());
        properties.put("org.osgi.framework.storage.clean", "onFirstInit");
        properties.put("felix.fileinstall.dir", deploy.toString());
        properties.put("felix.fileinstall.poll", "100");
        properties.put("felix.fileinstall.noInitialDelay", "true");
        properties.put("ds.loglevel", "warn"); // SCR reports activation failures on stdout
        // the test class path has its own slf4j: without this, Felix lets ServiceLoader see it from bundles
        properties.put("felix.bootdelegation.implicit", "false");
        final Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next()
                .newFramework(properties);
        framework.init();
        try {
            final List<Bundle> bundles = install(framework);
            framework.start();
            final List<Long> published = new CopyOnWriteArrayList<>();
            registerRecordingBus(framework, bundles, published);
            for (final Bundle bundle : bundles) {
                bundle.start();
            }
            for (final Bundle bundle : bundles) {
                assertEquals(Bundle.ACTIVE, bundle.getState(), bundle.getSymbolicName() + " is not active");
            }
            assertTrue(await(() -> installerOf(framework) != null), "the python component did not start");

            final Path service = deploy.resolve("hello.py");
            writeAtomically(service, SERVICE.formatted(1, 1, 91));
            assertTrue(await(() -> published.contains(1L)), "the deployed service did not publish: " + published);

            assertTrue(monitorReport(framework).contains("name=hello, state=running"), monitorReport(framework));

            writeAtomically(service, SERVICE.formatted(2, 2, 92));
            assertTrue(await(() -> published.contains(2L)), "the reloaded service did not publish: " + published);
            assertTrue(published.contains(91L), "version 1's SIGTERM handler did not run on reload: " + published);

            Files.delete(service);
            assertTrue(await(() -> published.contains(92L)), "deleting the file did not stop the service");

            // a service still running when the framework stops is stopped and CPython finalised
            writeAtomically(deploy.resolve("keeper.py"), SERVICE.formatted(3, 3, 93));
            assertTrue(await(() -> published.contains(3L)), "the second service did not publish: " + published);
            framework.stop();
            assertEquals(FrameworkEvent.STOPPED, framework.waitForStop(30_000).getType());
            assertTrue(published.contains(93L), "stopping the framework did not stop the service: " + published);
        } finally {
            if (framework.getState() != Bundle.RESOLVED) {
                framework.stop();
                framework.waitForStop(30_000);
            }
        }
    }

    private static List<Bundle> install(final Framework framework) throws Exception {
        final List<File> jars = new ArrayList<>(List.of(
                Path.of(System.getProperty("itest.bundles")).toFile().listFiles((dir, name) -> name.endsWith(".jar"))));
        jars.sort(Comparator.comparingInt(PythonBundleIT::startRank).thenComparing(File::getName));
        jars.add(new File(System.getProperty("itest.python.bundle")));
        final List<Bundle> bundles = new ArrayList<>();
        for (final File jar : jars) {
            bundles.add(framework.getBundleContext().installBundle(jar.toURI().toString()));
        }
        return bundles;
    }

    private static int startRank(final File jar) {
        for (int i = 0; i < FIRST.size(); i++) {
            if (jar.getName().startsWith(FIRST.get(i))) {
                return i;
            }
        }
        return FIRST.size();
    }

    /** Registers a MessageBus proxy (of the api bundle's interface) that records the first long of each payload. */
    private static void registerRecordingBus(final Framework framework, final List<Bundle> bundles,
                                             final List<Long> published) throws Exception {
        final Bundle api = bundles.stream().filter(b -> "io.mycelium.api".equals(b.getSymbolicName())).findFirst()
                .orElseThrow();
        final Class<?> busClass = api.loadClass("io.mycelium.api.MessageBus");
        final Object bus = Proxy.newProxyInstance(busClass.getClassLoader(), new Class<?>[] {busClass},
                (proxy, method, args) -> switch (method.getName()) {
                    case "publishRaw" -> {
                        final ByteBuffer payload = (ByteBuffer) args[1];
                        published.add(payload.order(ByteOrder.LITTLE_ENDIAN).getLong(payload.position()));
                        yield null;
                    }
                    case "toString" -> "RecordingBus";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        framework.getBundleContext().registerService(busClass.getName(), bus, null);
    }

    private static ServiceReference<?> installerOf(final Framework framework) {
        try {
            final ServiceReference<?>[] references = framework.getBundleContext()
                    .getAllServiceReferences("org.apache.felix.fileinstall.ArtifactInstaller", null);
            if (references == null) {
                return null;
            }
            for (final ServiceReference<?> reference : references) {
                if ("io.mycelium.python".equals(reference.getBundle().getSymbolicName())) {
                    return reference;
                }
            }
            return null;
        } catch (final org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The PythonServiceMonitor's report as text (the class is the bundle's, so it is called reflectively). */
    private static String monitorReport(final Framework framework) throws Exception {
        final ServiceReference<?>[] references = framework.getBundleContext()
                .getAllServiceReferences("io.mycelium.python.PythonServiceMonitor", null);
        assertNotNull(references, "no PythonServiceMonitor registered");
        final Object monitor = framework.getBundleContext().getService(references[0]);
        final Class<?> type = references[0].getBundle().loadClass("io.mycelium.python.PythonServiceMonitor");
        return String.valueOf(type.getMethod("services").invoke(monitor));
    }

    private static void writeAtomically(final Path file, final String text) throws Exception {
        final Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temporary, text);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean await(final BooleanSupplier condition) throws InterruptedException {
        return PythonTestSupport.await(WAIT, condition);
    }

    static {
        assertNotNull(System.getProperty("itest.bundles"), "run through failsafe: itest.bundles is not set");
    }
}
