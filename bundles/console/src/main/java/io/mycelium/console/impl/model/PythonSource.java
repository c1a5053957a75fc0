package io.mycelium.console.impl.model;

import java.util.List;

/**
 * The Python host as the console reads it. Registered by {@link PythonMonitorSource} only while the python bundle's
 * monitor service exists, so that the rest of the console never loads a class of {@code io.mycelium.python} (an
 * optional import: a node without the python bundle still has its console). Any thread.
 */
public interface PythonSource {

    /** @return the interpreter's version, or the empty string */
    String version();

    /** @return the interpreter's executable, or the empty string */
    String executable();

    /** @return every Python service, the default {@code python} service first; rates read 0 (the reader sets them) */
    List<PythonServiceRow> services();

    /**
     * Starts a deployed Python service again from its file.
     *
     * @param name the service name
     * @return false when no service of that name runs on this node
     */
    boolean restart(String name);
}
