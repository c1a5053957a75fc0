package io.mycelium.python.impl.interpreter;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import io.mycelium.python.impl.jni.NativeBridge;
import io.mycelium.python.impl.jni.PythonUpcalls;

/**
 * Owns the JVM's one CPython interpreter: starts it on a dedicated {@code python-main} thread, which keeps the
 * interpreter's main thread state until {@link #close()} finalises it on that same thread.
 *
 * <p>Thread rules: {@link #call}, {@link #exec}, {@link #attachCurrentThread()} and
 * {@link #detachCurrentThread()} may be called from any thread, concurrently; the GIL serialises them. The first call
 * on a thread gives that thread a persistent Python thread state (a per-call one costs ~10 us); a thread that stops
 * using Python should call {@link #detachCurrentThread()} before it ends. {@link #close()} is idempotent and
 * synchronized; after it every call throws {@link IllegalStateException}. CPython cannot be started again in the same
 * JVM after it was finalised. {@link #close()} waits for calls in flight; calling it from Python code (a callback)
 * would wait for itself.
 */
public final class PythonInterpreter implements AutoCloseable {

    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long STOP_TIMEOUT_SECONDS = 30;

    private final Thread mainThread;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> stopRequested = new CompletableFuture<>();
    private final CompletableFuture<Integer> finalised = new CompletableFuture<>();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean lifecycleClosed; // set once by close(); close() then waits for the readers in flight
    private boolean closed; // guarded by this

    private PythonInterpreter(final InterpreterSettings config, final PythonUpcalls upcalls) {
        final String[] sysPath = config.sysPath().stream().map(Object::toString).toArray(String[]::new);
        mainThread = new Thread(() -> runMain(config, sysPath, upcalls), "python-main");
        mainThread.setDaemon(true);
    }

    /**
     * Starts the interpreter and waits until it runs.
     *
     * @param config  where CPython is and what goes on sys.path
     * @param upcalls the target of Python's calls into Java
     * @return the running interpreter
     * @throws IllegalStateException if CPython fails to start or was started before in this JVM
     */
    public static PythonInterpreter start(final InterpreterSettings config, final PythonUpcalls upcalls) {
        final PythonInterpreter interpreter = new PythonInterpreter(config, upcalls);
        interpreter.mainThread.start();
        try {
            interpreter.started.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final ExecutionException e) {
            final Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException("CPython failed to start", cause);
        } catch (final TimeoutException e) {
            throw new IllegalStateException("CPython did not start within " + START_TIMEOUT_SECONDS + " s", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while CPython was starting", e);
        }
        return interpreter;
    }

    /** python-main's body: init, wait for close, finalise, all on this one thread. */
    private void runMain(final InterpreterSettings config, final String[] sysPath, final PythonUpcalls upcalls) {
        try {
            NativeBridge.initialize(config.library().toString(), config.executable(), sysPath, upcalls);
        } catch (final RuntimeException | Error e) {
            started.completeExceptionally(e);
            finalised.complete(0);
            return;
        }
        started.complete(null);
        stopRequested.join();
        try {
            finalised.complete(NativeBridge.finalizeInterpreter());
        } catch (final RuntimeException | Error e) {
            finalised.completeExceptionally(e);
        }
    }

    /**
     * Calls {@code module.function(*args)} on the current thread.
     *
     * @param module   the module, imported if needed
     * @param function the function name
     * @param args     null, String, Boolean, Integer, Long, Double, byte[] or Object[] values
     * @return the result: null, String, Boolean, Long, Double, byte[] or Object[]
     * @throws io.mycelium.python.PythonServiceException if Python raises (SystemExit included)
     * @throws IllegalStateException                    if the interpreter is closed
     */
    public Object call(final String module, final String function, final Object... args) {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(function, "function");
        final Lock lock = enter();
        try {
            return NativeBridge.call(module, function, args);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Executes source code in {@code __main__}'s namespace on the current thread.
     *
     * @param source   the code
     * @param filename the file name tracebacks show
     * @throws io.mycelium.python.PythonServiceException if Python raises
     */
    public void exec(final String source, final String filename) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(filename, "filename");
        final Lock lock = enter();
        try {
            NativeBridge.exec(source, filename);
        } finally {
            lock.unlock();
        }
    }

    /** Gives the current thread its persistent Python thread state now (for example in a pool's thread factory). */
    public void attachCurrentThread() {
        final Lock lock = enter();
        try {
            NativeBridge.attachThread();
        } finally {
            lock.unlock();
        }
    }

    /** Drops the current thread's Python thread state; a no-op on python-main or a thread that never called Python. */
    public void detachCurrentThread() {
        final Lock lock = enter();
        try {
            NativeBridge.detachThread();
        } finally {
            lock.unlock();
        }
    }

    /** Takes the read side of the lifecycle lock: {@link #close()} waits for calls in flight, later calls fail. */
    private Lock enter() {
        final Lock lock = lifecycle.readLock();
        lock.lock();
        if (lifecycleClosed) {
            lock.unlock();
            throw new IllegalStateException("the Python host is closed: the embedded CPython interpreter is finalised "
                    + "(it cannot be restarted in the same JVM)");
        }
        return lock;
    }

    /**
     * Finalises the interpreter on python-main and waits for it. Idempotent. Stop every Python service first: the
     * finalisation waits for non-daemon Python threads.
     *
     * @throws IllegalStateException if finalisation fails or does not end within 30 s
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        lifecycleClosed = true; // new calls fail from now on
        try {
            // wait for calls in flight (never call close() from inside Python: it would wait for itself)
            if (!lifecycle.writeLock().tryLock(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("calls into Python are still running after " + STOP_TIMEOUT_SECONDS
                        + " s (a Python thread keeps the GIL?); CPython is left running, not finalised");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for calls into Python to end", e);
        }
        lifecycle.writeLock().unlock();
        stopRequested.complete(null);
        try {
            finalised.get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("CPython failed to finalise", e.getCause());
        } catch (final TimeoutException e) {
            throw new IllegalStateException("CPython did not finalise within " + STOP_TIMEOUT_SECONDS
                    + " s: a non-daemon Python thread is still running", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while CPython was finalising", e);
        }
    }
}
