package io.mycelium.transport.tcp.impl;

import io.mycelium.transport.stream.StreamEndpoints;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Opens TCP channels: {@code TCP_NODELAY} on every connection, and a listen address without a host binds the
 * loopback interface only.
 *
 * <p>Immutable and thread-safe. Addresses are {@code host:port}, {@code [v6]:port}, {@code :port} or {@code port};
 * the last two mean {@code 127.0.0.1:port}.
 */
public final class TcpEndpoints implements StreamEndpoints {

    private static final int BACKLOG = 128;

    @Override
    public String kind() {
        return "tcp";
    }

    @Override
    public ServerSocketChannel listen(final String address) throws IOException {
        final InetSocketAddress socketAddress = parse(address);
        final ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(socketAddress, BACKLOG);
        } catch (final IOException e) {
            server.close();
            throw new IOException("cannot listen on TCP " + address + ": " + e.getMessage()
                    + "; is another process using the port?", e);
        }
        return server;
    }

    @Override
    public String boundAddress(final ServerSocketChannel server) throws IOException {
        final InetSocketAddress local = (InetSocketAddress) server.getLocalAddress();
        final String host = local.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + local.getPort();
    }

    @Override
    public void release(final String address) {
        // Nothing outlives a TCP listener.
    }

    @Override
    public SocketChannel connect(final String address, final int timeoutMillis) throws IOException {
        final InetSocketAddress socketAddress = parse(address);
        final SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().connect(socketAddress, timeoutMillis);
        } catch (final IOException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    @Override
    public void configure(final SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    }

    /**
     * Parses a TCP address of the topology and resolves its host.
     *
     * @throws IOException naming the address when it has no valid port
     */
    static InetSocketAddress parse(final String address) throws IOException {
        final InetSocketAddress unresolved = parseUnresolved(address);
        return new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
    }

    /**
     * Parses a TCP address of the topology without resolving its host (no name lookup), to check a configuration.
     *
     * @throws IOException naming the address when it has no valid port
     */
    static InetSocketAddress parseUnresolved(final String address) throws IOException {
        final String text = address.trim();
        final int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "" : text.substring(0, colon);
        final String port = colon < 0 ? text : text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        final int number;
        try {
            number = Integer.parseInt(port);
        } catch (final NumberFormatException e) {
            throw new IOException("TCP address '" + address + "' has no valid port; write host:port, e.g."
                    + " 127.0.0.1:9000", e);
        }
        if (number < 0 || number > 0xFFFF) {
            throw new IOException("TCP address '" + address + "' has port " + number + " outside 0..65535");
        }
        return InetSocketAddress.createUnresolved(host.isEmpty() ? "127.0.0.1" : host, number);
    }
}
