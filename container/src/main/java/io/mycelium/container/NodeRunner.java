package io.mycelium.container;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Runs one node: prepares its folders, starts Felix with the system bundles, prints the READY line and waits until
 * a signal or the shell stops the framework. Used by the launcher's main thread only.
 */
final class NodeRunner {

    /** Bundles of the Web Console stack, installed but not started when the console is off. */
    private static final List<String> CONSOLE_BUNDLES = List.of("org.apache.felix.http.jetty12",
            "org.apache.felix.webconsole", "org.apache.felix.webconsole.plugins.ds");
    private static final long STOP_TIMEOUT_MS = 9_000;
    /** How long READY waits for the topology's transports to start (or fail). */
    private static final long TRANSPORT_TIMEOUT_MS = 10_000;

    private final NodeLayout layout;
    private final LaunchOptions options;
    private final PrintStream out;
    private final long startNanos;

    NodeRunner(final NodeLayout layout, final LaunchOptions options, final PrintStream out, final long startNanos) {
        this.layout = layout;
        this.options = options;
        this.out = out;
        this.startNanos = startNanos;
    }

    /**
     * Runs the node until it stops.
     *
     * @return the exit status: 0 after a clean stop
     * @throws LaunchException when the node cannot start
     */
    int run() throws LaunchException {
        layout.prepare();
        try (FileChannel lockFile = FileChannel.open(layout.data().resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockData(lockFile)) {
            return runLocked();
        } catch (final IOException e) {
            throw new LaunchException("cannot lock " + layout.data() + ": " + e, e);
        }
    }

    private FileLock lockData(final FileChannel channel) throws LaunchException, IOException {
        try {
            final FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (final OverlappingFileLockException e) {
            // same JVM: reported below like another process
        }
        throw new LaunchException("another instance runs with data folder " + layout.data()
                + " (give each instance its own --data DIR)");
    }

    private int runLocked() throws LaunchException {
        checkConfigFilesReadable();
        final Map<String, String> overrides = new HashMap<>();
        options.node().ifPresent(node -> overrides.put("mycelium.node", node));
        options.topology().ifPresent(file -> overrides.put("mycelium.topology", file.toAbsolutePath().toString()));
        options.consolePort().ifPresent(port -> overrides.put("mycelium.console.port", Integer.toString(port)));
        if (options.consoleOff()) {
            overrides.put("mycelium.console.enabled", "false");
        }
        if (options.topology().isPresent() && !Files.isReadable(options.topology().get())) {
            throw new LaunchException("--topology " + options.topology().get() + " does not exist or is unreadable");
        }
        final Map<String, String> properties = FrameworkProperties.load(layout, overrides);
        final ConsoleSettings console = ConsoleSettings.resolve(properties, layout, System.getenv());
        properties.put(Constants.FRAMEWORK_STORAGE, layout.cache().toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.put("gosh.args", options.interactive() ? "" : "--nointeractive");
        if (console.enabled()) {
            properties.put("org.osgi.service.http.port", Integer.toString(console.port()));
            properties.put("org.apache.felix.http.host", console.host());
            properties.put("felix.webconsole.username", console.user());
            properties.put("felix.webconsole.password", console.password());
        }
        final String node = properties.getOrDefault("mycelium.node", "local");

        final Framework framework = newFramework(properties);
        final SignalStopper stopper = new SignalStopper(framework, STOP_TIMEOUT_MS);
        final NodeHealthProbe.Health health;
        try {
            framework.init();
            framework.start();
            stopper.install();
            new SystemBundles(SystemBundles.names(properties.get("mycelium.start.first")),
                    SystemBundles.names(properties.get("mycelium.start.last")),
                    console.enabled() ? List.of() : CONSOLE_BUNDLES)
                    .installAndStart(framework.getBundleContext(), layout.system());
            requireAllActive(framework, console.enabled() ? List.of() : CONSOLE_BUNDLES);
            health = NodeHealthProbe.await(framework.getBundleContext(), TRANSPORT_TIMEOUT_MS);
            if (health.fatal().isPresent()) {
                throw new LaunchException(health.fatal().get());
            }
            if (console.enabled()) {
                awaitListening(console);
                describeCredentials(console);
            }
        } catch (final BundleException e) {
            stopQuietly(framework);
            throw new LaunchException("the OSGi framework failed to start: " + e.getMessage(), e);
        } catch (final LaunchException e) {
            stopQuietly(framework);
            throw e;
        }
        final double seconds = (System.nanoTime() - startNanos) / 1e9;
        // one write of one whole line: logs on stderr share the terminal or file and must not split it
        for (final String pending : health.pending()) {
            LogLine.launcher().error("PROBLEM: not started within " + TRANSPORT_TIMEOUT_MS / 1000 + " s: " + pending,
                    null);
        }
        // problems were logged one per line (ERROR "PROBLEM: ...") by the topology bundle as they appeared
        final int problems = health.problems().size() + health.pending().size();
        // fields are only ever added at the end: scripts and tests parse this line
        printLine(String.format("READY node=%s console=%s deploy=%s time=%.2fs problems=%d mycelium=%s metrics=%s%s",
                node, console.url(), layout.deploy(), seconds, problems, myceliumPage(console), metrics(console),
                problems == 0 ? "" : " (see the PROBLEM lines in the log above and the Mycelium page)"));
        return awaitStop(framework, stopper);
    }

    private void checkConfigFilesReadable() throws LaunchException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.etc())) {
            for (final Path file : files) {
                if (Files.isRegularFile(file) && !Files.isReadable(file)) {
                    throw new LaunchException("cannot read " + file + ": permission denied (fix its mode or owner)");
                }
            }
        } catch (final IOException e) {
            throw new LaunchException("cannot list " + layout.etc() + ": " + e, e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Framework newFramework(final Map<String, String> properties) throws LaunchException {
        final FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new LaunchException("no OSGi framework on the class path (lib/ is incomplete)"));
        // the framework's own messages (felix.log.level) in the node's one line format, not Felix's "ERROR: ..."
        final Map<String, Object> config = new HashMap<>(properties);
        config.put("felix.log.logger", LogLine.framework(System.err));
        return factory.newFramework((Map) config);
    }

    private static void requireAllActive(final Framework framework, final List<String> skipped)
            throws LaunchException {
        for (final Bundle bundle : framework.getBundleContext().getBundles()) {
            final boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && bundle.getState() != Bundle.ACTIVE && !skipped.contains(bundle.getSymbolicName())) {
                throw new LaunchException("bundle " + bundle.getSymbolicName() + " is not active (state "
                        + bundle.getState() + ")");
            }
        }
    }

    /** @return the Web Console's Mycelium page (topics, rates, links, Python services), or {@code none} */
    static String myceliumPage(final ConsoleSettings console) {
        return console.enabled() ? console.url() + "/mycelium" : "none";
    }

    /** @return the Prometheus metrics on the node's HTTP service (the console's host and port), or {@code none} */
    static String metrics(final ConsoleSettings console) {
        return console.enabled() ? "http://" + console.host() + ":" + console.port() + "/metrics" : "none";
    }

    /** Jetty binds asynchronously; READY promises a console that answers. */
    private static void awaitListening(final ConsoleSettings console) throws LaunchException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(console.host(), console.port()), 200);
                return;
            } catch (final IOException e) {
                try {
                    Thread.sleep(50);
                } catch (final InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new LaunchException("interrupted while waiting for the Web Console");
                }
            }
        }
        throw new LaunchException("the Web Console did not start listening on " + console.host() + ":"
                + console.port() + " within 15 s (see the log above)");
    }

    private void describeCredentials(final ConsoleSettings console) {
        final String where = "; the bus: " + myceliumPage(console) + ", metrics: " + metrics(console);
        if (console.passwordFile().isPresent()) {
            printLine("Web Console " + console.url() + ": user '" + console.user() + "', password "
                    + (console.generated() ? "generated into " : "in ") + console.passwordFile().get() + where);
        } else {
            printLine("Web Console " + console.url() + ": user '" + console.user() + "', configured password" + where);
        }
    }

    private int awaitStop(final Framework framework, final SignalStopper stopper) {
        try {
            final FrameworkEvent event = framework.waitForStop(0);
            if (event.getType() == FrameworkEvent.ERROR) {
                LogLine.launcher().error("the framework stopped with an error", event.getThrowable());
                return 1;
            }
            printLine(String.format("STOPPED in %.2fs", stopper.secondsSinceStopRequest()));
            return 0;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private void printLine(final String line) {
        out.print(line + System.lineSeparator());
        out.flush();
    }

    private static void stopQuietly(final Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(STOP_TIMEOUT_MS);
        } catch (final BundleException e) {
            LogLine.launcher().error("stopping after a failed start also failed: " + e.getMessage(), null);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
