package io.mycelium.python;

import java.util.Objects;

/**
 * The node's embedded CPython, for consoles and metrics.
 *
 * @param version    the interpreter's version, e.g. {@code 3.11.2}, or the empty string when unknown
 * @param executable the interpreter's {@code sys.executable} (or the shared library loaded when it has none), or the
 *                   empty string when unknown
 * @since 1.1
 */
public record PythonInterpreterInfo(String version, String executable) {

    /** Checks the components. @throws NullPointerException if either is {@code null} */
    public PythonInterpreterInfo {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(executable, "executable");
    }
}
