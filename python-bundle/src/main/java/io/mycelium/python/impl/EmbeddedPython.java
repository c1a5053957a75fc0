package io.mycelium.python.impl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.mycelium.api.MessageBus;

/**
 * The embedded Python host without OSGi, for benchmarks, tools and tests on a plain class path: CPython connected to
 * {@code bus}, with this jar's {@code mycelium_native} on sys.path. Inside the server the DS component
 * ({@link PythonHostComponent}) does this instead.
 *
 * <p>Thread rules as for the interpreter: any thread may call, the first call on a thread gives it a persistent
 * Python thread state. CPython exists once per JVM: {@link #close()} finalises it for good. {@link #close()} is
 * idempotent.
 */
public final class EmbeddedPython implements AutoCloseable {

    private final PythonRuntime runtime;
    private final Path extracted;

    private EmbeddedPython(final PythonRuntime runtime, final Path extracted) {
        this.runtime = runtime;
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
    public static EmbeddedPython start(final MessageBus bus, final List<Path> extraSysPath,
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
    public static EmbeddedPython start(final MessageBus bus, final List<Path> extraSysPath,
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
        final PythonRuntime runtime = PythonRuntime.start(PythonHostConfig.of(null, null, sysPath), bus,
                () -> digests, new DispatcherSettings(DispatcherSettings.DEFAULT.maxQueueBytes(), dispatcherSpinNanos),
                2.0);
        return new EmbeddedPython(runtime, extracted);
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
        return runtime.host().call(module, function, args);
    }

    /**
     * Executes code in {@code __main__}.
     *
     * @param source   the code
     * @param filename the name tracebacks show
     * @throws io.mycelium.python.PythonServiceException if Python raises
     */
    public void exec(final String source, final String filename) {
        runtime.host().exec(source, filename);
    }

    /**
     * Starts (or reloads) a service from a {@code .py} file, folder or {@code .zip}.
     *
     * @param name the service name
     * @param file the service
     */
    public void startService(final String name, final Path file) {
        runtime.services().start(name, file);
    }

    /**
     * Stops a service.
     *
     * @param name the service name
     * @return false if it was not running
     */
    public boolean stopService(final String name) {
        return runtime.services().stop(name);
    }

    /** Drops the calling thread's Python thread state; call before a thread that used Python ends. */
    public void detachCurrentThread() {
        runtime.host().detachCurrentThread();
    }

    /** Stops every service and finalises CPython. */
    @Override
    public void close() {
        try {
            runtime.close();
        } finally {
            ClasspathResources.deleteTree(extracted);
        }
    }
}
