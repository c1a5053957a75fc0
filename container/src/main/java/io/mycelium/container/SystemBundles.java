package io.mycelium.container;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;

/**
 * Installs every bundle of {@code system/} and starts them in a deliberate order: the ones named by
 * {@code mycelium.start.first} (SPI Fly and the slf4j binding, so logging never binds to NOP), then the rest by
 * name, then those named by {@code mycelium.start.last} (FileInstall, so deployed files meet a ready node).
 */
final class SystemBundles {

    private final List<String> first;
    private final List<String> last;
    private final List<String> skipped;

    /**
     * @param first   symbolic names started first, in this order
     * @param last    symbolic names started last, in this order
     * @param skipped symbolic names installed but not started (a disabled console)
     */
    SystemBundles(final List<String> first, final List<String> last, final List<String> skipped) {
        this.first = List.copyOf(first);
        this.last = List.copyOf(last);
        this.skipped = List.copyOf(skipped);
    }

    /**
     * Parses a comma-separated list of symbolic names.
     *
     * @param value the property value, may be {@code null}
     * @return the names, trimmed, empty ones removed
     */
    static List<String> names(final String value) {
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Installs and starts the bundles of {@code dir}.
     *
     * @param context the system bundle's context
     * @param dir     the {@code system/} folder
     * @throws LaunchException naming the bundle that failed to install or start, with the framework's reason
     */
    void installAndStart(final BundleContext context, final Path dir) throws LaunchException {
        final List<Bundle> installed = new ArrayList<>();
        for (final Path jar : jars(dir)) {
            try {
                installed.add(context.installBundle(jar.toUri().toString()));
            } catch (final BundleException e) {
                throw new LaunchException("cannot install system bundle " + jar.getFileName() + ": " + e.getMessage(), e);
            }
        }
        installed.sort(Comparator.comparingInt(this::rank).thenComparing(SystemBundles::name));
        for (final Bundle bundle : installed) {
            if (isFragment(bundle) || skipped.contains(name(bundle))) {
                continue;
            }
            try {
                bundle.start();
            } catch (final BundleException e) {
                throw new LaunchException("system bundle " + name(bundle) + " " + bundle.getVersion()
                        + " failed to start: " + rootMessage(e), e);
            }
        }
    }

    private int rank(final Bundle bundle) {
        final int firstIndex = first.indexOf(name(bundle));
        if (firstIndex >= 0) {
            return firstIndex - first.size();
        }
        final int lastIndex = last.indexOf(name(bundle));
        return lastIndex >= 0 ? 1 + lastIndex : 0;
    }

    private static List<Path> jars(final Path dir) throws LaunchException {
        final List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.jar")) {
            stream.forEach(jars::add);
        } catch (final IOException e) {
            throw new LaunchException("cannot list system bundles in " + dir + ": " + e, e);
        }
        if (jars.isEmpty()) {
            throw new LaunchException("no system bundles in " + dir + " (is the distribution complete?)");
        }
        jars.sort(Comparator.naturalOrder());
        return jars;
    }

    private static boolean isFragment(final Bundle bundle) {
        return bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
    }

    private static String name(final Bundle bundle) {
        final String name = bundle.getSymbolicName();
        return name == null ? bundle.getLocation() : name;
    }

    private static String rootMessage(final Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == error ? error.getMessage() : error.getMessage() + " (" + cause + ")";
    }
}
