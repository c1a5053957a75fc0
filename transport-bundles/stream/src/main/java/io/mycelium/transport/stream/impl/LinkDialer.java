package io.mycelium.transport.stream.impl;

import io.mycelium.logging.LogLimiter;
import io.mycelium.protocol.control.GoodbyeReason;
import io.mycelium.transport.stream.LinkState;
import io.mycelium.transport.stream.PeerLinkState;
import io.mycelium.transport.stream.TransportCounter;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keeps one link to one peer: dials, and after every failure or loss dials again after a capped exponential delay
 * with jitter, until stopped.
 *
 * <p><b>Threading:</b> dial attempts run on the control thread (the link's own thread does the blocking connect);
 * the {@link LinkEndListener} methods run on link threads; {@link #stop} from any thread.
 *
 * <p>Delay after the n-th consecutive failure (n from 0): {@code d = min(max, initial * 2^n)}, then a uniformly
 * random value in {@code [d/2, d]} so that nodes restarted together do not dial in lock step. A link that opened
 * resets n. A failure is logged at WARN when its text differs from the previous one; a repeated failure is logged at
 * WARN too, at most once per {@value #REPEAT_LOG_SECONDS} s, with the count of consecutive failures and of the
 * lines left out, so a peer that stays unreachable keeps being reported without flooding the log. {@link #state()}
 * tells consoles where the link stands.
 */
public final class LinkDialer implements LinkEndListener {

    private static final long REPEAT_LOG_SECONDS = 30;

    private final TransportContext context;
    private final String peer;
    private final String address;
    private final LogLimiter repeated = new LogLimiter(Duration.ofSeconds(REPEAT_LOG_SECONDS));
    private volatile boolean stopped;
    private volatile StreamLink current;
    private volatile int failures;
    private volatile String lastFailure;
    private volatile String lastError = "";
    private volatile long attempts;
    private volatile LinkState state = LinkState.DIALING;

    /** Creates a dialer for {@code peer} at {@code address}; call {@link #start()}. */
    public LinkDialer(final TransportContext context, final String peer, final String address) {
        this.context = context;
        this.peer = peer;
        this.address = address;
    }

    /** Dials now. */
    public void start() {
        context.onControl(this::dial);
    }

    /** Stops dialing and closes the current link with GOODBYE NORMAL. */
    public void stop() {
        stopped = true;
        final StreamLink link = current;
        if (link != null) {
            link.close(GoodbyeReason.NORMAL, "node " + context.settings.nodeName() + " is stopping");
        }
    }

    /** Returns the current link (open or being established), or {@code null}. */
    public StreamLink current() {
        return current;
    }

    /** Returns where the link to this peer stands, for consoles and tests. Any thread. */
    public PeerLinkState state() {
        final LinkState now = stopped ? LinkState.STOPPED : state;
        final StreamLink link = current;
        final String tls = now == LinkState.CONNECTED && link != null ? link.tlsProtocol() : "";
        return new PeerLinkState(peer, address, now, attempts, failures, lastError, tls);
    }

    /** Returns the delay before attempt {@code failures + 1}, jittered. */
    static long backoffMillis(final long initial, final long max, final int failures) {
        final long ceiling = failures >= 62 ? max : Math.min(max, initial << Math.min(failures, 62));
        final long bounded = ceiling <= 0 ? max : ceiling;
        return bounded / 2 + ThreadLocalRandom.current().nextLong(bounded - bounded / 2 + 1);
    }

    @Override
    public boolean admit(final StreamLink link) {
        return true;
    }

    @Override
    public void opened(final StreamLink link) {
        failures = 0;
        lastFailure = null;
        state = LinkState.CONNECTED;
    }

    @Override
    public void closed(final StreamLink link, final boolean wasOpen) {
        if (stopped) {
            return;
        }
        final int attempt = failures;
        final long delay = backoffMillis(context.settings.reconnectInitialMillis(),
                context.settings.reconnectMaxMillis(), attempt);
        failures = attempt + 1;
        final String failure = link.failure() == null ? "link ended" : link.failure();
        lastError = failure;
        state = wasOpen ? LinkState.DIALING : LinkState.FAILING;
        if (!wasOpen) {
            context.counters.increment(TransportCounter.DIAL_FAILURES);
        }
        if (!Objects.equals(failure, lastFailure)) {
            context.log.warn("{} link to {} at {}: {}; reconnecting in {} ms (attempt {})", context.endpoints.kind(),
                    peer, address, failure, delay, attempt + 1);
        } else {
            final long suppressed = repeated.tryAcquire();
            if (suppressed != LogLimiter.SUPPRESSED) {
                context.log.warn("{} link to {} at {}: still failing after {} consecutive attempts: {}; messages to"
                        + " this peer are not delivered; reconnecting in {} ms{}", context.endpoints.kind(), peer,
                        address, attempt + 1, failure, delay, repeated.summary(suppressed));
            } else {
                context.log.debug("{} link to {} at {}: {}; reconnecting in {} ms (attempt {})",
                        context.endpoints.kind(), peer, address, failure, delay, attempt + 1);
            }
        }
        lastFailure = failure;
        context.schedule(this::dial, delay);
    }

    private void dial() {
        if (stopped) {
            return;
        }
        context.counters.increment(TransportCounter.DIAL_ATTEMPTS);
        attempts++;
        final StreamLink link = StreamLink.dialed(context, peer, address, this);
        current = link;
        link.start();
    }
}
