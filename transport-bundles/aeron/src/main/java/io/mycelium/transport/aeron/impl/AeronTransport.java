package io.mycelium.transport.aeron.impl;

import io.aeron.Aeron;
import io.aeron.AeronCounters;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.exceptions.AeronException;
import io.mycelium.api.ConfigurationException;
import io.mycelium.api.Schema;
import io.mycelium.api.link.LinkBus;
import io.mycelium.transport.stream.LinkStats;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.PeerLinkState;
import io.mycelium.transport.stream.TransportStats;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.status.CountersReader;
import org.slf4j.Logger;

/**
 * Links this node to its peers over Aeron: one subscription on this node's channel (every peer publishes to it),
 * one publication to each peer's channel, and one link thread that polls the subscription, runs the handshakes,
 * interest, liveness and reconnects. Local publishes reach a peer inline on the publisher's thread through a tap per
 * type the peer subscribes to.
 *
 * <p><b>Threading:</b> {@link #start} and {@link #close} from the owning component, not concurrently; {@link
 * #stats()} from any thread. Threads: the link thread ({@code aeron-link-<node>}, back-off idle: spins, yields,
 * then parks up to 1 ms) and the Aeron client's conductor.
 */
public final class AeronTransport implements AutoCloseable {

    /** The Aeron stream id links use unless configured ("MY"). */
    public static final int DEFAULT_STREAM_ID = 0x4d59;
    /** Fragments per poll: a burst is read in few passes of the loop (the raw floor polls 64). */
    private static final int FRAGMENT_LIMIT = 256;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long STOP_WAIT_MILLIS = 2_000;
    /** How long a stop waits for the driver to send the GOODBYEs, all links together. */
    private static final long GOODBYE_SEND_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long GOODBYE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final AeronLinkContext context;
    private final Path aeronDir;
    private final int streamId;
    private final Map<String, AeronPeerLink> links = new LinkedHashMap<>();
    /** Work for the link thread from other threads (interest changes, image events). */
    private final ManyToOneConcurrentArrayQueue<Runnable> commands = new ManyToOneConcurrentArrayQueue<>(4096);
    private final IdleStrategy idle;
    private AeronInbound inbound;
    private AeronRoutes routes;
    /** Reassembles messages larger than one Aeron fragment before {@link #inbound} reads them. Link thread. */
    private FragmentAssembler assembler;
    private Aeron aeron;
    private Subscription subscription;
    private String listenChannel = "";
    private AutoCloseable interestWatch;
    private Thread thread;
    private volatile boolean running;

    /**
     * @param settings the link settings (node name, timeouts, overflow policy)
     * @param aeronDir the media driver's directory
     * @param streamId the Aeron stream id of every link
     * @param bus      the node's bus as links see it
     * @param schema   the schema links carry
     * @param log      where the transport logs
     */
    public AeronTransport(final LinkSettings settings, final Path aeronDir, final int streamId, final LinkBus bus,
            final Schema schema, final Logger log) {
        this(settings, aeronDir, streamId, bus, schema, AeronDriver.IDLE_MAX_PARK_NANOS, log);
    }

    /**
     * As {@link #AeronTransport(LinkSettings, Path, int, LinkBus, Schema, Logger)}, with the link thread's longest
     * idle park ({@link AeronDriver#idleStrategy}).
     */
    public AeronTransport(final LinkSettings settings, final Path aeronDir, final int streamId, final LinkBus bus,
            final Schema schema, final long maxParkNanos, final Logger log) {
        this.idle = AeronDriver.idleStrategy(maxParkNanos);
        this.context = new AeronLinkContext(settings, bus, schema, log);
        this.aeronDir = aeronDir;
        this.streamId = streamId;
    }

    /**
     * Connects to the driver, subscribes to {@code listen} and publishes to every peer, then starts the link thread.
     *
     * @param listen this node's channel, or the empty string to subscribe to nothing
     * @param peers  peer name to channel
     * @throws ConfigurationException naming the channel when the driver refuses it; nothing is left running then
     */
    public void start(final String listen, final Map<String, String> peers) {
        start(listen, peers, false);
    }

    /**
     * As {@link #start(String, Map)}, with or without a fan-out publication ({@link AeronFanOut}: one
     * multi-destination-cast publication to every open peer, carrying the types that all of them subscribe to).
     *
     * @param fanOut whether this node fans out ({@code fanout = "mdc"} in the topology)
     */
    public void start(final String listen, final Map<String, String> peers, final boolean fanOut) {
        aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(aeronDir.toString())
                .availableImageHandler(this::imageAvailable)
                .unavailableImageHandler(this::imageUnavailable)
                .errorHandler(e -> context.log().warn("aeron client of node {}: {}", context.nodeName(),
                        e.toString())));
        try {
            for (final Map.Entry<String, String> peer : peers.entrySet()) {
                final ExclusivePublication publication = add(peer.getValue(), "peer " + peer.getKey(),
                        () -> aeron.addExclusivePublication(peer.getValue(), streamId));
                links.put(peer.getKey(), new AeronPeerLink(context, peer.getKey(), peer.getValue(), publication));
            }
            final AeronFanOut fan = fanOut ? new AeronFanOut(context, add(AeronFanOut.CHANNEL, "fan-out",
                    () -> aeron.addExclusivePublication(AeronFanOut.CHANNEL, streamId))) : null;
            routes = new AeronRoutes(context, links.values(), fan);
            context.routes(routes);
            inbound = new AeronInbound(context, links, session -> subscription != null
                    && subscription.imageBySessionId(session) != null);
            assembler = new FragmentAssembler(inbound);
            if (!listen.isEmpty()) {
                subscription = add(listen, "listen", () -> aeron.addSubscription(listen, streamId));
                listenChannel = listen;
            }
            interestWatch = context.bus().watchInterest((typeId, interested) ->
                    command(() -> onLocalInterest(typeId, interested)));
        } catch (final RuntimeException e) {
            close();
            throw e;
        }
        running = true;
        thread = new Thread(this::run, "aeron-link-" + context.nodeName());
        thread.setDaemon(true);
        thread.start();
        context.log().info("aeron transport of node {}: subscribed on {} (stream {}), publishing to {}{}",
                context.nodeName(), listen.isEmpty() ? "nothing" : listen, streamId, peers,
                fanOut ? ", fanning out on " + AeronFanOut.CHANNEL : "");
    }

    private <T> T add(final String channel, final String what, final java.util.function.Supplier<T> adder) {
        try {
            return adder.get();
        } catch (final AeronException e) {
            throw new ConfigurationException(AeronTransportComponent.PID + ": node " + context.nodeName()
                    + ": the media driver refused the channel of " + what + " '" + channel + "': " + e.getMessage(),
                    e);
        }
    }

    /**
     * Returns the link to {@code peer}, or null when it is not a peer. For tests and benchmarks that drive a link's
     * publish path directly ({@link AeronPeerLink#sendFrame}).
     */
    AeronPeerLink link(final String peer) {
        return links.get(peer);
    }

    /** Returns the channel this node subscribes on, or the empty string. */
    public String listenChannel() {
        return listenChannel;
    }

    private void command(final Runnable command) {
        if (!commands.offer(command)) {
            // only under a storm of interest changes while the link thread is stuck; never silently
            context.log().error("aeron transport of node {}: command queue full, an interest change or image event"
                    + " was lost; links may need a restart", context.nodeName());
        }
    }

    private void imageAvailable(final Image image) {
        context.log().debug("aeron transport of node {}: image {} from {} available", context.nodeName(),
                image.sessionId(), image.sourceIdentity());
        final int session = image.sessionId();
        command(() -> inbound.imageAvailable(session));
    }

    private void imageUnavailable(final Image image) {
        final int session = image.sessionId();
        command(() -> {
            assembler.freeSessionBuffer(session);
            inbound.imageUnavailable(session);
        });
    }

    private void onLocalInterest(final int typeId, final boolean interested) {
        if (interested) {
            context.localInterest().add(typeId);
        } else {
            context.localInterest().remove(typeId);
        }
        for (final AeronPeerLink link : links.values()) {
            link.onLocalInterest(typeId, interested);
        }
    }

    private void run() {
        long nextTick = 0;
        while (running) {
            int work = commands.drain(Runnable::run);
            final long now = System.nanoTime();
            if (subscription != null) {
                inbound.pollStarted(now);
                work += subscription.poll(assembler, FRAGMENT_LIMIT);
            }
            if (now - nextTick >= 0) {
                nextTick = now + TICK_NANOS;
                for (final AeronPeerLink link : links.values()) {
                    link.tick(now);
                }
            }
            idle.idle(work);
        }
    }

    /** Returns a snapshot of the counters, the open links and every peer's state. Any thread. */
    public TransportStats stats() {
        final List<LinkStats> open = new ArrayList<>();
        final List<PeerLinkState> peers = new ArrayList<>();
        for (final AeronPeerLink link : links.values()) {
            final LinkStats stats = link.stats();
            if (stats != null) {
                open.add(stats);
            }
            peers.add(link.peerState());
        }
        return new TransportStats(AeronTransportComponent.KIND, context.nodeName(), listenChannel,
                context.counters().snapshot(), open, peers);
    }

    /**
     * Waits, up to {@link #GOODBYE_SEND_WAIT_NANOS} for all of them, until the driver's sender has sent each link's
     * GOODBYE. Closing a publication (and next the embedded driver) right after the offer lost the frame now and
     * then: the peer then saw the link vanish, logged it as a failure and counted it as lost, on a clean stop. The
     * sender's position is the driver's {@code snd-pos} counter of the publication.
     */
    private void awaitSent(final Map<AeronPeerLink, Long> goodbyes) {
        final CountersReader counters = aeron.countersReader();
        final long deadline = System.nanoTime() + GOODBYE_SEND_WAIT_NANOS;
        for (final Map.Entry<AeronPeerLink, Long> goodbye : goodbyes.entrySet()) {
            // the driver registers a publication's counters under the publication's registration id
            final int counterId = counters.findByTypeIdAndRegistrationId(AeronCounters.DRIVER_SENDER_POSITION_TYPE_ID,
                    goodbye.getKey().publicationRegistrationId());
            boolean sent = counterId == CountersReader.NULL_COUNTER_ID; // a UDP publication always has one
            while (!sent && System.nanoTime() - deadline < 0) {
                sent = counters.getCounterValue(counterId) >= goodbye.getValue();
                if (!sent) {
                    LockSupport.parkNanos(GOODBYE_POLL_NANOS);
                }
            }
            if (!sent) {
                context.log().warn("aeron link {} -> {}: the driver had not sent its GOODBYE {} ms after the stop "
                        + "began; the peer may see the link vanish instead", context.nodeName(),
                        goodbye.getKey().peer(), TimeUnit.NANOSECONDS.toMillis(GOODBYE_SEND_WAIT_NANOS));
            }
        }
    }

    /** Says GOODBYE to every open peer, stops the link thread and closes the client. Idempotent. */
    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(STOP_WAIT_MILLIS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                context.log().warn("aeron transport of node {}: link thread did not end within {} ms",
                        context.nodeName(), STOP_WAIT_MILLIS);
            }
            thread = null;
        }
        if (interestWatch != null) {
            try {
                interestWatch.close();
            } catch (final Exception e) {
                context.log().warn("aeron transport of node {}: stopping the interest watch failed",
                        context.nodeName(), e);
            }
            interestWatch = null;
        }
        final String text = "node " + context.nodeName() + " is stopping";
        final Map<AeronPeerLink, Long> goodbyes = new LinkedHashMap<>();
        for (final AeronPeerLink link : links.values()) {
            final long end = link.sayGoodbye(text);
            if (end >= 0) {
                goodbyes.put(link, end);
            }
        }
        if (aeron != null && !goodbyes.isEmpty()) {
            awaitSent(goodbyes);
        }
        for (final AeronPeerLink link : links.values()) {
            link.close();
        }
        links.clear();
        if (routes != null) {
            routes.close();
            routes = null;
        }
        if (aeron != null) {
            aeron.close();
            aeron = null;
        }
    }
}
