package io.mycelium.transport.stream;

import io.mycelium.api.Schema;
import io.mycelium.api.link.LinkBus;
import io.mycelium.protocol.control.GoodbyeReason;
import io.mycelium.transport.stream.impl.LinkAcceptor;
import io.mycelium.transport.stream.impl.LinkDialer;
import io.mycelium.transport.stream.impl.LinkSchema;
import io.mycelium.transport.stream.impl.StreamLink;
import io.mycelium.transport.stream.impl.TransportContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Links this node to its peers over one kind of stream (Unix sockets or TCP): listens, dials, handshakes, and moves
 * frames between the links and the node's bus.
 *
 * <p><b>Threading:</b> {@link #start} and {@link #close} from the owning component (not concurrently);
 * {@link #stats()} and {@link #listenAddress()} from any thread. Threads: one acceptor, one control thread (timers,
 * interest tables), and a reader and a writer per link; all block or park while idle.
 *
 * <p>Who dials whom: this node dials every peer when it does not listen itself; when it listens, it dials only the
 * peers whose name sorts after its own (Java {@code String.compareTo}) and waits for the others to dial it. With the
 * topology's symmetric routing this gives exactly one link per pair of nodes.
 */
public final class StreamTransport implements AutoCloseable {

    private static final long STOP_WAIT_MILLIS = 2_000;

    private final TransportContext context;
    private final List<LinkDialer> dialers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private LinkAcceptor acceptor;
    private AutoCloseable interestWatch;
    private ScheduledFuture<?> heartbeat;

    /**
     * @param settings  limits and timings
     * @param endpoints how channels of this kind are opened
     * @param bus       the node's bus as links see it: frames from peers go in with
     *                  {@link LinkBus#deliverFromPeer}, local publishes come out through {@link LinkBus#tap}, and
     *                  {@link LinkBus#watchInterest} says what to subscribe to at peers
     * @param schema    the schema links carry: its digest is sent in handshakes, its type sizes check every frame
     * @throws IllegalArgumentException when the schema's digest is not 32 bytes
     */
    public StreamTransport(final LinkSettings settings, final StreamEndpoints endpoints, final LinkBus bus,
            final Schema schema) {
        this(settings, AdmissionSettings.DEFAULTS, endpoints, bus, schema, LinkSecurity.DEFAULT);
    }

    /**
     * A transport with TLS (when {@code security} has an identity) and a policy for plaintext peers and legacy
     * clients, with the default admission limits; docs/transports.md, "TLS".
     *
     * @param settings  limits and timings
     * @param endpoints how channels of this kind are opened
     * @param bus       the node's bus as links see it
     * @param schema    the schema links carry
     * @param security  TLS identity and admission policy
     * @throws IllegalArgumentException when the schema's digest is not 32 bytes or the TLS key does not fit its
     *                                  certificate
     */
    public StreamTransport(final LinkSettings settings, final StreamEndpoints endpoints, final LinkBus bus,
            final Schema schema, final LinkSecurity security) {
        this(settings, AdmissionSettings.DEFAULTS, endpoints, bus, schema, security);
    }

    /**
     * A transport with admission limits, and TLS (when {@code security} has an identity) with a policy for
     * plaintext peers and legacy clients; docs/transports.md, "Admission" and "TLS".
     *
     * @param settings  limits and timings
     * @param admission limits for connections still handshaking and for partly received frames
     * @param endpoints how channels of this kind are opened
     * @param bus       the node's bus as links see it
     * @param schema    the schema links carry
     * @param security  TLS identity and admission policy
     * @throws IllegalArgumentException when the schema's digest is not 32 bytes or the TLS key does not fit its
     *                                  certificate
     */
    public StreamTransport(final LinkSettings settings, final AdmissionSettings admission,
            final StreamEndpoints endpoints, final LinkBus bus, final Schema schema, final LinkSecurity security) {
        this.context = new TransportContext(Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(admission, "admission"), Objects.requireNonNull(endpoints, "endpoints"),
                Objects.requireNonNull(bus, "bus"), LinkSchema.of(Objects.requireNonNull(schema, "schema")),
                Objects.requireNonNull(security, "security"));
    }

    /**
     * Starts listening (when {@code listenAddress} is not empty) and dialing.
     *
     * @param listenAddress the address to listen on, or the empty string to only dial
     * @param peers         peer node name to its address
     * @throws IOException when the listen address cannot be bound; nothing is left running then
     */
    public void start(final String listenAddress, final Map<String, String> peers) throws IOException {
        final LinkSettings settings = context.settings();
        // The configured peer nodes: each has a reserved place at the acceptor, and with this node they are the names
        // a TLS peer's certificate may carry.
        final Set<String> peerNodes = new HashSet<>(peers.keySet());
        peerNodes.remove(settings.nodeName());
        final Set<String> nodes = new HashSet<>(peerNodes);
        nodes.add(settings.nodeName());
        context.knownNodes(nodes);
        interestWatch = context.bus().watchInterest((typeId, interested) ->
                context.registry().onLocalInterest(typeId, interested));
        if (!listenAddress.isEmpty()) {
            try {
                acceptor = new LinkAcceptor(context, listenAddress, peerNodes);
            } catch (final IOException e) {
                close();
                throw e;
            }
            acceptor.start();
        }
        for (final Map.Entry<String, String> peer : new LinkedHashMap<>(peers).entrySet()) {
            if (peer.getKey().equals(settings.nodeName())) {
                continue;
            }
            if (listenAddress.isEmpty() || settings.nodeName().compareTo(peer.getKey()) < 0) {
                final LinkDialer dialer = new LinkDialer(context, peer.getKey(), peer.getValue());
                dialers.add(dialer);
                dialer.start();
            }
        }
        final long interval = settings.heartbeatIntervalMillis();
        heartbeat = context.control().scheduleAtFixedRate(this::heartbeat, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Returns the bound listen address (TCP port 0 resolved), or the empty string when not listening. */
    public String listenAddress() {
        final LinkAcceptor current = acceptor;
        return current == null ? "" : current.boundAddress();
    }

    /** Returns a snapshot of the counters, the open links and the state of every dialed peer. Any thread. */
    public TransportStats stats() {
        final List<LinkStats> links = new ArrayList<>();
        // The links first: each adds the frames its publishers wrote in place to the counters read below.
        for (final StreamLink link : context.registry().links()) {
            links.add(link.stats());
        }
        final List<PeerLinkState> peers = new ArrayList<>();
        for (final LinkDialer dialer : dialers) {
            peers.add(dialer.state());
        }
        return new TransportStats(context.endpoints().kind(), context.settings().nodeName(), listenAddress(),
                new LinkedHashMap<>(context.counters().snapshot()), links, peers);
    }

    /**
     * Stops dialing and listening, says GOODBYE NORMAL to every peer, and waits up to two seconds for the link
     * threads to end. Idempotent.
     */
    @Override
    public void close() {
        final String text = "node " + context.settings().nodeName() + " is stopping";
        for (final LinkDialer dialer : dialers) {
            dialer.stop();
        }
        final List<Thread> readers = new ArrayList<>();
        if (acceptor != null) {
            try {
                acceptor.stop();
            } catch (final IOException e) {
                context.log().warn("{} transport: releasing listen address {} failed", context.endpoints().kind(),
                        acceptor.boundAddress(), e);
            }
            for (final StreamLink link : acceptor.links()) {
                link.close(GoodbyeReason.NORMAL, text);
                readers.add(link.readerThread());
            }
        }
        for (final LinkDialer dialer : dialers) {
            final StreamLink link = dialer.current();
            if (link != null) {
                readers.add(link.readerThread());
            }
        }
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        closeWatch();
        awaitAll(readers);
        try {
            context.shutdown(STOP_WAIT_MILLIS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void heartbeat() {
        final long now = System.nanoTime();
        for (final StreamLink link : context.registry().links()) {
            link.heartbeat(now);
        }
        // Reports the counts of rate-limited causes that stopped: no later line of theirs would carry them.
        context.flushWarnings();
    }

    private void closeWatch() {
        final AutoCloseable watch = interestWatch;
        interestWatch = null;
        if (watch == null) {
            return;
        }
        try {
            watch.close();
        } catch (final Exception e) {
            context.log().warn("{} transport: stopping the interest watch failed", context.endpoints().kind(), e);
        }
    }

    private void awaitAll(final List<Thread> threads) {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
        for (final Thread thread : threads) {
            final long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            try {
                thread.join(left);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                context.log().warn("{} transport: link thread {} did not end within {} ms", context.endpoints()
                        .kind(), thread.getName(), STOP_WAIT_MILLIS);
            }
        }
    }
}
