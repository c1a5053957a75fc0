package io.mycelium.itests.osgi;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import io.mycelium.api.MessageBus;
import io.mycelium.api.link.LinkBus;
import io.mycelium.testsupport.LoopbackBus;

import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Base of every Pax Exam test: starts a real Felix with the node's core bundles (SCR, ConfigAdmin, FileInstall,
 * logging, JCTools and every Mycelium bundle of the reactor, from {@code target/itest-bundles}) and offers bounded
 * waits. A subclass adds its fixture bundles by overriding {@link #fixtures()}.
 */
public abstract class MyceliumTestBase {

    /** Default bound of every wait: generous for a loaded 2-core CI machine, never slept blindly. */
    protected static final long TIMEOUT_MS = 20_000;

    @Inject
    protected BundleContext context;

    /**
     * The Pax Exam configuration: the core bundles, JUnit and the subclass's fixtures.
     *
     * @return the options
     * @throws IOException if the bundle folder cannot be listed
     */
    @Configuration
    public Option[] config() throws IOException {
        final List<Option> options = new ArrayList<>();
        options.add(cleanCaches());
        options.add(junitBundles());
        options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        // Pax Exam owns org.osgi.framework.system.packages.extra (it exports its own API that way): boot delegation instead
        options.add(frameworkProperty("org.osgi.framework.bootdelegation").value("sun.misc,jdk.internal.misc"));
        options.add(frameworkProperty("felix.log.level").value(System.getProperty("itest.felix.log.level", "1")));
        for (final Path jar : coreBundles()) {
            options.add(bundle(jar.toUri().toString()));
        }
        options.add(composite(fixtures()));
        return options.toArray(Option[]::new);
    }

    /** @return extra options of a test class: fixture bundles, properties */
    protected Option[] fixtures() {
        return new Option[0];
    }

    /**
     * A reactor bundle that is not one of the core bundles (the Python host, the example protocol), for a test that
     * adds it in {@link #fixtures()}; copied to {@code target/itest-extra-bundles} by the build.
     *
     * @param artifactId the module's artifact id, e.g. {@code python}
     * @return the option installing and starting it
     */
    protected static Option extraBundle(final String artifactId) {
        final String dir = System.getProperty("itest.extra.bundles");
        if (dir == null) {
            throw new IllegalStateException("system property itest.extra.bundles is not set (run through mvn verify)");
        }
        final Path jar = Path.of(dir, artifactId + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; add " + artifactId + " to the itest-extra-bundles"
                + " execution of itests/pom.xml");
        }
        return bundle(jar.toUri().toString());
    }

    /**
     * Registers the test-support {@link LoopbackBus} as the node's {@link MessageBus} and {@link LinkBus}, at the
     * lowest ranking, unless a bus service exists (the bus bundle's real one): lets a test run bundles that need
     * the bus without the bus bundle.
     *
     * @return the registration to unregister after the test, or {@code null} when the real bus is there
     */
    protected ServiceRegistration<?> registerLoopbackBusUnlessPresent() {
        if (context.getServiceReference(MessageBus.class) != null) {
            return null;
        }
        final Dictionary<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, Integer.MIN_VALUE);
        return context.registerService(new String[] {MessageBus.class.getName(), LinkBus.class.getName()},
            new LoopbackBus(), props);
    }

    /**
     * Waits for a service.
     *
     * @param type   the service interface
     * @param filter an LDAP filter over its properties, or {@code null}
     * @param <S>    the service type
     * @return the service
     * @throws AssertionError if it does not appear within {@link #TIMEOUT_MS}
     */
    protected <S> S awaitService(final Class<S> type, final String filter) {
        final String full = filter == null ? "(objectClass=" + type.getName() + ")"
                : "(&(objectClass=" + type.getName() + ")" + filter + ")";
        try {
            final ServiceTracker<S, S> tracker = new ServiceTracker<>(context, context.createFilter(full), null);
            tracker.open();
            final S service = tracker.waitForService(TIMEOUT_MS);
            if (service == null) {
                tracker.close();
                throw new AssertionError("no service " + full + " within " + TIMEOUT_MS + " ms");
            }
            return service;
        } catch (final InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad filter " + full, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + full, e);
        }
    }

    /**
     * Polls a condition until it holds.
     *
     * @param what      what is awaited, for the failure message
     * @param condition the condition
     * @throws AssertionError if it does not hold within {@link #TIMEOUT_MS}
     */
    protected static void awaitTrue(final String what, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + TIMEOUT_MS + " ms: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /**
     * @param symbolicName a bundle symbolic name
     * @return the installed bundle
     * @throws AssertionError if none is installed
     */
    protected Bundle installedBundle(final String symbolicName) {
        for (final Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }

    /** @return the bundle that loaded the test class (the Pax Exam probe) */
    protected Bundle probe() {
        return FrameworkUtil.getBundle(getClass());
    }

    private static List<Path> coreBundles() throws IOException {
        final String dir = System.getProperty("itest.bundles");
        if (dir == null) {
            throw new IllegalStateException("system property itest.bundles is not set (run through mvn verify)");
        }
        final List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(new File(dir).toPath(), "*.jar")) {
            stream.forEach(jars::add);
        }
        // SPI Fly and the slf4j binding first, so logging never binds to NOP
        jars.sort((a, b) -> Integer.compare(rank(a), rank(b)) != 0 ? Integer.compare(rank(a), rank(b))
                : a.compareTo(b));
        return jars;
    }

    private static int rank(final Path jar) {
        final String name = jar.getFileName().toString();
        if (name.startsWith("org.apache.aries.spifly") || name.startsWith("asm")) {
            return 0;
        }
        return name.startsWith("slf4j") ? 1 : 2;
    }
}
