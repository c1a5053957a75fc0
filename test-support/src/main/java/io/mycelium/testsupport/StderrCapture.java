package io.mycelium.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Captures what is written to {@code System.err} (where slf4j-simple writes log lines in unit tests) while open, and
 * still passes it through; {@link #close} restores the previous stream. For tests that assert on log lines; not for
 * tests running in parallel in one JVM.
 */
public final class StderrCapture implements AutoCloseable {

    private final PrintStream previous;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private StderrCapture() {
        previous = System.err;
        final OutputStream tee = new OutputStream() {
            @Override
            public void write(final int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                previous.write(b);
            }

            @Override
            public void write(final byte[] b, final int off, final int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                previous.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** Starts capturing. */
    public static StderrCapture start() {
        return new StderrCapture();
    }

    /** Returns everything captured so far. Any thread. */
    public String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    /** Returns the captured lines that contain {@code fragment}. Any thread. */
    public List<String> lines(final String fragment) {
        return text().lines().filter(line -> line.contains(fragment)).toList();
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(previous);
    }
}
