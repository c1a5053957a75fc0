package io.mycelium.transport.unix.impl;

import io.mycelium.transport.stream.StreamEndpoints;
import io.mycelium.transport.stream.UnixListenerFiles;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Opens Unix domain socket channels: the listener is a socket file with a configured mode (0600 by default), a
 * stale file left by a crashed node is removed first, and the file is removed again on release. The file appears at
 * its path only once the socket listens, with its mode ({@link UnixListenerFiles}). The identity of the
 * file each listener bound (its inode) is remembered, so that {@link #lostAddress} sees a socket file that was deleted
 * or replaced (a clean-up script, another process binding the same path): the listener would otherwise keep
 * accepting on a file nobody can reach any more. An accepted peer may be checked against the users allowed to
 * connect ({@link PeerUsers}, {@code peer.uids}).
 *
 * <p>Thread-safe. Addresses are socket file paths.
 */
public final class UnixEndpoints implements StreamEndpoints {

    /** The default socket file mode: owner read and write only. */
    public static final String DEFAULT_MODE = "rw-------";

    private final Set<PosixFilePermission> mode;
    private final PeerUsers peerUsers;
    /** The socket file's identity ({@link BasicFileAttributes#fileKey()}) per listening channel. */
    private final Map<ServerSocketChannel, Object> boundFiles = Collections.synchronizedMap(new WeakHashMap<>());
    private final UnixListenerFiles files = new UnixListenerFiles("Unix socket");

    /**
     * @param mode the socket file's permissions as {@code rwxr-x---} style text or three or four octal digits
     * @throws IllegalArgumentException when {@code mode} is neither
     */
    public UnixEndpoints(final String mode) {
        this(mode, PeerUsers.any());
    }

    /**
     * @param mode      the socket file's permissions as {@code rwxr-x---} style text or three or four octal digits
     * @param peerUsers the users whose processes may connect ({@code peer.uids})
     * @throws IllegalArgumentException when {@code mode} is neither
     */
    UnixEndpoints(final String mode, final PeerUsers peerUsers) {
        this.mode = parseMode(mode);
        this.peerUsers = peerUsers;
    }

    @Override
    public String kind() {
        return "unix";
    }

    @Override
    public ServerSocketChannel listen(final String address) throws IOException {
        final Path path = Path.of(address);
        final Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        removeStale(path);
        final ServerSocketChannel server = files.listen(path, mode);
        try {
            boundFiles.put(server, attributes(path).fileKey());
        } catch (final IOException e) {
            server.close();
            files.release(path.toString());
            throw new IOException("cannot listen on Unix socket " + path + ": " + e.getMessage(), e);
        }
        return server;
    }

    @Override
    public String boundAddress(final ServerSocketChannel server) throws IOException {
        return files.boundAddress(server);
    }

    /** The socket file's path, where the kernel reports the staging name it was bound under. */
    @Override
    public String localAddress(final SocketChannel channel) {
        return files.pathOf(StreamEndpoints.super.localAddress(channel));
    }

    @Override
    public String lostAddress(final ServerSocketChannel server, final String address) {
        final Path path = Path.of(address);
        final BasicFileAttributes now;
        try {
            now = attributes(path);
        } catch (final NoSuchFileException e) {
            return "socket file " + path + " was deleted";
        } catch (final IOException e) {
            // Cannot tell (a directory made unreadable): binding again would fail the same way.
            return null;
        }
        if (!now.isOther()) {
            return "socket file " + path + " was replaced by a " + (now.isDirectory() ? "directory" : "file")
                    + " that is not a socket";
        }
        final Object bound = boundFiles.get(server);
        if (bound != null && !bound.equals(now.fileKey())) {
            return "socket file " + path + " was replaced by another socket (inode " + now.fileKey() + ", bound "
                    + bound + ")";
        }
        return null;
    }

    @Override
    public void release(final String address) throws IOException {
        files.release(address);
    }

    @Override
    public SocketChannel connect(final String address, final int timeoutMillis) throws IOException {
        // A Unix connect either succeeds or fails at once; there is nothing to time out.
        return SocketChannel.open(UnixDomainSocketAddress.of(address));
    }

    /** Admits the peer when {@code peer.uids} is empty or names the user of the connecting process. */
    @Override
    public String peerRefusal(final SocketChannel channel) {
        return peerUsers.refusal(channel, localAddress(channel));
    }

    @Override
    public void configure(final SocketChannel channel) {
        // No options apply to Unix domain sockets.
    }

    private static BasicFileAttributes attributes(final Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static void removeStale(final Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        // Nobody accepting on it: a socket file left by a node that crashed.
        if (UnixListenerFiles.listening(path)) {
            throw new IOException("Unix socket " + path + " is in use by a running process (another node with the"
                    + " same name?); stop it or use another socket.dir or node name");
        }
        Files.delete(path);
    }

    static Set<PosixFilePermission> parseMode(final String mode) {
        final String text = mode.trim();
        if (text.matches("0?[0-7]{3}")) {
            final int bits = Integer.parseInt(text, 8);
            final StringBuilder out = new StringBuilder();
            for (int shift = 6; shift >= 0; shift -= 3) {
                final int part = (bits >> shift) & 7;
                out.append((part & 4) != 0 ? 'r' : '-').append((part & 2) != 0 ? 'w' : '-')
                        .append((part & 1) != 0 ? 'x' : '-');
            }
            return PosixFilePermissions.fromString(out.toString());
        }
        try {
            return PosixFilePermissions.fromString(text);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("socket.mode '" + mode + "' is neither octal (0600) nor rwx text"
                    + " (rw-------)", e);
        }
    }
}
