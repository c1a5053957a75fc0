package io.mycelium.transport.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.testsupport.LoopbackBus;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixEndpointsTest {

    @TempDir
    Path dir;

    @Test
    void shouldCreateSocketWithMode0600AndRemoveItWhenTransportStops() throws Exception {
        final Path socket = dir.resolve("sub/node.sock");
        final StreamTransport transport = new StreamTransport(LinkFixture.settings("node"),
                new UnixEndpoints(UnixEndpoints.DEFAULT_MODE), new LoopbackBus(), LinkFixture.SCHEMA);
        transport.start(socket.toString(), Map.of());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        transport.close();
        assertFalse(Files.exists(socket));
    }

    @Test
    void shouldApplyConfiguredModeWhenGivenInOctal() throws Exception {
        final Path socket = dir.resolve("node.sock");
        try (ServerSocketChannel server = new UnixEndpoints("0660").listen(socket.toString())) {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        }
    }

    @Test
    void shouldRemoveStaleSocketWhenNoProcessListens() throws Exception {
        final Path socket = dir.resolve("stale.sock");
        final ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        crashed.bind(UnixDomainSocketAddress.of(socket));
        crashed.close();
        assertTrue(Files.exists(socket), "closing a Unix listener leaves its file, as a crash does");
        try (ServerSocketChannel server = new UnixEndpoints(UnixEndpoints.DEFAULT_MODE).listen(socket.toString())) {
            assertTrue(server.isOpen());
        }
    }

    @Test
    void shouldRefuseSocketWhenAnotherProcessListens() throws Exception {
        final Path socket = dir.resolve("busy.sock");
        final UnixEndpoints endpoints = new UnixEndpoints(UnixEndpoints.DEFAULT_MODE);
        try (ServerSocketChannel first = endpoints.listen(socket.toString())) {
            final IOException e = assertThrows(IOException.class, () -> endpoints.listen(socket.toString()));
            assertTrue(e.getMessage().contains("in use by a running process"), e.getMessage());
        }
    }

    @Test
    void shouldRejectModeWhenNeitherOctalNorRwx() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UnixEndpoints("everyone"));
        assertTrue(e.getMessage().contains("socket.mode"), e.getMessage());
    }
}
