package io.mycelium.transport.stream.impl;

/** A link's reader thread: a daemon, named after its link. */
final class LinkThread extends Thread {

    LinkThread(final Runnable body, final String name) {
        super(body, name);
        setDaemon(true);
    }
}
