package io.mycelium.transport.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.junit.jupiter.api.Test;

class TcpEndpointsTest {

    private final TcpEndpoints endpoints = new TcpEndpoints();

    @Test
    void shouldBindLoopbackWhenAddressHasNoHost() throws Exception {
        assertEquals(new InetSocketAddress("127.0.0.1", 9000), TcpEndpoints.parse(":9000"));
        assertEquals(new InetSocketAddress("127.0.0.1", 9000), TcpEndpoints.parse("9000"));
        try (ServerSocketChannel server = endpoints.listen("0")) {
            assertTrue(endpoints.boundAddress(server).startsWith("127.0.0.1:"), endpoints.boundAddress(server));
        }
    }

    @Test
    void shouldParseIpv6InBrackets() throws Exception {
        assertEquals(new InetSocketAddress("::1", 7), TcpEndpoints.parse("[::1]:7"));
    }

    @Test
    void shouldRejectAddressWhenPortIsMissingOrOutOfRange() {
        final IOException missing = assertThrows(IOException.class, () -> TcpEndpoints.parse("localhost:http"));
        assertTrue(missing.getMessage().contains("localhost:http"), missing.getMessage());
        assertThrows(IOException.class, () -> TcpEndpoints.parse("127.0.0.1:70000"));
    }

    @Test
    void shouldSetTcpNoDelayWhenConfiguring() throws Exception {
        try (ServerSocketChannel server = endpoints.listen("127.0.0.1:0");
                SocketChannel client = endpoints.connect(endpoints.boundAddress(server), 1_000)) {
            endpoints.configure(client);
            assertTrue(client.getOption(StandardSocketOptions.TCP_NODELAY));
        }
    }
}
