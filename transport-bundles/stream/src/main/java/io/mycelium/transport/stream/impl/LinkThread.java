package io.mycelium.transport.stream.impl;

/**
 * A link's reader thread; it marks while it delivers a peer's frame to the bus so that taps running inline on it
 * can recognise (and skip) that frame without a thread-local lookup.
 *
 * <p>{@link #delivering} is read and written by this thread only.
 */
public final class LinkThread extends Thread {

    /** Whether this thread is inside {@link io.mycelium.transport.stream.LinkBus#deliverFromPeer}. */
    public boolean delivering;

    LinkThread(final Runnable body, final String name) {
        super(body, name);
        setDaemon(true);
    }
}
