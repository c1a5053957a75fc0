package io.mycelium.bus.impl;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * A statistic counted on hot paths by any number of threads without an atomic instruction: each thread adds to its
 * own cell (a {@link PaddedLong}: single writer, opaque store, its own cache lines), and reading sums the cells.
 *
 * <p>Why not a {@code LongAdder}: its uncontended increment is a locked CAS, a full fence that makes the publishing
 * thread wait for its previous stores (the frame it just copied into a link's ring, on lines another core last read)
 * on every message. Here an increment is a compare of the current thread with the last one that counted (the usual
 * case: one publisher thread), a load and a plain store; another thread goes through a {@code ThreadLocal} once and
 * becomes the last one.
 *
 * <p><b>Threading:</b> {@link #increment} and {@link #add} from any thread; {@link #sum} from any thread (it may miss
 * increments racing with it, never an earlier one of the reading thread). A thread's first increment registers its
 * cell (allocates once per thread and counter) and folds the cells of threads that have ended into a base, so
 * short-lived threads do not leave cells behind.
 */
final class ThreadCounter {

    private final ThreadLocal<Owned> mine = new ThreadLocal<>();
    /** The cell of the thread that counted last: a racy cache, each value immutable (safe to read from any thread). */
    private Owned last = Owned.NOBODY;
    /** The live cells and their threads; guarded by this. */
    private final List<PaddedLong> cells = new ArrayList<>();
    private final List<WeakReference<Thread>> owners = new ArrayList<>();
    /** Read without the lock by {@link #sum}; replaced under the lock when cells are added or folded. */
    private volatile PaddedLong[] snapshot = new PaddedLong[0];
    /** What the cells of ended threads held; guarded by this. */
    private long folded;

    /** Adds one; any thread. */
    void increment() {
        cell().increment();
    }

    /** Adds {@code delta}; any thread. */
    void add(final long delta) {
        cell().add(delta);
    }

    /**
     * The calling thread's cell, for a loop on that thread that counts many times: the lookup once, then a plain
     * read and an opaque store per {@link PaddedLong#increment}. Use it on the calling thread only.
     */
    PaddedLong mine() {
        return cell();
    }

    /** @return the sum of every thread's increments; any thread */
    synchronized long sum() {
        long total = folded;
        for (final PaddedLong cell : snapshot) {
            total += cell.get();
        }
        return total;
    }

    private PaddedLong cell() {
        final Owned owned = last;
        return owned.thread == Thread.currentThread() ? owned.cell : miss();
    }

    private PaddedLong miss() {
        Owned owned = mine.get();
        if (owned == null) {
            owned = register();
        }
        last = owned;
        return owned.cell;
    }

    private synchronized Owned register() {
        for (int i = cells.size() - 1; i >= 0; i--) {
            final Thread owner = owners.get(i).get();
            if (owner == null || !owner.isAlive()) {
                // An ended thread writes its cell no more: its count moves to the base exactly.
                folded += cells.get(i).get();
                cells.remove(i);
                owners.remove(i);
            }
        }
        final PaddedLong cell = new PaddedLong();
        cells.add(cell);
        owners.add(new WeakReference<>(Thread.currentThread()));
        snapshot = cells.toArray(new PaddedLong[0]);
        final Owned owned = new Owned(Thread.currentThread(), cell);
        mine.set(owned);
        return owned;
    }

    /** A thread and its cell; immutable. */
    private static final class Owned {
        static final Owned NOBODY = new Owned(null, null);

        final Thread thread;
        final PaddedLong cell;

        Owned(final Thread thread, final PaddedLong cell) {
            this.thread = thread;
            this.cell = cell;
        }
    }
}
