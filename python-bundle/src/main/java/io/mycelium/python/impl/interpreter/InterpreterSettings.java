package io.mycelium.python.impl.interpreter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

import io.mycelium.python.impl.jni.NativeLibrary;

/**
 * How to start the embedded interpreter.
 *
 * @param library    the shared libpython to promote to RTLD_GLOBAL (must be the one the bridge was built against)
 * @param executable the Python executable; a venv's {@code bin/python} makes that venv's site-packages visible
 * @param sysPath    directories put in front of {@code sys.path} (the bundle's Python packages first)
 */
public record InterpreterSettings(Path library, String executable, List<Path> sysPath) {

    /** Validates the values. */
    public InterpreterSettings {
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(executable, "executable");
        sysPath = List.copyOf(sysPath);
        if (!Files.isRegularFile(library)) {
            throw new IllegalArgumentException("python.library " + library + " does not exist: set it to the shared "
                    + "libpython (for example /usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0)");
        }
        final Path interpreter = Path.of(executable);
        if (!Files.isRegularFile(interpreter) || !Files.isExecutable(interpreter)) {
            // CPython would start anyway, silently without the venv's packages
            throw new IllegalArgumentException("python.executable " + executable + " is not an executable file: set "
                    + "it to a venv's bin/python (made from the CPython the bridge was built against) or leave it "
                    + "empty for that CPython");
        }
    }

    /**
     * The configuration from the build-time facts, overridden by non-blank arguments.
     *
     * @param library    python.library override, or null/blank
     * @param executable python.executable override (for a venv), or null/blank
     * @param sysPath    the sys.path entries
     * @return the configuration
     */
    public static InterpreterSettings of(final String library, final String executable, final List<Path> sysPath) {
        final Properties built = NativeLibrary.buildProperties();
        return new InterpreterSettings(
                Path.of(isBlank(library) ? built.getProperty("python.library") : library),
                isBlank(executable) ? built.getProperty("python.executable") : executable,
                sysPath);
    }

    private static boolean isBlank(final String value) {
        return value == null || value.isBlank();
    }
}
