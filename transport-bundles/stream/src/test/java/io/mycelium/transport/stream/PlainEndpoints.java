package io.mycelium.transport.stream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Endpoints for the stream machinery's own tests: plain JDK channels over a Unix socket path or a loopback
 * {@code 127.0.0.1:port}, without what the transport bundles add (socket file modes, stale files, host names,
 * connect timeouts), which those bundles test. Immutable.
 */
public final class PlainEndpoints implements StreamEndpoints {

    private final boolean unix;

    private PlainEndpoints(final boolean unix) {
        this.unix = unix;
    }

    /** Returns endpoints of {@code kind}: {@code "unix"} or {@code "tcp"}. */
    public static PlainEndpoints of(final String kind) {
        return new PlainEndpoints(kind.equals("unix"));
    }

    @Override
    public String kind() {
        return unix ? "unix" : "tcp";
    }

    @Override
    public ServerSocketChannel listen(final String address) throws IOException {
        final ServerSocketChannel server = unix ? ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                : ServerSocketChannel.open();
        server.bind(socketAddress(address));
        return server;
    }

    @Override
    public String boundAddress(final ServerSocketChannel server) throws IOException {
        final SocketAddress local = server.getLocalAddress();
        return unix ? ((UnixDomainSocketAddress) local).getPath().toString()
                : "127.0.0.1:" + ((InetSocketAddress) local).getPort();
    }

    @Override
    public void release(final String address) throws IOException {
        if (unix) {
            Files.deleteIfExists(Path.of(address));
        }
    }

    @Override
    public SocketChannel connect(final String address, final int timeoutMillis) throws IOException {
        return SocketChannel.open(socketAddress(address));
    }

    @Override
    public void configure(final SocketChannel channel) throws IOException {
        if (!unix) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
    }

    private SocketAddress socketAddress(final String address) {
        if (unix) {
            return UnixDomainSocketAddress.of(address);
        }
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
    }
}
