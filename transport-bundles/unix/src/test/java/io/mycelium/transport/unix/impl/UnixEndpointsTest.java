package io.mycelium.transport.unix.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.testsupport.RawSchema;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.StreamTransport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unix specifics: the socket file's mode, directories, stale and busy files, and a link over a socket path. */
class UnixEndpointsTest {

    /** A schema with no types: enough for a transport to listen and stop. */
    private static final RawSchema SCHEMA = new RawSchema("unix-endpoints", new byte[32], Map.of());

    @TempDir
    Path dir;

    @Test
    void shouldCreateSocketWithMode0600AndRemoveItWhenTransportStops() throws Exception {
        final Path socket = dir.resolve("sub/node.sock");
        final StreamTransport transport = new StreamTransport(LinkSettings.defaults("node"),
                new UnixEndpoints(UnixEndpoints.DEFAULT_MODE), new LoopbackBus(), SCHEMA);
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

    @Test
    void shouldApplyConfiguredModeWhenGivenAsRwxText() throws Exception {
        final Path socket = dir.resolve("node.sock");
        try (ServerSocketChannel server = new UnixEndpoints("rw-rw-r--").listen(socket.toString())) {
            assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        }
        assertEquals(PosixFilePermissions.fromString("rwxr-x---"), UnixEndpoints.parseMode("0750"));
    }

    @Test
    void shouldReportBoundPathAndReleaseItsFileWhenClosed() throws Exception {
        final Path socket = dir.resolve("node.sock");
        final UnixEndpoints endpoints = new UnixEndpoints(UnixEndpoints.DEFAULT_MODE);
        try (ServerSocketChannel server = endpoints.listen(socket.toString())) {
            assertEquals(socket.toString(), endpoints.boundAddress(server));
        }
        endpoints.release(socket.toString());
        assertFalse(Files.exists(socket));
        endpoints.release(socket.toString()); // releasing twice is harmless
    }

    @Test
    void shouldConnectToListenerWhenGivenItsPath() throws Exception {
        final Path socket = dir.resolve("node.sock");
        final UnixEndpoints endpoints = new UnixEndpoints(UnixEndpoints.DEFAULT_MODE);
        try (ServerSocketChannel server = endpoints.listen(socket.toString());
                SocketChannel client = endpoints.connect(socket.toString(), 1_000);
                SocketChannel accepted = server.accept()) {
            endpoints.configure(client);
            assertTrue(client.isConnected());
            assertTrue(accepted.isConnected());
        }
    }

    @Test
    void shouldFailToConnectWhenNoSocketFileExists() {
        final UnixEndpoints endpoints = new UnixEndpoints(UnixEndpoints.DEFAULT_MODE);
        assertThrows(IOException.class, () -> endpoints.connect(dir.resolve("absent.sock").toString(), 1_000));
    }
}
