package io.mycelium.transport.shm.impl;

import io.mycelium.transport.shm.impl.ring.ShmSegmentScanner;
import io.mycelium.transport.shm.impl.ring.ShmSegmentStatus;
import io.mycelium.transport.stream.LinkAttachment;
import io.mycelium.transport.stream.LinkMedium;
import io.mycelium.transport.stream.StreamEndpoints;
import io.mycelium.transport.stream.UnixListenerFiles;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * The shared-memory transport's endpoints: the control socket at the endpoint path (mode 0600, its directory
 * created 0700), and after each handshake the attach of docs/wire.md §7, which moves the link's frames into the
 * rings of a segment file the accepting side creates ({@link ShmAttach}).
 *
 * <p>Thread-safe. Addresses are control socket paths.
 */
public final class ShmEndpoints implements StreamEndpoints {

    private final ShmSettings settings;
    private final ShmCounters counters;
    private final Logger log;
    private final AtomicLong connections = new AtomicLong();
    private volatile Path listenPath;
    private final UnixListenerFiles files = new UnixListenerFiles("shm control socket");

    /**
     * Endpoints outside the component (benchmarks): own counters, logging as the component does.
     *
     * @param ringCapacity bytes of each ring of a segment this side creates (power of two, at least 4096)
     * @param spinMicros   how long an empty reader spins and yields before parking ({@code read.spin.micros})
     * @throws IllegalArgumentException when the capacity is not a power of two in range
     */
    public ShmEndpoints(final int ringCapacity, final long spinMicros) {
        this(new ShmSettings(ringCapacity, spinMicros), new ShmCounters(),
                org.slf4j.LoggerFactory.getLogger(ShmTransportComponent.class));
    }

    ShmEndpoints(final ShmSettings settings, final ShmCounters counters, final Logger log) {
        this.settings = settings;
        this.counters = counters;
        this.log = log;
    }

    @Override
    public String kind() {
        return ShmTransportComponent.KIND;
    }

    /**
     * Reclaims the segments a crashed run left beside {@code address}, removes a stale socket file, and binds the
     * control socket with mode 0600; its file appears only once it listens ({@link UnixListenerFiles}).
     */
    @Override
    public ServerSocketChannel listen(final String address) throws IOException {
        final Path path = Path.of(address).toAbsolutePath();
        final Path parent = path.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        reclaim(path);
        removeStaleSocket(path);
        final ServerSocketChannel server = files.listen(path, PosixFilePermissions.fromString("rw-------"));
        listenPath = path;
        return server;
    }

    @Override
    public String boundAddress(final ServerSocketChannel server) throws IOException {
        return files.boundAddress(server);
    }

    /** The control socket's path, where the kernel reports the staging name it was bound under. */
    @Override
    public String localAddress(final SocketChannel channel) {
        return files.pathOf(StreamEndpoints.super.localAddress(channel));
    }

    @Override
    public String lostAddress(final ServerSocketChannel server, final String address) {
        return Files.exists(Path.of(address)) ? null : "control socket file " + address + " was deleted";
    }

    @Override
    public void release(final String address) throws IOException {
        files.release(address);
    }

    @Override
    public SocketChannel connect(final String address, final int timeoutMillis) throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(address));
    }

    @Override
    public void configure(final SocketChannel channel) {
        // No options apply to Unix domain sockets.
    }

    /** Offers a segment (accepting side) or maps the one offered (dialing side); docs/wire.md §7. */
    @Override
    public LinkMedium attach(final LinkAttachment attachment) throws IOException {
        if (attachment.legacy()) {
            counters.refused();
            throw new IOException("legacy clients cannot speak shm (the 32-byte handshake has no shared-memory"
                    + " attach); connect with a v1 client or to a unix endpoint");
        }
        if (attachment.accepted()) {
            final Path base = listenPath;
            final Path segment = ShmSegmentScanner.segmentPath(base, ProcessHandle.current().pid(),
                    connections.incrementAndGet());
            return ShmAttach.offer(attachment, segment, settings, counters, log);
        }
        return ShmAttach.map(attachment, settings, counters, log);
    }

    /** Removes the segments a crashed run of this node left beside {@code endpoint} (their locks are free). */
    private void reclaim(final Path endpoint) throws IOException {
        // No segment of this endpoint is open in this process yet: the previous transport removed its own at close.
        final List<ShmSegmentStatus> removed = ShmSegmentScanner.reclaim(endpoint, Set.of());
        for (final ShmSegmentStatus stale : removed) {
            log.info("shm endpoint {}: reclaimed stale segment {} of pid {} ({}), left by a crash",
                    endpoint, stale.path(), stale.ownerPid(), stale.detail());
        }
        counters.reclaimed(removed.size());
    }

    /**
     * Removes the control socket a crashed run left at {@code path}; refuses one a live process listens on (judged
     * from the kernel's table of listening sockets, without connecting to it).
     */
    private static void removeStaleSocket(final Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        for (final ShmSegmentStatus found : ShmSegmentScanner.scan(path.getParent())) {
            if (found.path().equals(path) && found.kind() == ShmSegmentStatus.Kind.CONTROL_SOCKET) {
                if (found.liveness() == ShmSegmentStatus.Liveness.LIVE) {
                    throw new IOException("shm control socket " + path + " is in use by a running process (another"
                            + " node with the same name?); stop it or use another endpoint.path");
                }
                Files.delete(path);
            }
        }
    }
}
