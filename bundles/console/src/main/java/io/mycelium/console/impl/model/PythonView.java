package io.mycelium.console.impl.model;

import java.util.List;
import java.util.Objects;

/**
 * The node's embedded Python host. Immutable.
 *
 * @param available   whether CPython runs in this node (false: no python bundle, or it failed to start)
 * @param version     the interpreter's version (e.g. {@code 3.11.2}), or the empty string when unknown
 * @param executable  the interpreter's executable or library path, or the empty string when unknown
 * @param services    every Python service, the default {@code python} service first
 */
public record PythonView(boolean available, String version, String executable, List<PythonServiceRow> services) {

    /** Checks the components and copies the list. */
    public PythonView {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(executable, "executable");
        services = List.copyOf(services);
    }
}
