package io.mycelium.transport.stream.impl;

import io.mycelium.logging.LogLimiter;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Writes the WARN lines of one transport's accept, handshake and frame paths through one {@link LogLimiter} per
 * cause, shared by all links: a flood of bad connections writes a few lines per cause per window, each later line
 * carrying the count it stands for ("… and 1,000 more in 10 s"), and {@link #flush()} reports the count of a cause
 * that stopped (issue 13: 2,140 lines/s during a half-open flood, one per connection).
 *
 * <p>Why per transport and not per link: a flood is many links, each new; a per-link limiter admits the first line
 * of every one of them. Every occurrence is also counted in a {@link io.mycelium.transport.stream.TransportCounter},
 * so nothing left out of the log is lost.
 *
 * <p><b>Threading:</b> any thread; {@link #flush()} from the control thread (the heartbeat timer).
 */
final class TransportWarnings {

    /** A repeated cause of a WARN line; each has its own limiter. */
    enum Cause {
        ACCEPT_FAILED("accept failures"),
        HANDSHAKE_EVICTED("pending handshakes closed for newer connections"),
        HANDSHAKE_TIMEOUT("handshake timeouts"),
        HANDSHAKE_FAILED("failed handshakes"),
        HANDSHAKE_MALFORMED("malformed handshakes"),
        DIGEST_MISMATCH("schema digest mismatches"),
        TOO_MANY_CONNECTIONS("connections refused at the connection limit"),
        FRAME_TOO_LARGE("frames above their type's size"),
        PARTIAL_FRAMES_BUDGET("links closed over partial.frames.max.bytes"),
        FRAME_TRUNCATED("streams ended inside a frame"),
        PROTOCOL_ERROR("broken control frames"),
        FRAME_SKIPPED("skipped frames (unknown type or wrong size)"),
        GOODBYE("GOODBYEs with a reason other than NORMAL"),
        LIVENESS_TIMEOUT("links closed for silence (liveness.timeout.ms)");

        private final String label;

        Cause(final String label) {
            this.label = label;
        }
    }

    /** Window of every cause's limiter. */
    static final Duration WINDOW = Duration.ofSeconds(10);
    /** Lines per cause and window: enough to see a few distinct peers, few enough to bound a flood. */
    static final int BURST = 5;

    private final Logger log;
    private final String prefix;
    private final Map<Cause, LogLimiter> limiters = new EnumMap<>(Cause.class);

    /**
     * @param log    the transport's logger
     * @param prefix names the transport in flushed lines, e.g. {@code "tcp transport of node gw"}
     */
    TransportWarnings(final Logger log, final String prefix) {
        this(log, prefix, WINDOW);
    }

    TransportWarnings(final Logger log, final String prefix, final Duration window) {
        this.log = log;
        this.prefix = prefix;
        for (final Cause cause : Cause.values()) {
            limiters.put(cause, new LogLimiter(window, BURST));
        }
    }

    /**
     * Writes a WARN line about {@code cause} unless its limiter says to stay silent (then it is only counted by the
     * limiter). The line gets the limiter's summary appended; a {@link Throwable} last argument stays last.
     *
     * @param format an slf4j format
     * @param args   its arguments
     */
    void warn(final Cause cause, final String format, final Object... args) {
        final LogLimiter limiter = limiters.get(cause);
        final long suppressed = limiter.tryAcquire();
        if (suppressed == LogLimiter.SUPPRESSED) {
            return;
        }
        final int n = args.length;
        final boolean throwable = n > 0 && args[n - 1] instanceof Throwable;
        final Object[] withSummary = new Object[n + 1];
        final int summaryAt = throwable ? n - 1 : n;
        System.arraycopy(args, 0, withSummary, 0, summaryAt);
        withSummary[summaryAt] = limiter.summary(suppressed);
        if (throwable) {
            withSummary[n] = args[n - 1];
        }
        log.warn(format + "{}", withSummary);
    }

    /** Writes one line per cause whose last window closed with occurrences not yet reported. Control thread. */
    void flush() {
        for (final Map.Entry<Cause, LogLimiter> entry : limiters.entrySet()) {
            final long drained = entry.getValue().drainExpired();
            if (drained > 0) {
                log.warn("{}: {}: {} (not logged one by one; see the transport counters)", prefix,
                        entry.getKey().label, entry.getValue().drainedSummary(drained));
            }
        }
    }
}
