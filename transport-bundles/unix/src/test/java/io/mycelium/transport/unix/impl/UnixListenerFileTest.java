package io.mycelium.transport.unix.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.transport.stream.UnixListenerFiles;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener's socket file appears only once the socket listens, with its mode: it is bound under a staging name
 * and linked into place, and every name a log line or a dialer uses is still the path.
 */
class UnixListenerFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldNeverRefuseAClientThatConnectsTheMomentTheFileAppears() throws Exception {
        final UnixEndpoints endpoints = new UnixEndpoints("0660");
        for (int round = 0; round < 200; round++) {
            final Path socket = dir.resolve("node-" + round + ".sock");
            final AtomicReference<String> seen = new AtomicReference<>();
            final Thread client = new Thread(() -> seen.set(connectOnSight(endpoints, socket)), "watcher");
            client.start();
            try (ServerSocketChannel server = endpoints.listen(socket.toString())) {
                client.join(10_000);
                assertEquals("connected, mode rw-rw----", seen.get(), "round " + round);
                try (SocketChannel accepted = server.accept()) {
                    assertTrue(accepted.isConnected());
                }
            }
            endpoints.release(socket.toString());
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "no socket file and no staging name left behind");
        }
    }

    @Test
    void shouldNameThePathWhereTheKernelReportsTheStagingName() throws Exception {
        final Path socket = dir.resolve("node.sock");
        final UnixEndpoints endpoints = new UnixEndpoints(UnixEndpoints.DEFAULT_MODE);
        try (ServerSocketChannel server = endpoints.listen(socket.toString());
                SocketChannel client = endpoints.connect(socket.toString(), 1_000);
                SocketChannel accepted = server.accept()) {
            assertNotEquals(socket.toString(), String.valueOf(accepted.getLocalAddress()),
                    "the kernel keeps the name the socket was bound under");
            assertEquals(socket.toString(), endpoints.localAddress(accepted), "what the listener's log lines say");
            assertEquals(socket.toString(), endpoints.boundAddress(server), "what a dialer is told");
            assertNull(endpoints.lostAddress(server, socket.toString()), "the linked file is the bound one");
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(socket), files.toList(), "only the path: the staging name is gone");
            }
        }
    }

    @Test
    void shouldBindAtThePathWhenNoStagingNameFitsASocketAddress() throws Exception {
        // The longest socket path, in a folder whose name takes nearly all of it: a staging name beside a file name
        // this short would be longer.
        final String base = dir.resolve("d").toString();
        final Path folder = Path.of(base + "x".repeat(UnixListenerFiles.MAX_SOCKET_PATH_BYTES - "/n.sock".length()
                - bytes(base)));
        Files.createDirectories(folder);
        final Path socket = folder.resolve("n.sock");
        assertEquals(UnixListenerFiles.MAX_SOCKET_PATH_BYTES, bytes(socket.toString()));
        final UnixEndpoints endpoints = new UnixEndpoints(UnixEndpoints.DEFAULT_MODE);
        try (ServerSocketChannel server = endpoints.listen(socket.toString());
                SocketChannel client = endpoints.connect(socket.toString(), 1_000)) {
            assertEquals(socket.toString(), endpoints.boundAddress(server));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertTrue(client.isConnected());
        }
    }

    private static int bytes(final String path) {
        return path.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Connects as soon as {@code socket} exists; says whether it connected and the file's mode at that moment. */
    private static String connectOnSight(final UnixEndpoints endpoints, final Path socket) {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        final AtomicInteger polls = new AtomicInteger();
        while (!Files.exists(socket)) {
            if (System.nanoTime() > deadline) {
                return "never appeared after " + polls.get() + " polls";
            }
            polls.incrementAndGet();
            Thread.onSpinWait();
        }
        try {
            final String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(socket));
            try (SocketChannel client = endpoints.connect(socket.toString(), 1_000)) {
                return (client.isConnected() ? "connected" : "not connected") + ", mode " + mode;
            }
        } catch (final IOException e) {
            return "refused: " + e;
        }
    }
}
