package io.mycelium.transport.stream.impl;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The accepted connections that have not completed their handshake, at most {@code max.pending.handshakes}, oldest
 * first. A new connection beyond the bound pushes the oldest out, which is closed.
 *
 * <p>Why evict the oldest instead of refusing the newest: a real client or peer node sends its handshake the moment
 * it connects and leaves this set within milliseconds, so whoever is still pending is, the longer it waits, the
 * more likely a connection that will never speak. Refusing the newest (the old rule: close at twice {@code
 * max.connections}) let idle connections lock everyone out until their timeout, renewable forever (issue 13).
 * Evicting the oldest means a flood only shortens how long each idle connection is kept; the newcomer always gets
 * its chance. The cost of a pending connection (a reader thread, a 64 KiB read buffer) stays bounded by the set.
 *
 * @param <L> a connection (a {@link StreamLink}; generic so that the order can be tested without sockets)
 *
 * <p><b>Threading:</b> any thread (accept thread adds, reader threads remove); synchronized, off the data path.
 */
final class PendingHandshakes<L> {

    private final int max;
    private final Set<L> pending = new LinkedHashSet<>();

    PendingHandshakes(final int max) {
        this.max = max;
    }

    /**
     * Adds a connection that starts its handshake.
     *
     * @return the oldest pending connection, removed to make room, for the caller to close; or null
     */
    synchronized L add(final L link) {
        L evicted = null;
        if (pending.size() >= max) {
            final Iterator<L> oldest = pending.iterator();
            evicted = oldest.next();
            oldest.remove();
        }
        pending.add(link);
        return evicted;
    }

    /** Removes a connection whose handshake ended (either way); idempotent. */
    synchronized void remove(final L link) {
        pending.remove(link);
    }

    /** Returns how many connections are handshaking. */
    synchronized int size() {
        return pending.size();
    }
}
