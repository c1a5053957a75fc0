package io.mycelium.python.impl.jni;

import java.nio.ByteBuffer;


/**
 * The JNI entry points of {@code libmycelium_python.so}. The library is loaded when this class initialises, once per
 * class loader: this bundle must never be refreshed, because a JVM loads a JNI library into one class loader only.
 *
 * <p>Thread rules: {@link #initialize} and {@link #finalizeInterpreter} run on the {@code python-main} thread only.
 * Every other method may be called from any thread; the first call on a thread gives it a persistent Python
 * thread state, kept until {@link #detachThread()}. Python exceptions arrive as
 * {@link io.mycelium.python.PythonServiceException}; calls after finalisation throw {@link IllegalStateException}.
 */
public final class NativeBridge {

    static {
        NativeLibrary.load();
    }

    private NativeBridge() {
    }

    /**
     * Starts CPython: dlopens {@code library} RTLD_GLOBAL, isolated config, no signal handlers.
     * {@code python-main} only.
     *
     * @param library    the path of the shared libpython
     * @param executable the interpreter (a venv's python selects that venv), or {@code null}
     * @param sysPath    entries put in front of {@code sys.path}
     * @param upcalls    the target of {@code _mycelium} calls
     * @throws IllegalStateException if CPython was started before in this JVM, or fails to start
     */
    public static native void initialize(String library, String executable, String[] sysPath, PythonUpcalls upcalls);

    /**
     * Finalises CPython; {@code python-main} only. Idempotent.
     *
     * @return the {@code Py_FinalizeEx} result (0 is success; 0 too when not running)
     */
    public static native int finalizeInterpreter();

    /** Gives the current thread its persistent Python thread state now rather than on its first call. */
    public static native void attachThread();

    /** Drops the current thread's persistent Python thread state; call before a thread that used Python ends. */
    public static native void detachThread();

    /**
     * Calls {@code module.function(*args)}.
     *
     * @param module   the module name, imported if needed
     * @param function the attribute name
     * @param args     null, String, Boolean, Integer, Long, Double, byte[] or Object[] values
     * @return the result as null, String, Boolean, Long, Double, byte[] or Object[]
     */
    public static native Object call(String module, String function, Object[] args);

    /**
     * Executes source code in {@code __main__}'s namespace.
     *
     * @param source   the code
     * @param filename the name tracebacks show
     */
    public static native void exec(String source, String filename);

    /** @return the address of a new, owned {@code dict}; give it back with {@link #release(long)} */
    public static native long newDict();

    /**
     * Drops an owned Python reference; a no-op after finalisation.
     *
     * @param object the address from {@link #newDict()}
     */
    public static native void release(long object);

    /**
     * The memory address of a direct buffer, for {@link #deliverBatch}: taken once, so that each batch costs no JNI
     * buffer lookups. The address is valid only while the buffer is reachable: its owner must keep it.
     *
     * @param buffer a direct buffer
     * @return its address
     * @throws IllegalArgumentException if the buffer is null or not direct
     */
    public static native long directAddress(ByteBuffer buffer);

    /**
     * Delivers every record of a run in a ring to its callback under one GIL acquisition (the record layout of
     * {@link io.mycelium.python.impl.dispatch.MpscDispatchQueue}).
     *
     * @param table     the callback table
     * @param ring      the {@link #directAddress} of the ring, a direct buffer in native byte order that the caller
     *                  keeps reachable during the call
     * @param capacity  the ring's capacity in bytes
     * @param offset    where the run's first record starts
     * @param length    the run's bytes, whole records
     * @param serviceId the service failures are reported for
     * @return how many callbacks raised (each is reported through {@link PythonUpcalls#reportError})
     * @throws IllegalArgumentException if {@code [offset, offset + length)} is not inside {@code [0, capacity)}, or
     *                                  the ring address is 0
     */
    public static native int deliverBatch(long table, long ring, int capacity, int offset, int length, int serviceId);

    /**
     * Delivers one message to its callback on the calling thread, taking the GIL there (re-entrant: the thread may
     * hold it already).
     *
     * @param table          the callback table
     * @param subscriptionId the key of the callback in the table
     * @param payload        a direct buffer
     * @param offset         where the payload starts in it
     * @param length         the payload's bytes
     * @param serviceId      the service failures are reported for
     * @return 1 if the callback raised (reported through {@link PythonUpcalls#reportError}), else 0
     */
    public static native int deliverInline(long table, long subscriptionId, ByteBuffer payload, int offset, int length,
                                    int serviceId);
}
