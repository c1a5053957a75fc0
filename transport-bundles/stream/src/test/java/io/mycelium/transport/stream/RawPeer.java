package io.mycelium.transport.stream;

import io.mycelium.protocol.control.ControlFrame;
import io.mycelium.protocol.control.ControlFrameCodec;
import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.protocol.frame.FrameDecoder;
import io.mycelium.protocol.handshake.HandshakeCodec;
import io.mycelium.protocol.handshake.Hello;
import io.mycelium.protocol.handshake.ReplyReader;
import io.mycelium.testsupport.Await;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** A hand-driven client speaking raw bytes to a transport, for handshake and bad-input tests. */
final class RawPeer implements AutoCloseable {

    /** A frame read from the server. */
    record Frame(int typeId, byte[] payload) {
    }

    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private final FrameDecoder decoder = new FrameDecoder();

    private RawPeer(final SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        in.flip();
    }

    static RawPeer unix(final Path socket) throws IOException {
        return new RawPeer(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
    }

    static RawPeer open(final StreamEndpoints endpoints, final String address) throws IOException {
        return new RawPeer(endpoints.connect(address, 2_000));
    }

    void write(final byte[] bytes) throws IOException {
        final ByteBuffer out = ByteBuffer.wrap(bytes);
        final long deadline = System.nanoTime() + Await.TIMEOUT_MILLIS * 1_000_000;
        while (out.hasRemaining()) {
            channel.write(out);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("write did not complete");
            }
        }
    }

    void hello(final SchemaDigest digest, final String name) throws IOException {
        write(HandshakeCodec.encode(Hello.of(digest, name)));
    }

    /** Reads the server's handshake reply. */
    ReplyReader reply() throws IOException {
        final ReplyReader reader = new ReplyReader();
        final long deadline = System.nanoTime() + Await.TIMEOUT_MILLIS * 1_000_000;
        while (reader.feed(in) == ReplyReader.Status.NEED_MORE) {
            if (!fill(deadline)) {
                throw reader.endOfStream("test server");
            }
        }
        return reader;
    }

    /** Reads the next frame, or returns null when the server closed the connection first. */
    Frame frame() throws IOException {
        final long deadline = System.nanoTime() + Await.TIMEOUT_MILLIS * 1_000_000;
        while (true) {
            final int status = decoder.decode(in);
            if (status == FrameDecoder.FRAME) {
                final byte[] payload = new byte[decoder.payloadLength()];
                decoder.payloadBuffer().get(decoder.payloadOffset(), payload);
                return new Frame(decoder.typeId(), payload);
            }
            if (!fill(deadline)) {
                return null;
            }
        }
    }

    /** Reads frames until one of {@code typeId} arrives; returns null when the server closed first. */
    Frame frameOfType(final int typeId) throws IOException {
        Frame frame;
        do {
            frame = frame();
        } while (frame != null && frame.typeId() != typeId);
        return frame;
    }

    /** Reads the next control frame of {@code typeId}, decoded. */
    ControlFrame control(final int typeId) throws IOException {
        final Frame frame = frameOfType(typeId);
        if (frame == null) {
            throw new AssertionError("connection closed before a control frame of type " + typeId);
        }
        return ControlFrameCodec.decode(typeId, ByteBuffer.wrap(frame.payload()), 0, frame.payload().length);
    }

    /** Reads and discards until the server closes; returns how many bytes came. */
    int drainUntilClosed() throws IOException {
        final long deadline = System.nanoTime() + Await.TIMEOUT_MILLIS * 1_000_000;
        int total = in.remaining();
        in.position(in.limit());
        while (fill(deadline)) {
            total += in.remaining();
            in.position(in.limit());
        }
        return total;
    }

    private boolean fill(final long deadline) throws IOException {
        in.compact();
        try {
            while (true) {
                final int read;
                try {
                    read = channel.read(in);
                } catch (final IOException reset) {
                    return false;
                }
                if (read < 0) {
                    return false;
                }
                if (read > 0) {
                    return true;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no bytes from the server within " + Await.TIMEOUT_MILLIS + " ms");
                }
                Thread.onSpinWait();
                try {
                    Thread.sleep(1);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        } finally {
            in.flip();
        }
    }

    static byte[] frameBytes(final int typeId, final byte[] payload) {
        final ByteBuffer out = ByteBuffer.allocate(6 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putShort((short) typeId).putInt(payload.length).put(payload);
        return out.array();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
