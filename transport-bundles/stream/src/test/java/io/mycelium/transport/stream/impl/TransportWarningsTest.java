package io.mycelium.transport.stream.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

class TransportWarningsTest {

    /** The WARN lines written, formatted, and the throwable of each (or null). */
    private final List<String> lines = new ArrayList<>();
    private final List<Throwable> thrown = new ArrayList<>();

    private Logger recordingLogger() {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("warn")) {
                        final String format = (String) args[0];
                        final Object[] rest = args.length == 2 && args[1] instanceof Object[]
                                ? (Object[]) args[1] : Arrays.copyOfRange(args, 1, args.length);
                        final var formatted = MessageFormatter.arrayFormat(format, rest);
                        lines.add(formatted.getMessage());
                        thrown.add(formatted.getThrowable());
                    }
                    return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
                });
    }

    @Test
    void shouldWriteBurstPerCauseThenCountWhenFlooded() {
        final TransportWarnings warnings = new TransportWarnings(recordingLogger(), "tcp transport of node n");
        for (int i = 0; i < 1_000; i++) {
            warnings.warn(TransportWarnings.Cause.HANDSHAKE_EVICTED, "evicted {}", i);
            warnings.warn(TransportWarnings.Cause.HANDSHAKE_MALFORMED, "malformed {}", i);
        }
        assertEquals(2 * TransportWarnings.BURST, lines.size(), "a burst per cause, not a line per connection");
        assertEquals("evicted 0", lines.get(0));
    }

    @Test
    void shouldReportCountOfStoppedCauseWhenFlushedAfterWindow() throws Exception {
        final TransportWarnings warnings = new TransportWarnings(recordingLogger(), "tcp transport of node n",
                Duration.ofMillis(1));
        for (int i = 0; i < 1_000; i++) {
            warnings.warn(TransportWarnings.Cause.HANDSHAKE_TIMEOUT, "timeout {}", i);
        }
        final int written = lines.size();
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (lines.size() == written && System.nanoTime() < deadline) {
            warnings.flush(); // the window is 1 ms: it closes within the first iterations
        }
        final String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("tcp transport of node n: handshake timeouts: ")
                && last.contains(" more in the last 1 ms"), last);
        long accounted = count(last, "timeouts: ([0-9,]+) more");
        for (final String line : lines.subList(0, written)) {
            accounted += 1 + count(line, "and ([0-9,]+) more"); // a line, and the count it carries
        }
        assertEquals(1_000, accounted, "every occurrence is a line or in a count:\n" + String.join("\n", lines));
    }

    private static long count(final String line, final String regex) {
        final java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(regex).matcher(line);
        return matcher.find() ? Long.parseLong(matcher.group(1).replace(",", "")) : 0;
    }

    @Test
    void shouldKeepThrowableLastWhenSummaryIsAppended() {
        final TransportWarnings warnings = new TransportWarnings(recordingLogger(), "p");
        final IllegalStateException failure = new IllegalStateException("boom");
        warnings.warn(TransportWarnings.Cause.ACCEPT_FAILED, "accept at {} failed", "x", failure);
        assertEquals("accept at x failed", lines.get(0));
        assertSame(failure, thrown.get(0));
    }
}
