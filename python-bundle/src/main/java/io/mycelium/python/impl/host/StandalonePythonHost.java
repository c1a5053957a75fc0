package io.mycelium.python.impl.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.mycelium.api.MessageBus;
import io.mycelium.python.impl.dispatch.DispatcherSettings;
import io.mycelium.python.impl.interpreter.InterpreterSettings;

/**
 * A {@link PythonHost} without OSGi, for benchmarks, tools and tests on a plain class path: CPython connected to
 * {@code bus}, with this jar's {@code mycelium_native} on sys.path. Inside the server the DS component
 * ({@code component.PythonHostComponent}) runs the host instead.
 *
 * <p>Thread rules as for the interpreter: any thread may call, the first call on a thread gives it a persistent
 * Python thread state. CPython exists once per JVM: {@link #close()} finalises it for good. {@link #close()} is
 * idempotent.
 */
public final class StandalonePythonHost implements AutoCloseable {

    private final PythonHost host;
    private final Path extracted;

    private StandalonePythonHost(final PythonHost host, final Path extracted) {
        this.host = host;
        this.extracted = extracted;
    }

    /**
     * Starts CPython (the one the bridge was built against).
     *
     * @param bus           the bus Python publishes to and subscribes on
     * @param extraSysPath  more directories for sys.path (for example the generated mycelium_protocol's parent)
     * @param schemaDigests the hex digests {@code Runtime(schema_digest=...)} accepts
     * @return the running host
     * @throws IllegalStateException if CPython fails to start or already ran in this JVM
     */
    public static StandalonePythonHost start(final MessageBus bus, final List<Path> extraSysPath,
                                       final List<String> schemaDigests) {
        return start(bus, extraSysPath, schemaDigests, 0);
    }

    /**
     * Starts CPython with dispatchers that spin before parking (lower Java to Python latency, a busy core).
     *
     * @param bus                 the bus Python publishes to and subscribes on
     * @param extraSysPath        more directories for sys.path
     * @param schemaDigests       the hex digests {@code Runtime(schema_digest=...)} accepts
     * @param dispatcherSpinNanos how long an idle dispatcher spins before parking; 0 to park at once
     * @return the running host
     * @throws IllegalStateException if CPython fails to start or already ran in this JVM
     */
    public static StandalonePythonHost start(final MessageBus bus, final List<Path> extraSysPath,
                                       final List<String> schemaDigests, final long dispatcherSpinNanos) {
        final Path extracted;
        try {
            extracted = Files.createTempDirectory("mycelium-python-packages");
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the Python packages", e);
        }
        final List<Path> sysPath = new ArrayList<>();
        sysPath.add(ClasspathResources.pythonPackages(extracted));
        sysPath.addAll(extraSysPath);
        final List<String> digests = List.copyOf(schemaDigests);
        final PythonHost host = PythonHost.start(InterpreterSettings.of(null, null, sysPath), bus,
                () -> digests, new DispatcherSettings(DispatcherSettings.DEFAULT.maxQueueBytes(), dispatcherSpinNanos),
                2.0);
        return new StandalonePythonHost(host, extracted);
    }

    /**
     * Calls {@code module.function(*args)}.
     *
     * @param module   the module, imported if needed
     * @param function the function
     * @param args     null, String, Boolean, Integer, Long, Double, byte[] or Object[] values
     * @return null, String, Boolean, Long, Double, byte[] or Object[]
     * @throws io.mycelium.python.PythonServiceException if Python raises
     */
    public Object call(final String module, final String function, final Object... args) {
        return host.interpreter().call(module, function, args);
    }

    /**
     * Executes code in {@code __main__}.
     *
     * @param source   the code
     * @param filename the name tracebacks show
     * @throws io.mycelium.python.PythonServiceException if Python raises
     */
    public void exec(final String source, final String filename) {
        host.interpreter().exec(source, filename);
    }

    /**
     * Starts (or reloads) a service from a {@code .py} file, folder or {@code .zip}.
     *
     * @param name the service name
     * @param file the service
     */
    public void startService(final String name, final Path file) {
        host.services().start(name, file);
    }

    /**
     * Stops a service.
     *
     * @param name the service name
     * @return false if it was not running
     */
    public boolean stopService(final String name) {
        return host.services().stop(name);
    }

    /**
     * @return how many times the dispatcher of code not started from deploy/ (the default service: {@code Runtime()}
     *         in {@link #exec}'d code) parked while idle; each wake-up is paid by the message that ends it
     */
    public long defaultDispatcherParks() {
        return host.defaultService().dispatcher().parks();
    }

    /** Drops the calling thread's Python thread state; call before a thread that used Python ends. */
    public void detachCurrentThread() {
        host.interpreter().detachCurrentThread();
    }

    /** Stops every service and finalises CPython. */
    @Override
    public void close() {
        try {
            host.close();
        } finally {
            ClasspathResources.deleteTree(extracted);
        }
    }
}
