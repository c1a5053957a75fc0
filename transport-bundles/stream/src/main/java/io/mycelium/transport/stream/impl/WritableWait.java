package io.mycelium.transport.stream.impl;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * A link writer's wait for its socket to take bytes again (the peer reads slowly): a selector opened the first time
 * the socket is full, so a link whose writes always go through never opens one.
 *
 * <p><b>Threading:</b> {@link #await} and {@link #close} on the writer thread; {@link #wakeup} from any thread (the
 * link is closing).
 */
final class WritableWait {

    private volatile Selector selector;

    /**
     * Waits until {@code channel} is writable or {@link #wakeup} is called.
     *
     * @param closing whether the link is closing: a closed channel then ends the wait with an exception instead
     * @throws ClosedChannelException when the link is closing and its channel closed
     */
    void await(final SocketChannel channel, final boolean closing) throws IOException {
        Selector s = selector;
        if (s == null) {
            s = Selector.open();
            channel.register(s, SelectionKey.OP_WRITE);
            selector = s;
        }
        if (closing && !channel.isOpen()) {
            throw new ClosedChannelException();
        }
        s.select();
        s.selectedKeys().clear();
    }

    /** Ends a wait in progress, or makes the next one return at once. Any thread. */
    void wakeup() {
        final Selector s = selector;
        if (s != null) {
            s.wakeup();
        }
    }

    /** Closes the selector, if one was opened. Writer thread, after its last write. */
    void close() throws IOException {
        final Selector s = selector;
        if (s != null) {
            s.close();
        }
    }
}
