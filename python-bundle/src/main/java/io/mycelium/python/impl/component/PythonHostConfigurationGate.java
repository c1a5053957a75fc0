package io.mycelium.python.impl.component;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enables {@link PythonHostComponent} (disabled by default) once the configuration it starts CPython with is final,
 * because CPython starts once per JVM and a later configuration change needs a restart.
 *
 * <p>On a node, FileInstall starts last and delivers {@code etc/io.mycelium.python.cfg} to ConfigAdmin after the
 * python bundle is active; enabled at once, the host would start CPython with the defaults and ignore the file (a
 * {@code python.executable} naming a venv, for example) until the next restart. So when that file exists, this gate
 * waits until its content has reached the shared configuration PID (it is given the same configuration as the host),
 * and enables the host then; after {@value #WAIT_SECONDS} s without it (no FileInstall), it enables the host anyway
 * and says so. Without the file (or outside a node: no {@code mycelium.etc}) it enables the host at once.
 *
 * <p>Thread contract: DS calls activate, modified and deactivate; the timer calls {@link #open} on its own thread;
 * the host is enabled at most once.
 */
@Component(name = PythonHostConfigurationGate.NAME, immediate = true, service = {},
        configurationPid = PythonHostComponent.PID)
public final class PythonHostConfigurationGate {

    /** The DS component name, kept from before the split; see {@link PythonHostComponent#NAME} for why it matters. */
    public static final String NAME = "io.mycelium.python.impl.PythonHostConfigurationGate";

    private static final Logger LOG = LoggerFactory.getLogger(PythonHostConfigurationGate.class);
    // Only reached when FileInstall never delivers the file; a loaded 2-core machine took over 10 s to deliver it.
    static final long WAIT_SECONDS = 60;
    private static final String FILE_INSTALL_FILENAME = "felix.fileinstall.filename";

    private final ComponentContext context;
    private final Path file;
    private final AtomicBoolean opened = new AtomicBoolean();
    private final ScheduledExecutorService timer;

    /**
     * Enables the host now, or waits for {@code etc/io.mycelium.python.cfg}.
     *
     * @param context    this component's context (enables the host)
     * @param properties the configuration DS has for the PID now
     */
    @Activate
    public PythonHostConfigurationGate(final ComponentContext context, final Map<String, Object> properties) {
        this.context = context;
        final String etc = context.getBundleContext().getProperty("mycelium.etc");
        this.file = etc == null ? null : Path.of(etc, PythonHostComponent.PID + ".cfg");
        if (file == null || !Files.isRegularFile(file) || delivered(properties)) {
            this.timer = null;
            open("");
            return;
        }
        LOG.info("waiting for {} to reach ConfigAdmin before starting CPython", file);
        final ScheduledThreadPoolExecutor waiting = new ScheduledThreadPoolExecutor(1, runnable -> {
            final Thread thread = new Thread(runnable, "python-host-configuration-gate");
            thread.setDaemon(true);
            return thread;
        });
        waiting.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        waiting.schedule(() -> open(" without " + file + ": it did not reach ConfigAdmin within " + WAIT_SECONDS
                + " s (is FileInstall running and watching etc/?)"), WAIT_SECONDS, TimeUnit.SECONDS);
        this.timer = waiting;
    }

    /**
     * Enables the host once the file's content has arrived.
     *
     * @param properties the new configuration of the PID
     */
    @Modified
    void modified(final Map<String, Object> properties) {
        if (!opened.get() && delivered(properties)) {
            open("");
        }
    }

    /** Stops waiting. */
    @Deactivate
    void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void open(final String why) {
        if (!opened.compareAndSet(false, true)) {
            return;
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        if (!why.isEmpty()) {
            LOG.warn("starting CPython{}", why);
        }
        context.enableComponent(PythonHostComponent.NAME);
    }

    /**
     * @return whether {@code properties} came from {@link #file} and hold its values (values with {@code ${...}} are
     *         interpolated by FileInstall, so only their presence is compared)
     */
    private boolean delivered(final Map<String, Object> properties) {
        if (!fromFile(properties.get(FILE_INSTALL_FILENAME))) {
            return false;
        }
        final Properties content = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            content.load(reader);
        } catch (final IOException e) {
            LOG.warn("cannot read {} to compare it with the configuration ConfigAdmin holds: {}", file, e.toString());
            return true; // FileInstall cannot read it either; nothing better will arrive
        }
        for (final String key : content.stringPropertyNames()) {
            final String value = content.getProperty(key);
            final Object held = properties.get(key);
            if (held == null || !value.contains("${") && !value.equals(held.toString())) {
                return false;
            }
        }
        return true;
    }

    /** FileInstall names the file as {@code file:/...} (File.toURI), not {@code file:///...}: compare paths. */
    private boolean fromFile(final Object source) {
        if (source == null) {
            return false;
        }
        try {
            return Path.of(URI.create(source.toString())).equals(file);
        } catch (final IllegalArgumentException | FileSystemNotFoundException e) {
            return false;
        }
    }
}
