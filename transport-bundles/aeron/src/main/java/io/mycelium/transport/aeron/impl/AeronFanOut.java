package io.mycelium.transport.aeron.impl;

import io.aeron.ChannelUri;
import io.aeron.ExclusivePublication;
import io.aeron.ReservedValueSupplier;
import io.aeron.exceptions.AeronException;
import io.mycelium.logging.LogLimiter;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;


/**
 * A node's fan-out publication ({@code fanout = "mdc"}): one Aeron multi-destination-cast publication whose
 * destinations are the channels of its open peers, so one offer (one copy into the term, one send per destination
 * by the driver) reaches every one of them. Multicast would need a network whose interface has the MULTICAST flag;
 * MDC is plain unicast UDP underneath and works anywhere a link does, loopback included.
 *
 * <p>A peer becomes a destination when its link opens: this node adds its channel to the publication and tells the
 * peer the publication's session (a FANOUT frame on the link); the peer answers FANOUT_READY once its subscription
 * has the image of that session, and only then does the peer count as joined ({@link #join}) and may types be sent
 * to it here rather than on its link's own publication ({@link AeronRoutes}). Flow control is {@code fc=min}: the
 * slowest destination back-pressures the publication, and a refused offer is dropped and counted like a link's.
 *
 * <p><b>Threading:</b> {@link #send} on any publisher thread; everything else on the transport's link thread.
 */
final class AeronFanOut {

    /** The fan-out publication's channel: destinations added one by one, flow control by the slowest. */
    static final String CHANNEL = "aeron:udp?control-mode=manual|fc=min";

    private final AeronLinkContext context;
    /** Exclusive: a node sharing the media driver with others fans out on its own publication and session. */
    private final ExclusivePublication publication;
    private final LogLimiter dropWarnings = new LogLimiter(Duration.ofSeconds(10));
    // link thread only
    private final Map<AeronPeerLink, String> added = new HashMap<>();
    private final Set<AeronPeerLink> joined = new LinkedHashSet<>();

    AeronFanOut(final AeronLinkContext context, final ExclusivePublication publication) {
        this.context = context;
        this.publication = publication;
    }

    /** Adds the link's peer as a destination and tells the peer the fan-out session. Link thread. */
    void addDestination(final AeronPeerLink link) {
        if (added.containsKey(link)) {
            return;
        }
        final String destination = destination(link.channel());
        try {
            publication.addDestination(destination);
        } catch (final AeronException e) {
            context.counters().protocolErrors.incrementAndGet();
            context.log().warn("aeron fan-out of {}: the media driver refused destination {} of peer {}: {}; that"
                    + " peer gets its types on its own link", context.nodeName(), destination, link.peer(),
                    e.getMessage());
            return;
        }
        added.put(link, destination);
        link.announceFanOut(publication.sessionId());
    }

    /**
     * The peer reads the fan-out image: it joins.
     *
     * @return whether it joined now
     */
    boolean join(final AeronPeerLink link) {
        return added.containsKey(link) && joined.add(link);
    }

    /**
     * Counts and logs a join once the types are routed with it, so that whoever sees the join (counter, log) also
     * sees frames of the types every destination wants leave on the fan-out.
     */
    void joinRouted(final AeronPeerLink link) {
        context.counters().fanOutJoins.incrementAndGet();
        context.log().info("aeron fan-out of {}: {} joined (destinations {})", context.nodeName(), link.peer(),
                names());
    }

    /**
     * The link closed: its peer is no destination any more.
     *
     * @return whether it had joined
     */
    boolean leave(final AeronPeerLink link) {
        final boolean was = joined.remove(link);
        final String destination = added.remove(link);
        if (destination != null) {
            try {
                publication.removeDestination(destination);
            } catch (final AeronException e) {
                context.log().warn("aeron fan-out of {}: removing destination {} failed: {}", context.nodeName(),
                        destination, e.getMessage());
            }
        }
        if (was) {
            context.log().info("aeron fan-out of {}: {} left (destinations {})", context.nodeName(), link.peer(),
                    names());
        }
        return was;
    }

    boolean isDestination(final AeronPeerLink link) {
        return joined.contains(link);
    }

    /** Returns whether the fan-out carries {@code typeId}: at least two destinations, and every one wants it. */
    boolean carries(final int typeId) {
        if (joined.size() < 2) {
            return false;
        }
        for (final AeronPeerLink link : joined) {
            if (!link.wants(typeId)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Offers one frame to every destination at once; a refusal drops it and is counted by cause. Any thread,
     * allocation-free.
     */
    void send(final ReservedValueSupplier frameType, final int size, final ByteBuffer payload) {
        final AeronCounters counters = context.counters();
        final long result = context.offerPayload(publication, frameType, size, payload);
        if (result == AeronLinkContext.WRONG_SIZE) {
            dropped("payload size differs from its type's size");
            return;
        }
        if (result > 0) {
            counters.fanOutFramesSent.incrementAndGet();
            return;
        }
        dropped(counters.refusal(result));
    }

    private void dropped(final String cause) {
        context.counters().framesDropped.incrementAndGet();
        final long more = dropWarnings.tryAcquire();
        if (more != LogLimiter.SUPPRESSED) {
            context.log().warn("aeron fan-out of {}: frame dropped: {}{}", context.nodeName(), cause,
                    dropWarnings.summary(more));
        }
    }

    void close() {
        publication.close();
    }

    private List<String> names() {
        return joined.stream().map(AeronPeerLink::peer).toList();
    }

    /** Returns the MDC destination of a peer's channel: its endpoint. */
    static String destination(final String channel) {
        return "aeron:udp?endpoint=" + ChannelUri.parse(channel).get("endpoint");
    }
}
