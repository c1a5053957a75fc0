package io.mycelium.transport.stream.impl;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

/**
 * The type ids one peer subscribed to, as a 65536-bit set.
 *
 * <p><b>Threading:</b> {@link #add} and {@link #remove} are for the control thread only (one writer);
 * {@link #contains} is safe from any thread and never allocates: each word is read with volatile semantics, so a
 * publisher sees a subscription as soon as the control thread recorded it.
 */
final class PeerInterest {

    private final AtomicLongArray words = new AtomicLongArray(0x10000 / Long.SIZE);
    private int count;

    /** Says whether the peer wants {@code typeId}. Any thread. */
    boolean contains(final int typeId) {
        return (words.get(typeId >>> 6) & (1L << typeId)) != 0;
    }

    /** Adds {@code typeId}; returns whether it was new. Control thread. */
    boolean add(final int typeId) {
        final int index = typeId >>> 6;
        final long word = words.get(index);
        final long bit = 1L << typeId;
        if ((word & bit) != 0) {
            return false;
        }
        words.set(index, word | bit);
        count++;
        return true;
    }

    /** Removes {@code typeId}; returns whether it was present. Control thread. */
    boolean remove(final int typeId) {
        final int index = typeId >>> 6;
        final long word = words.get(index);
        final long bit = 1L << typeId;
        if ((word & bit) == 0) {
            return false;
        }
        words.set(index, word & ~bit);
        count--;
        return true;
    }

    /** Removes {@code typeId} without bookkeeping (the link is gone). Control thread. */
    void clear(final int typeId) {
        remove(typeId);
    }

    /** Returns how many type ids the peer wants. Control thread (approximate elsewhere). */
    int count() {
        return count;
    }

    /** Returns the wanted type ids in ascending order. Control thread. */
    IntStream stream() {
        return IntStream.range(0, 0x10000).filter(this::contains);
    }
}
