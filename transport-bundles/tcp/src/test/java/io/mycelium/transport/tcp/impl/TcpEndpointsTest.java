package io.mycelium.transport.tcp.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** TCP specifics: address forms, loopback by default, socket options and bind errors. */
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

    @Test
    void shouldKeepHostUnresolvedWhenOnlyCheckingSyntax() throws Exception {
        final InetSocketAddress address = TcpEndpoints.parseUnresolved("peer.invalid:9000");
        assertTrue(address.isUnresolved());
        assertEquals("peer.invalid", address.getHostString());
        assertEquals(9000, address.getPort());
    }

    @Test
    void shouldNameAddressAndHintWhenPortIsInUse() throws Exception {
        try (ServerSocketChannel first = endpoints.listen("127.0.0.1:0")) {
            final String taken = endpoints.boundAddress(first);
            final IOException e = assertThrows(IOException.class, () -> endpoints.listen(taken));
            assertTrue(e.getMessage().contains("cannot listen on TCP " + taken), e.getMessage());
            assertTrue(e.getMessage().contains("another process"), e.getMessage());
        }
    }

    @Test
    void shouldFailToConnectWhenNothingListens() throws Exception {
        final String free;
        try (ServerSocketChannel probe = endpoints.listen("127.0.0.1:0")) {
            free = endpoints.boundAddress(probe);
        }
        assertThrows(IOException.class, () -> endpoints.connect(free, 1_000));
    }

    @Test
    void shouldWriteBoundAddressInBracketsWhenIpv6() throws Exception {
        final ServerSocketChannel server;
        try {
            server = endpoints.listen("[::1]:0");
        } catch (final IOException noIpv6) {
            Assumptions.abort("no IPv6 loopback here: " + noIpv6.getMessage());
            return;
        }
        try (server) {
            final String bound = endpoints.boundAddress(server);
            assertTrue(bound.startsWith("[0:0:0:0:0:0:0:1]:"), bound);
            assertEquals(server.getLocalAddress(), TcpEndpoints.parse(bound));
        }
    }
}
