package io.mycelium.examples.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Installs the built example bundle with api, protocol and SCR into an embedded Felix: it must resolve, start, and
 * register its Schema service carrying the digest property.
 */
class ExamplesBundleIT {

    /** File name prefixes of the runtime bundles, in start order. */
    private static final String[] RUNTIME = {"org.osgi.util.function-", "org.osgi.util.promise-",
        "org.osgi.service.component-", "org.apache.felix.scr-", "api-", "protocol-"};

    @TempDir
    Path storage;

    @Test
    void shouldResolveAndRegisterSchemaServiceWhenInstalledWithScr() throws Exception {
        final Framework framework = new FrameworkFactory().newFramework(Map.of(
            Constants.FRAMEWORK_STORAGE, storage.toString(),
            Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.start();
        try {
            final BundleContext context = framework.getBundleContext();
            final List<Bundle> bundles = new ArrayList<>();
            for (final String jar : runtimeJars()) {
                bundles.add(context.installBundle(new File(jar).toURI().toString()));
            }
            final Path examples = Path.of(System.getProperty("examples.bundle"));
            final Bundle bundle = context.installBundle(examples.toUri().toString());
            bundles.add(bundle);
            for (final Bundle each : bundles) {
                each.start();
            }
            assertEquals(Bundle.ACTIVE, bundle.getState());
            final ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=io.mycelium.api.Schema)(mycelium.schema.digest="
                    + ExamplesSchema.DIGEST_HEX + "))"), null);
            // all services: the launcher's own copy of io.mycelium.api (test class path) differs from the bundle's
            tracker.open(true);
            try {
                assertNotNull(tracker.waitForService(10_000),
                    () -> "Schema service not registered within 10 s; bundles: " + describe(context));
                final ServiceReference<Object> reference = tracker.getServiceReference();
                assertEquals(bundle, reference.getBundle());
            } finally {
                tracker.close();
            }
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    private static String describe(final BundleContext context) {
        final StringBuilder text = new StringBuilder();
        for (final Bundle bundle : context.getBundles()) {
            text.append("\n  ").append(bundle.getSymbolicName()).append(" state ").append(bundle.getState())
                .append(" services ").append(java.util.Arrays.toString(bundle.getRegisteredServices()));
        }
        return text.toString();
    }

    private static List<String> runtimeJars() {
        final List<String> jars = new ArrayList<>();
        final String[] classpath = System.getProperty("java.class.path").split(File.pathSeparator);
        for (final String name : RUNTIME) {
            String found = null;
            for (final String entry : classpath) {
                final String fileName = Path.of(entry).getFileName().toString();
                if (fileName.startsWith(name) && fileName.endsWith(".jar")
                    && Files.isRegularFile(Path.of(entry))) {
                    found = entry;
                    break;
                }
            }
            if (found == null) {
                throw new AssertionError("no bundle jar matching '" + name + "' on the test class path: "
                    + String.join(File.pathSeparator, classpath));
            }
            jars.add(found);
        }
        return jars;
    }
}
