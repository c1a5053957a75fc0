package io.mycelium.python;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reports the Python services running in this node's embedded interpreter. Registered by the python bundle while
 * CPython runs; safe for any number of threads.
 */
@ProviderType
public interface PythonServiceMonitor {

    /** @return a snapshot of every Python service, the default {@code python} service first */
    List<PythonServiceInfo> services();

    /**
     * @return the embedded interpreter's version and where it was loaded from
     * @since 1.1
     */
    default PythonInterpreterInfo interpreter() {
        return new PythonInterpreterInfo("", "");
    }

    /**
     * Starts a deployed Python service again from its file, as a redeploy would (its SIGTERM handlers run, its
     * subscriptions close, the file is imported anew). An exception at import is logged and counted as at deploy.
     *
     * @param name the service name
     * @return false when no service of that name is deployed and placed on this node (held services are not
     *         started)
     * @throws UnsupportedOperationException if the monitor cannot restart services
     * @since 1.1
     */
    default boolean restart(final String name) {
        throw new UnsupportedOperationException("this Python monitor cannot restart services");
    }
}
