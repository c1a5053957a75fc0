package io.mycelium.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds a TCP port free now on a local address (another process may take it before the test binds it). */
public final class FreePort {

    private FreePort() {
    }

    /**
     * @param host a local address, e.g. {@code 127.0.0.1} or {@code 127.0.0.2}
     * @return a port that was free on {@code host} a moment ago
     * @throws IOException if {@code host} cannot be bound
     */
    public static int on(final String host) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        }
    }
}
