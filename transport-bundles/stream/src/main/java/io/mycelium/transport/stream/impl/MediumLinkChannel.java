package io.mycelium.transport.stream.impl;

import io.mycelium.transport.stream.LinkMedium;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A link's frames in a {@link LinkMedium} (shared-memory rings) instead of the socket, which stays as the link's
 * control channel. Threading as {@link LinkChannel}.
 */
final class MediumLinkChannel implements LinkChannel {

    private final SocketChannel socket;
    private final LinkMedium medium;
    private final ByteBuffer[] single = new ByteBuffer[1];

    MediumLinkChannel(final SocketChannel socket, final LinkMedium medium) {
        this.socket = socket;
        this.medium = medium;
    }

    @Override
    public int read(final ByteBuffer dst) throws IOException {
        return medium.read(dst);
    }

    @Override
    public long write(final ByteBuffer[] srcs, final int offset, final int length) throws IOException {
        return medium.write(srcs, offset, length);
    }

    @Override
    public int write(final ByteBuffer src) throws IOException {
        single[0] = src;
        try {
            return (int) medium.write(single, 0, 1);
        } finally {
            single[0] = null;
        }
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

    /** Returns the medium the frames travel in. */
    LinkMedium medium() {
        return medium;
    }

    /** Releases the medium once the link ended. */
    void release() {
        medium.close();
    }
}
