package io.mycelium.transport.stream.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A link's bytes straight on the socket; holds nothing back. Threading as {@link LinkChannel}. */
final class PlainLinkChannel implements LinkChannel {

    private final SocketChannel socket;

    PlainLinkChannel(final SocketChannel socket) {
        this.socket = socket;
    }

    @Override
    public int read(final ByteBuffer dst) throws IOException {
        return socket.read(dst);
    }

    @Override
    public long write(final ByteBuffer[] srcs, final int offset, final int length) throws IOException {
        return socket.write(srcs, offset, length);
    }

    @Override
    public int write(final ByteBuffer src) throws IOException {
        return socket.write(src);
    }

    @Override
    public boolean flush() {
        return true;
    }

    @Override
    public SocketChannel socket() {
        return socket;
    }

    @Override
    public String protocol() {
        return "";
    }
}
