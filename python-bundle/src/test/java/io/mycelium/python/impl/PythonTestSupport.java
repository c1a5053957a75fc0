package io.mycelium.python.impl;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Shared test set-up: the sys.path of the sources under test and bounded polling. */
final class PythonTestSupport {

    /** The schema digest of the fixture mycelium_protocol package. */
    static final String FIXTURE_DIGEST = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    /** 1 MiB queues, parking at once. */
    static final DispatcherSettings DISPATCHER = new DispatcherSettings(1 << 20, 0);

    /** 1 MiB queues, spinning 50 us before parking (covers the spin path). */
    static final DispatcherSettings SPINNING_DISPATCHER = new DispatcherSettings(1 << 20, 50_000);

    private PythonTestSupport() {
    }

    /** @return the main Python sources and the test fixtures, as surefire passes them */
    static List<Path> sysPath() {
        return List.of(Path.of(System.getProperty("mycelium.python.src", "src/main/python")),
                Path.of(System.getProperty("mycelium.python.test", "src/test/python"), "fixtures"));
    }

    /** @return the build-time CPython with the test sys.path */
    static PythonHostConfig config() {
        return PythonHostConfig.of(null, null, sysPath());
    }

    /**
     * Polls {@code condition} every 5 ms until it holds or {@code timeout} passes.
     *
     * @return whether it held
     */
    static boolean await(final Duration timeout, final BooleanSupplier condition) throws InterruptedException {
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
