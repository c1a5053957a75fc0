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
}
