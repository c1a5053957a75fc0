package io.mycelium.transport.stream.impl;

import io.mycelium.api.RawMessageHandler;
import io.mycelium.protocol.control.ControlDescriptor;
import io.mycelium.protocol.control.ControlFrameCodec;
import io.mycelium.protocol.control.Subscribe;
import io.mycelium.protocol.control.Unsubscribe;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The open links of one transport and the interest tables that decide which frames cross which link.
 *
 * <p><b>Threading:</b> every method except {@link #links()} and the fan-out handler runs on the transport's control
 * thread only, so the tables need no lock. The link array is copy-on-write and volatile, so the fan-out, which runs
 * inline on publisher threads, reads it without locking or allocating.
 *
 * <p>Two directions of interest: <em>local</em> interest (type ids with subscribers on this node) is announced to
 * every v1 peer with SUBSCRIBE/UNSUBSCRIBE; <em>peer</em> interest (what each peer subscribed to, or everything for
 * a legacy client) decides forwarding. For each type id some peer wants, one bus tap feeds that type's fan-out,
 * which holds exactly the links that want the type and offers the frame to each: per frame only the array of those
 * links, no interest lookup per open link (that lookup, link to its interest set to a word of it, was a chain of
 * dependent loads: 9-14% of a publisher's samples in a Unix throughput run). Frames that arrive from a peer are
 * delivered to local subscribers only ({@link io.mycelium.api.link.LinkBus#deliverFromPeer}), so they are never
 * echoed or re-forwarded.
 */
public final class LinkRegistry {

    private static final int TYPE_IDS = 0x10000;

    private final TransportContext context;
    /** Per type id, its tap and the links that want it; null while no peer wants the type. Control thread. */
    private final TypeFanOut[] fanOuts = new TypeFanOut[TYPE_IDS];
    private final BitSet localInterest = new BitSet(TYPE_IDS);
    private volatile StreamLink[] links = new StreamLink[0];

    LinkRegistry(final TransportContext context) {
        this.context = context;
    }

    /** Returns the open links now. Any thread. */
    public StreamLink[] links() {
        return links;
    }

    /** Adds a link that completed its handshake and tells a v1 peer what this node wants. Control thread. */
    void add(final StreamLink link) {
        links = appended(links, link);
        if (link.legacy()) {
            // A legacy client cannot subscribe, so it is sent every application type (the original's behaviour).
            final int[] all = context.schema.typeIds();
            final List<Integer> ids = new ArrayList<>(all.length);
            for (final int id : all) {
                ids.add(id);
            }
            peerSubscribed(link, ids);
        } else {
            sendInterest(link, localInterest.stream().toArray(), true);
        }
    }

    /** Removes a closed link and drops its interest. Control thread. */
    void remove(final StreamLink link) {
        final StreamLink[] current = links;
        final StreamLink[] next = without(current, link);
        if (next == current) {
            return;
        }
        links = next;
        for (final int typeId : link.peerInterest().stream().toArray()) {
            link.peerInterest().clear(typeId);
            release(typeId, link);
        }
    }

    /** Records that {@code link}'s peer wants {@code typeIds}. Control thread. */
    void peerSubscribed(final StreamLink link, final List<Integer> typeIds) {
        if (!isRegistered(link)) {
            return;
        }
        for (final int typeId : typeIds) {
            if (link.peerInterest().contains(typeId)) {
                continue;
            }
            // The tap and the fan-out first, the peer's interest last: once the link's stats show the interest, a
            // publish of the type reaches the peer (a publish between the two goes nowhere, as before the SUBSCRIBE).
            TypeFanOut fanOut = fanOuts[typeId];
            if (fanOut == null) {
                fanOut = new TypeFanOut();
                try {
                    fanOut.tap = context.bus.tap(typeId, fanOut);
                } catch (final RuntimeException e) {
                    context.log.warn("{} link {}: cannot tap type {} on the bus; the peer will not receive it",
                            context.endpoints.kind(), link.peerName(), typeId, e);
                    continue;
                }
                fanOuts[typeId] = fanOut;
            }
            fanOut.add(link);
            link.peerInterest().add(typeId);
        }
    }

    /** Records that {@code link}'s peer no longer wants {@code typeIds}. Control thread. */
    void peerUnsubscribed(final StreamLink link, final List<Integer> typeIds) {
        for (final int typeId : typeIds) {
            if (link.peerInterest().remove(typeId)) {
                release(typeId, link);
            }
        }
    }

    /** Hands a change of local interest to the control thread. Any thread. */
    public void onLocalInterest(final int typeId, final boolean interested) {
        context.onControl(() -> localInterestChanged(typeId, interested));
    }

    /** Records a change of local interest and tells every v1 peer. Control thread. */
    void localInterestChanged(final int typeId, final boolean interested) {
        if (typeId < ControlDescriptor.FIRST_APPLICATION_TYPE_ID || typeId >= TYPE_IDS
                || localInterest.get(typeId) == interested) {
            return;
        }
        localInterest.set(typeId, interested);
        for (final StreamLink link : links) {
            if (!link.legacy()) {
                sendInterest(link, new int[] {typeId}, interested);
            }
        }
    }

    private boolean isRegistered(final StreamLink link) {
        for (final StreamLink candidate : links) {
            if (candidate == link) {
                return true;
            }
        }
        return false;
    }

    /** Takes {@code link} out of the type's fan-out, and closes the type's tap when no link wants it any more. */
    private void release(final int typeId, final StreamLink link) {
        final TypeFanOut fanOut = fanOuts[typeId];
        if (fanOut == null || !fanOut.remove(link)) {
            return;
        }
        if (fanOut.isEmpty()) {
            fanOuts[typeId] = null;
            try {
                fanOut.tap.close();
            } catch (final Exception e) {
                context.log.warn("closing the bus tap of type {} failed", typeId, e);
            }
        }
    }

    private static void sendInterest(final StreamLink link, final int[] typeIds, final boolean subscribe) {
        for (int from = 0; from < typeIds.length || from == 0; from += ControlDescriptor.MAX_TYPE_IDS) {
            final int to = Math.min(typeIds.length, from + ControlDescriptor.MAX_TYPE_IDS);
            final List<Integer> chunk = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                chunk.add(typeIds[i]);
            }
            link.sendControl(ControlFrameCodec.toBytes(subscribe ? new Subscribe(chunk) : new Unsubscribe(chunk)));
            if (typeIds.length == 0) {
                return;
            }
        }
    }

    /** A copy of {@code links} with {@code link} at its end (copy-on-write arrays read by publishers). */
    private static StreamLink[] appended(final StreamLink[] links, final StreamLink link) {
        final StreamLink[] next = Arrays.copyOf(links, links.length + 1);
        next[links.length] = link;
        return next;
    }

    /** A copy of {@code links} without {@code link}, or {@code links} itself when it does not hold it. */
    private static StreamLink[] without(final StreamLink[] links, final StreamLink link) {
        for (int i = 0; i < links.length; i++) {
            if (links[i] == link) {
                final StreamLink[] next = new StreamLink[links.length - 1];
                System.arraycopy(links, 0, next, 0, i);
                System.arraycopy(links, i + 1, next, i, links.length - i - 1);
                return next;
            }
        }
        return links;
    }

    /**
     * One type id's bus tap: offers a locally published frame of that type to every link whose peer wants it.
     *
     * <p><b>Threading:</b> {@link #onMessage} runs inline on publisher threads and reads the copy-on-write, volatile
     * array of links without locking or allocating; {@link #add} and {@link #remove} are for the control thread.
     */
    private static final class TypeFanOut implements RawMessageHandler {
        private static final StreamLink[] NONE = new StreamLink[0];

        private volatile StreamLink[] targets = NONE;
        /** Closes the tap; set once by the control thread before the type's first link is added. */
        private AutoCloseable tap;

        @Override
        public void onMessage(final int typeId, final ByteBuffer payload) {
            for (final StreamLink link : targets) {
                link.send(typeId, payload);
            }
        }

        void add(final StreamLink link) {
            targets = appended(targets, link);
        }

        /** Returns whether {@code link} was one of the targets. */
        boolean remove(final StreamLink link) {
            final StreamLink[] current = targets;
            final StreamLink[] next = without(current, link);
            if (next == current) {
                return false;
            }
            targets = next;
            return true;
        }

        boolean isEmpty() {
            return targets.length == 0;
        }
    }
}
