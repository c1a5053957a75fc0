package io.mycelium.transport.stream;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Binds Unix domain listeners whose socket file appears at its path only once the socket listens, with its mode: for
 * the {@link StreamEndpoints} of transports over Unix sockets (Unix links, the shared-memory control socket).
 *
 * <p><b>Why.</b> The JDK binds (which creates the file) and then listens; a client that connects as soon as it sees
 * the file is refused between the two, and until the mode is set the file has the umask's. So the socket is bound
 * under a staging name beside its path ({@code .<name>.<random>}), given its mode, hard-linked to its path, and the
 * staging name is removed. The kernel still reports the staging name as the socket's address, so
 * {@link #boundAddress} and {@link #localAddress} say the path. Where no staging name fits a socket address
 * ({@value #MAX_SOCKET_PATH_BYTES} bytes) or the file system makes no hard links, the socket is bound at its path, as
 * the JDK does. A process that dies between its bind and its link leaves its staging name behind; the next listener
 * at that path (or, for the short form a long path uses, in that folder) removes it.
 *
 * <p><b>Threading:</b> thread-safe; one instance per endpoints object, which remembers each listener's staging name
 * until its path is released.
 *
 * @since 2.6
 */
public final class UnixListenerFiles {

    /** The longest socket path the JDK binds (of {@code sun_path}'s 108 bytes; 107 is refused as too long). */
    public static final int MAX_SOCKET_PATH_BYTES = 106;
    private static final Pattern STAGING_SUFFIX = Pattern.compile("[0-9a-f]{16}");

    private final String what;
    /** Staging address (as the kernel reports it for the listener and what it accepts) to the path it was linked to. */
    private final Map<String, String> stagedAs = new ConcurrentHashMap<>();

    /**
     * @param what what the listeners are, for error messages, e.g. {@code "Unix socket"}
     */
    public UnixListenerFiles(final String what) {
        this.what = what;
    }

    /**
     * Opens a blocking server channel listening at {@code path} with file mode {@code mode}. The caller has removed
     * a stale file at {@code path} and made its directory.
     *
     * @throws IOException when it cannot be bound, or another process bound {@code path} meanwhile; the message names
     *                     the path
     */
    public ServerSocketChannel listen(final Path path, final Set<PosixFilePermission> mode) throws IOException {
        removeStaleStaging(path);
        final Path staging = stagingPath(path);
        if (staging != null) {
            final ServerSocketChannel staged = listenStaged(staging, path, mode);
            if (staged != null) {
                return staged;
            }
        }
        final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            // Here the socket is briefly reachable with the umask's mode; the directory's own permissions are the
            // first line of defence.
            Files.setPosixFilePermissions(path, mode);
        } catch (final IOException e) {
            server.close();
            throw cannotListen(path, e);
        }
        return server;
    }

    /** Returns the path {@code server} listens at, in the form {@link #listen} took it. */
    public String boundAddress(final ServerSocketChannel server) throws IOException {
        return pathOf(String.valueOf(server.getLocalAddress()));
    }

    /**
     * Returns the path of a listener's address as the kernel reports it (a staging name, for a listener bound under
     * one, and for what it accepted; see {@link StreamEndpoints#localAddress}); other addresses unchanged.
     */
    public String pathOf(final String localAddress) {
        return stagedAs.getOrDefault(localAddress, localAddress);
    }

    /** Whether a process accepts connections on the socket file {@code socket} (a connect probe). */
    public static boolean listening(final Path socket) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return probe.isConnected();
        } catch (final IOException refused) {
            return false;
        }
    }

    /** Removes the socket file at {@code address} once its listener closed; harmless when it is gone. */
    public void release(final String address) throws IOException {
        stagedAs.values().remove(address);
        Files.deleteIfExists(Path.of(address));
    }

    /**
     * Binds under {@code staging}, sets the mode and links the file to {@code path}; returns null, leaving nothing
     * behind, when that cannot be done here (no hard links on this file system, or the bind itself fails): the
     * caller then binds at the path and reports what fails there.
     */
    private ServerSocketChannel listenStaged(final Path staging, final Path path, final Set<PosixFilePermission> mode)
            throws IOException {
        final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(staging));
            Files.setPosixFilePermissions(staging, mode);
            Files.createLink(path, staging);
        } catch (final FileAlreadyExistsException e) {
            final IOException failure = cannotListen(path, new IOException("another process bound it while this"
                    + " node was binding; stop it or use another socket.dir or node name", e));
            undo(server, failure, staging);
            throw failure;
        } catch (final UnsupportedOperationException | IOException e) {
            // Left to the caller's bind at the path, which reports what fails there.
            undo(server, e instanceof IOException io ? io : new IOException(e), staging);
            return null;
        }
        // The path is this listener's from here: undone if what follows fails.
        try {
            Files.delete(staging);
            stagedAs.put(String.valueOf(server.getLocalAddress()), path.toString());
        } catch (final IOException e) {
            final IOException failure = cannotListen(path, e);
            undo(server, failure, path, staging);
            throw failure;
        }
        return server;
    }

    /** Closes {@code server} and removes {@code files}; what fails there is added to {@code failure}. */
    private static void undo(final ServerSocketChannel server, final IOException failure, final Path... files) {
        try {
            server.close();
        } catch (final IOException e) {
            failure.addSuppressed(e);
        }
        for (final Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (final IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    /**
     * Removes the staging names that a process left beside {@code path} when it died between its bind and its link:
     * socket files named {@code .<name>.<16 hex digits>} (this path's) or {@code .<16 hex digits>} (the form for a
     * long path, whose owner the name does not say) on which nothing listens. One that answers is a node binding right
     * now, and is left alone; so are other files, and the staging names of other paths. Best effort: a name that
     * cannot be checked or removed stays.
     */
    static void removeStaleStaging(final Path path) {
        final Path folder = path.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            return;
        }
        final String named = "." + path.getFileName() + ".";
        try (DirectoryStream<Path> names = Files.newDirectoryStream(folder, ".*")) {
            for (final Path name : names) {
                final String file = name.getFileName().toString();
                final String suffix = file.startsWith(named) ? file.substring(named.length()) : file.substring(1);
                if (STAGING_SUFFIX.matcher(suffix).matches() && isSocket(name) && !listening(name)) {
                    Files.deleteIfExists(name);
                }
            }
        } catch (final IOException | DirectoryIteratorException e) {
            // Left for the next start: a stale staging name is never a path anyone dials.
        }
    }

    /** Whether {@code file} is a socket (or another special file), not a regular file, folder or link. */
    private static boolean isSocket(final Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
    }

    /**
     * A hidden name beside {@code path} to bind under before the file is linked to its path, or null when no such
     * name fits a socket address: {@code .<name>.<random>}, or {@code .<random>} when the name is long.
     */
    static Path stagingPath(final Path path) {
        final String random = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        final Path named = path.resolveSibling("." + path.getFileName() + "." + random);
        if (fitsSocketAddress(named)) {
            return named;
        }
        final Path bare = path.resolveSibling("." + random);
        return fitsSocketAddress(bare) ? bare : null;
    }

    private static boolean fitsSocketAddress(final Path path) {
        return path.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH_BYTES;
    }

    private IOException cannotListen(final Path path, final IOException e) {
        return new IOException("cannot listen on " + what + " " + path + ": " + e.getMessage()
                + "; check that the directory is writable", e);
    }
}
