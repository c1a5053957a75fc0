package io.mycelium.python.impl;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.mycelium.python.impl.dispatch.DispatcherSettings;
import io.mycelium.python.impl.interpreter.InterpreterSettings;

/** Shared test set-up: the sys.path of the sources under test and bounded polling. */
public final class PythonTestSupport {

    /** The schema digest of the fixture mycelium_protocol package. */
    public static final String FIXTURE_DIGEST = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    /** 1 MiB queues, parking at once. */
    public static final DispatcherSettings DISPATCHER = new DispatcherSettings(1 << 20, 0);

    /** 1 MiB queues, spinning 50 us before parking (covers the spin path). */
    public static final DispatcherSettings SPINNING_DISPATCHER = new DispatcherSettings(1 << 20, 50_000);

    private PythonTestSupport() {
    }

    /** @return the main Python sources and the test fixtures, as surefire passes them */
    public static List<Path> sysPath() {
        return List.of(Path.of(System.getProperty("mycelium.python.src", "src/main/python")),
                Path.of(System.getProperty("mycelium.python.test", "src/test/python"), "fixtures"));
    }

    /** @return the build-time CPython with the test sys.path */
    public static InterpreterSettings config() {
        return InterpreterSettings.of(null, null, sysPath());
    }

    /**
     * Polls {@code condition} every 5 ms until it holds or {@code timeout} passes.
     *
     * @return whether it held
     */
    public static boolean await(final Duration timeout, final BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
