package io.mycelium.transport.aeron.impl;

import io.mycelium.api.MessageType;
import io.mycelium.api.Subscription;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntHashSet;

/**
 * Which publications carry each type the peers subscribe to: one bus tap per type ({@link AeronTypeSender}), routed
 * to the fan-out publication when every fan-out destination subscribes to the type (and there are at least two),
 * else to each subscribed peer's own publication. So a type crosses only to peers that subscribe to it, and one
 * offer reaches them all where it can.
 *
 * <p><b>Threading:</b> the transport's link thread only (start and close from the owning component).
 */
final class AeronRoutes {

    private static final AeronPeerLink[] NONE = new AeronPeerLink[0];

    private final AeronLinkContext context;
    private final Collection<AeronPeerLink> links;
    private final AeronFanOut fanOut;
    private final Int2ObjectHashMap<AeronTypeSender> senders = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<Subscription> taps = new Int2ObjectHashMap<>();

    /**
     * @param context the transport's shared state
     * @param links   every peer link (the collection is read on each update)
     * @param fanOut  the node's fan-out publication, or null when it has none
     */
    AeronRoutes(final AeronLinkContext context, final Collection<AeronPeerLink> links, final AeronFanOut fanOut) {
        this.context = context;
        this.links = links;
        this.fanOut = fanOut;
    }

    /** A peer's interest in {@code typeId} changed: routes the type again. */
    void update(final int typeId) {
        final MessageType<?> type = context.schema().type(typeId);
        final boolean viaFanOut = fanOut != null && fanOut.carries(typeId);
        final List<AeronPeerLink> unicast = new ArrayList<>();
        for (final AeronPeerLink link : links) {
            if (link.wants(typeId) && !(viaFanOut && fanOut.isDestination(link))) {
                unicast.add(link);
            }
        }
        if (type == null || (!viaFanOut && unicast.isEmpty())) {
            senders.remove(typeId);
            final Subscription tap = taps.remove(typeId);
            if (tap != null) {
                tap.close();
            }
            return;
        }
        AeronTypeSender sender = senders.get(typeId);
        if (sender == null) {
            sender = new AeronTypeSender(typeId, type.size(), fanOut);
            senders.put(typeId, sender);
            sender.route(unicast.toArray(NONE), viaFanOut);
            taps.put(typeId, context.bus().tap(typeId, sender));
        } else {
            sender.route(unicast.toArray(NONE), viaFanOut);
        }
    }

    /** Routes every type again (a fan-out destination joined or left). */
    void updateAll() {
        final IntHashSet types = new IntHashSet();
        senders.keySet().forEach(types::add);
        for (final AeronPeerLink link : links) {
            link.wanted().forEach(types::add);
        }
        types.forEach(this::update);
    }

    /** A link opened: it becomes a fan-out destination once the peer reads the fan-out image. */
    void linkOpened(final AeronPeerLink link) {
        if (fanOut != null) {
            fanOut.addDestination(link);
        }
    }

    /** The peer reads this node's fan-out image: the fan-out publication may carry its types. */
    void fanOutReady(final AeronPeerLink link) {
        if (fanOut != null && fanOut.join(link)) {
            updateAll();
            fanOut.joinRouted(link);
        }
    }

    /** A link closed: it is no fan-out destination any more and its types are routed again. */
    void linkLost(final AeronPeerLink link, final int[] typeIds) {
        if (fanOut != null && fanOut.leave(link)) {
            updateAll();
        } else {
            for (final int typeId : typeIds) {
                update(typeId);
            }
        }
    }

    /** Closes every tap and the fan-out publication. */
    void close() {
        for (final Subscription tap : taps.values()) {
            tap.close();
        }
        taps.clear();
        senders.clear();
        if (fanOut != null) {
            fanOut.close();
        }
    }
}
