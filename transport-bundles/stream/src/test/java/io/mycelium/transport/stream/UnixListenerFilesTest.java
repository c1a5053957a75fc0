package io.mycelium.transport.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The staging name a listener is bound under before its file is linked to its path, and what a failure says. */
class UnixListenerFilesTest {

    @TempDir
    Path dir;

    @Test
    void shouldStageBesideThePathUnderAHiddenNameThatFitsASocketAddress() {
        final Path named = UnixListenerFiles.stagingPath(dir.resolve("node.sock"));
        assertEquals(dir, named.getParent());
        assertTrue(named.getFileName().toString().matches("\\.node\\.sock\\.[0-9a-f]{16}"), named.toString());

        // Room for ".<16 hex>" instead of the file name, not for ".<name>.<16 hex>" beside it.
        final String base = dir.resolve("n").toString();
        final Path longName = Path.of(base + "x".repeat(UnixListenerFiles.MAX_SOCKET_PATH_BYTES - 6 - bytes(base)));
        final Path bare = UnixListenerFiles.stagingPath(longName);
        assertEquals(dir, bare.getParent());
        assertTrue(bare.getFileName().toString().matches("\\.[0-9a-f]{16}"), bare.toString());
        assertTrue(bytes(bare.toString()) <= UnixListenerFiles.MAX_SOCKET_PATH_BYTES);

        // A short name at the end of a long folder path: no staging name fits.
        final String folder = dir.resolve("d").toString();
        final Path deep = Path.of(folder + "x".repeat(UnixListenerFiles.MAX_SOCKET_PATH_BYTES - 7 - bytes(folder)),
                "n.sock");
        assertEquals(UnixListenerFiles.MAX_SOCKET_PATH_BYTES, bytes(deep.toString()));
        assertNull(UnixListenerFiles.stagingPath(deep));
    }

    @Test
    void shouldNameWhatItListensForAndThePathWhenItCannotBind() throws Exception {
        // A file where the folder should be: neither the staging name nor the path can be bound.
        final Path notAFolder = Files.createFile(dir.resolve("plain"));
        final Path socket = notAFolder.resolve("node.sock");
        final UnixListenerFiles files = new UnixListenerFiles("shm control socket");
        final IOException e = assertThrows(IOException.class,
                () -> files.listen(socket, PosixFilePermissions.fromString("rw-------")));
        assertTrue(e.getMessage().startsWith("cannot listen on shm control socket " + socket + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith("check that the directory is writable"), e.getMessage());
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "nothing left behind but the file");
        }
    }

    @Test
    void shouldListenWithTheModeAndNoStagingNameLeft() throws Exception {
        final UnixListenerFiles files = new UnixListenerFiles("Unix socket");
        final Path socket = dir.resolve("node.sock");
        try (ServerSocketChannel server = files.listen(socket, PosixFilePermissions.fromString("rw-r-----"))) {
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals(socket.toString(), files.boundAddress(server));
            try (var left = Files.list(dir)) {
                assertEquals(1, left.count(), "only the socket file");
            }
        }
        files.release(socket.toString());
        assertTrue(Files.notExists(socket));
    }

    @Test
    void shouldRemoveAStagingNameADeadProcessLeftButNotOneBeingBoundNow() throws Exception {
        final Path socket = dir.resolve("node.sock");
        final Path dead = dir.resolve(".node.sock.0123456789abcdef");
        final Path binding = dir.resolve(".node.sock.fedcba9876543210");
        final Path other = dir.resolve(".other.sock.0123456789abcdef");
        final Path unrelated = dir.resolve(".node.sock.notes");
        final Path deadShort = dir.resolve(".00112233445566ff");
        final Path regular = dir.resolve(".node.sock.1111222233334444");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(dead));
        }
        try (ServerSocketChannel crashedLong = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashedLong.bind(UnixDomainSocketAddress.of(deadShort));
        }
        Files.writeString(regular, "a file, not a socket");
        try (ServerSocketChannel otherCrashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            otherCrashed.bind(UnixDomainSocketAddress.of(other));
        }
        Files.writeString(unrelated, "not a socket of ours");
        final UnixListenerFiles files = new UnixListenerFiles("Unix socket");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(binding));
            try (ServerSocketChannel server = files.listen(socket, PosixFilePermissions.fromString("rw-------"))) {
                assertTrue(Files.notExists(dead), "left by a process that died between its bind and its link");
                assertTrue(Files.exists(binding), "a node binding right now keeps its staging name");
                assertTrue(Files.exists(other), "another path's staging name is not this listener's");
                assertTrue(Files.exists(unrelated), "not a staging name");
                assertTrue(Files.notExists(deadShort), "the short form a long path binds under, left by a dead process");
                assertTrue(Files.exists(regular), "named like a staging name but not a socket");
                assertEquals(socket.toString(), files.boundAddress(server));
            }
        }
    }

    private static int bytes(final String path) {
        return path.getBytes(StandardCharsets.UTF_8).length;
    }
}
