package io.mycelium.bus.impl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import io.mycelium.api.MessageType;
import io.mycelium.api.TypeStats;

/**
 * The subscribers and counters of one type id. Publishing is lock-free and safe for any number of threads: it reads
 * the copy-on-write subscriber array once. Adding and removing subscribers (rare) are serialised on this object.
 */
final class Topic implements TypeStats {

    private static final BusSubscription[] NONE = new BusSubscription[0];

    private final int typeId;
    /** Per-thread cells, not a LongAdder: a publish then carries no atomic instruction for its statistics. */
    private final ThreadCounter published = new ThreadCounter();
    private final ThreadCounter unrouted = new ThreadCounter();
    private final ThreadLocal<LentView> lent = ThreadLocal.withInitial(LentView::new);
    /** The view of the thread that published raw last: a racy cache of {@link #lent} (its owner field is final). */
    private LentView lastLent = LentView.NOBODY;
    /** Who gets a publish: replaced as a whole (copy-on-write), so a publish reads one consistent snapshot. */
    private volatile Routes routes = Routes.EMPTY;
    /** The local subscribers of {@link #routes}; written together with it, under this. */
    private volatile BusSubscription[] subscriptions = NONE;
    /** The type registered by the active schema that owns this id, or {@code null}. */
    private volatile MessageType<?> schemaType;
    private volatile String schemaId = "";
    /** The first type a typed publisher or subscriber used, for the name when no schema is active. */
    private volatile MessageType<?> seenType;
    /** Counters of closed subscriptions; guarded by this. */
    private long retiredDelivered;
    private long retiredDropped;
    private long retiredErrors;

    Topic(final int typeId) {
        this.typeId = typeId;
    }

    /**
     * Offers a typed message to every subscriber. Any thread; allocates nothing when every subscriber takes the
     * object by reference.
     *
     * @param type    the publisher's type
     * @param message the message
     * @throws io.mycelium.api.MyceliumException if a FAIL subscriber was full or a BLOCKed publish was interrupted
     */
    void publish(final MessageType<?> type, final Object message) {
        published.increment();
        final Routes r = routes;
        final BusSubscription[] subs = r.subscriptions;
        final BusSubscription[] toLinks = r.links;
        if (subs.length == 0 && toLinks.length == 0) {
            unrouted.increment();
            return;
        }
        Envelope envelope = null;
        for (final BusSubscription s : subs) {
            envelope = s.offer(type, message, envelope);
        }
        for (final BusSubscription s : toLinks) {
            envelope = s.offer(type, message, envelope);
        }
        if (envelope != null) {
            envelope.throwFailure();
        }
    }

    /**
     * Offers an encoded payload to every subscriber. Any thread.
     *
     * @param payload   the payload from its position to its limit; untouched
     * @param fromLink  whether the payload came from a peer node: then link subscriptions do not get it
     * @throws IllegalArgumentException if an active schema gives this id another size
     * @throws io.mycelium.api.MyceliumException as for {@link #publish(MessageType, Object)}
     */
    void publishRaw(final ByteBuffer payload, final boolean fromLink) {
        checkSize(payload.remaining());
        published.increment();
        final Routes r = routes;
        final BusSubscription[] subs = r.subscriptions;
        final BusSubscription[] toLinks = fromLink ? NONE : r.links;
        if (subs.length == 0 && toLinks.length == 0) {
            unrouted.increment();
            return;
        }
        if (r.subscriptionsInlineRaw && (fromLink || r.linksInlineRaw)) {
            if (fromLink && payload.isReadOnly()) {
                deliverInPlace(subs, NONE, payload);
                return;
            }
            final LentView lent = lentView();
            final ByteBuffer view = lent.borrow(payload);
            if (view != null) {
                try {
                    deliverInPlace(subs, toLinks, view);
                } finally {
                    lent.giveBack();
                }
                return;
            }
        }
        final Envelope envelope = Envelope.ofRaw(typeId, payload);
        try {
            for (final BusSubscription s : subs) {
                s.offer(envelope);
            }
            for (final BusSubscription s : toLinks) {
                s.offer(envelope);
            }
        } finally {
            envelope.endPublish();
        }
        envelope.throwFailure();
    }

    /**
     * Delivers a run of payloads from a peer (see {@link io.mycelium.api.link.LinkBus#deliverRunFromPeer}) to inline
     * raw subscribers, in place and in order: the size check, the routes snapshot and the counters once per run, per
     * payload only its position and limit, the subscriber's closed check and the handler call. Reader's thread.
     *
     * @return {@code count}, or 0 (nothing delivered) when a subscriber is not inline raw or the buffer is writable
     * @throws IllegalArgumentException if an active schema gives this id another size (nothing delivered)
     */
    int deliverRunFromPeer(final ByteBuffer frames, final int offset, final int length, final int stride,
                           final int count) {
        checkSize(length);
        final Routes r = routes;
        if (!r.subscriptionsInlineRaw || !frames.isReadOnly()) {
            return 0;
        }
        published.add(count);
        final BusSubscription[] subs = r.subscriptions;
        if (subs.length == 0) {
            unrouted.add(count);
            return count;
        }
        final int position = frames.position();
        final int limit = frames.limit();
        final ByteOrder order = frames.order();
        try {
            if (subs.length == 1) {
                ((InlineSubscription) subs[0]).offerRun(typeId, frames, offset, length, stride, count);
            } else {
                for (int i = 0, at = offset; i < count; i++, at += stride) {
                    frames.limit(at + length).position(at);
                    deliverInPlace(subs, NONE, frames);
                }
            }
        } finally {
            frames.limit(limit).position(position);
            frames.order(order);
        }
        return count;
    }

    private void checkSize(final int length) {
        final MessageType<?> registered = schemaType;
        if (registered != null && registered.size() != length) {
            throw new IllegalArgumentException("payload of " + length + " bytes but type " + typeId + " "
                + registered.name() + " has size " + registered.size() + " (schema '" + schemaId + "')");
        }
    }

    /** This thread's view: the last one used when this thread used it (one publisher thread), else a lookup. */
    private LentView lentView() {
        final LentView last = lastLent;
        if (last.owner == Thread.currentThread()) {
            return last;
        }
        final LentView mine = lent.get();
        lastLent = mine;
        return mine;
    }

    /** Whether every subscription runs a raw handler inline, so a payload can be lent to each in turn. */
    private static boolean inlineRaw(final BusSubscription[] subs) {
        for (final BusSubscription s : subs) {
            if (!(s instanceof InlineSubscription) || !s.takesRaw()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Hands a read-only payload itself to inline raw subscribers, one after the other, with its position, limit and
     * byte order (big-endian, as a fresh view has) reset for each and restored at the end: no envelope and no view
     * per message. The payload is either a link's read buffer (confined to the link's reader thread during the call)
     * or this thread's own {@link LentView} of the publisher's buffer, never a buffer another thread may be using.
     */
    private void deliverInPlace(final BusSubscription[] subs, final BusSubscription[] toLinks,
                                final ByteBuffer payload) {
        final int position = payload.position();
        final int limit = payload.limit();
        final ByteOrder order = payload.order();
        try {
            for (final BusSubscription s : subs) {
                payload.limit(limit).position(position);
                ((InlineSubscription) s).offerInPlace(typeId, payload.order(ByteOrder.BIG_ENDIAN));
            }
            for (final BusSubscription s : toLinks) {
                payload.limit(limit).position(position);
                ((InlineSubscription) s).offerInPlace(typeId, payload.order(ByteOrder.BIG_ENDIAN));
            }
        } finally {
            payload.limit(limit).position(position);
            payload.order(order);
        }
    }

    /**
     * One thread's read-only view of the buffer it last published raw on this topic, reused while it publishes the
     * same buffer again (the usual publisher reuses one buffer), so a raw publish to inline subscribers and links
     * allocates nothing. It keeps that buffer reachable until the thread publishes another one here. Confined to
     * its thread; a publish from inside a handler of the same publish (re-entrant) gets a fresh view instead.
     */
    private static final class LentView {
        static final LentView NOBODY = new LentView(null);

        final Thread owner;
        private ByteBuffer source;
        private ByteBuffer view;
        private boolean lent;

        LentView() {
            this(Thread.currentThread());
        }

        private LentView(final Thread owner) {
            this.owner = owner;
        }

        /** @return the view positioned as {@code payload}, or null when it is lent already (re-entrant publish) */
        ByteBuffer borrow(final ByteBuffer payload) {
            if (lent) {
                return null;
            }
            if (source != payload) {
                source = payload;
                view = payload.asReadOnlyBuffer();
            }
            lent = true;
            view.limit(payload.limit()).position(payload.position());
            return view;
        }

        void giveBack() {
            lent = false;
        }
    }

    /**
     * Adds a subscriber.
     *
     * @return whether it is the first local (non-link) subscriber
     */
    synchronized boolean add(final BusSubscription s) {
        final Routes r = routes;
        if (s.link) {
            routes = new Routes(r.subscriptions, with(r.links, s));
            return false;
        }
        routes = new Routes(with(r.subscriptions, s), r.links);
        subscriptions = routes.subscriptions;
        return subscriptions.length == 1;
    }

    /**
     * Removes a subscriber.
     *
     * @return whether it was the last local (non-link) subscriber
     */
    synchronized boolean remove(final BusSubscription s) {
        final Routes r = routes;
        if (s.link) {
            routes = new Routes(r.subscriptions, without(r.links, s));
            return false;
        }
        final BusSubscription[] old = r.subscriptions;
        routes = new Routes(without(old, s), r.links);
        subscriptions = routes.subscriptions;
        return old.length > 0 && subscriptions.length == 0;
    }

    /**
     * The subscribers and link taps of a topic at one moment, with what a raw publish needs to know about them
     * worked out once per change instead of once per publish. Immutable.
     */
    private static final class Routes {
        static final Routes EMPTY = new Routes(NONE, NONE);

        final BusSubscription[] subscriptions;
        /** Transport link subscriptions (taps): they get local publishes only, and are not local interest. */
        final BusSubscription[] links;
        /** Whether every local subscriber runs a raw handler inline (a payload can be lent to each in turn). */
        final boolean subscriptionsInlineRaw;
        /** The same for the taps. */
        final boolean linksInlineRaw;

        Routes(final BusSubscription[] subscriptions, final BusSubscription[] links) {
            this.subscriptions = subscriptions;
            this.links = links;
            this.subscriptionsInlineRaw = inlineRaw(subscriptions);
            this.linksInlineRaw = inlineRaw(links);
        }
    }

    /** @return whether the topic has a local (non-link) subscriber */
    boolean hasLocalSubscribers() {
        return subscriptions.length > 0;
    }

    private static BusSubscription[] with(final BusSubscription[] old, final BusSubscription s) {
        final BusSubscription[] copy = Arrays.copyOf(old, old.length + 1);
        copy[old.length] = s;
        return copy;
    }

    private static BusSubscription[] without(final BusSubscription[] old, final BusSubscription s) {
        for (int i = 0; i < old.length; i++) {
            if (old[i] == s) {
                final BusSubscription[] copy = new BusSubscription[old.length - 1];
                System.arraycopy(old, 0, copy, 0, i);
                System.arraycopy(old, i + 1, copy, i, old.length - i - 1);
                return copy;
            }
        }
        return old;
    }

    /** Adds a closed subscription's final counters to this topic's totals. */
    synchronized void retire(final BusSubscription s) {
        retiredDelivered += s.delivered();
        retiredDropped += s.dropped();
        retiredErrors += s.handlerErrors();
    }

    void schemaType(final MessageType<?> type, final String id) {
        schemaType = type;
        schemaId = type == null ? "" : id;
    }

    MessageType<?> schemaType() {
        return schemaType;
    }

    void sawType(final MessageType<?> type) {
        if (seenType == null) {
            seenType = type;
        }
    }

    @Override
    public int typeId() {
        return typeId;
    }

    @Override
    public String name() {
        final MessageType<?> s = schemaType;
        final MessageType<?> t = s != null ? s : seenType;
        return t == null ? "" : t.name();
    }

    @Override
    public String schemaId() {
        return schemaId;
    }

    @Override
    public long published() {
        return published.sum();
    }

    @Override
    public long unrouted() {
        return unrouted.sum();
    }

    @Override
    public synchronized long delivered() {
        long sum = retiredDelivered;
        for (final BusSubscription s : subscriptions) {
            sum += s.delivered();
        }
        return sum;
    }

    @Override
    public synchronized long dropped() {
        long sum = retiredDropped;
        for (final BusSubscription s : subscriptions) {
            sum += s.dropped();
        }
        return sum;
    }

    @Override
    public synchronized long handlerErrors() {
        long sum = retiredErrors;
        for (final BusSubscription s : subscriptions) {
            sum += s.handlerErrors();
        }
        return sum;
    }

    @Override
    public int subscribers() {
        return subscriptions.length;
    }

    @Override
    public int size() {
        MessageType<?> type = schemaType;
        if (type == null) {
            type = seenType;
        }
        return type == null ? -1 : type.size();
    }

    @Override
    public String toString() {
        final String n = name();
        return n.isEmpty() ? "type " + typeId : "type " + typeId + " " + n;
    }
}
