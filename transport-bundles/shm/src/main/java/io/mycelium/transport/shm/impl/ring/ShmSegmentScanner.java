package io.mycelium.transport.shm.impl.ring;

import io.mycelium.protocol.layout.LittleEndian;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.mycelium.transport.shm.impl.ring.ShmRegionDescriptor.*;

/**
 * Finds segment files and control sockets in a shared-memory directory and tells live from stale ones, for the
 * owner's reclaim at start and for {@code bin/mycelium shm list|clean}. Stateless and thread-safe.
 *
 * <p>A segment is <b>live</b> while its fcntl lock on byte 0 is held (its owner process is alive and owns it). When the
 * lock can be taken the owner is gone — unless its pid is alive and the file is younger than
 * {@link #CREATION_GRACE_MILLIS}, the moment between a server creating the file and locking it. A control socket is
 * live while a process listens on its path ({@code /proc/net/unix}). A file of another user is never touched.
 *
 * <p>Never call this in a process for a segment it owns itself other than through {@code ownedHere}: opening and
 * closing another descriptor of a file drops the process's POSIX locks on it.
 */
public final class ShmSegmentScanner {

    /** A lock-free segment whose owner pid is alive is still being created for this long. */
    public static final long CREATION_GRACE_MILLIS = 5_000;

    /** {@code <endpoint>.<pid>.<seq>}: group 1 is the endpoint path, 2 the pid. */
    private static final Pattern SEGMENT_NAME = Pattern.compile("(.+)\\.(\\d{1,10})\\.(\\d{1,19})");

    private ShmSegmentScanner() {
    }

    /** Returns the segment path for connection {@code sequence} of server {@code pid} on endpoint {@code endpoint}. */
    public static Path segmentPath(final Path endpoint, final long pid, final long sequence) {
        return endpoint.resolveSibling(endpoint.getFileName() + "." + pid + "." + sequence);
    }

    /**
     * Lists the segment files and control sockets directly in {@code directory}, sorted by name; other files are left
     * out. A directory that does not exist gives an empty list.
     *
     * @throws IOException when the directory cannot be listed
     */
    public static List<ShmSegmentStatus> scan(final Path directory) throws IOException {
        return scan(directory, path -> true, path -> false);
    }

    /**
     * Removes every stale segment and stale control socket in {@code directory} (never a live or unknown one).
     *
     * @return what was removed, each with the reason it was judged stale
     * @throws IOException when the directory cannot be listed (a file that cannot be removed is reported as UNKNOWN
     *                     in the scan and left)
     */
    public static List<ShmSegmentStatus> clean(final Path directory) throws IOException {
        final List<ShmSegmentStatus> removed = new ArrayList<>();
        for (final ShmSegmentStatus status : scan(directory)) {
            if (status.liveness() == ShmSegmentStatus.Liveness.STALE && removeIfStale(status.path(), status.kind())) {
                removed.add(status);
            }
        }
        return removed;
    }

    /**
     * Removes the stale segments of endpoint {@code endpoint} (files {@code endpoint.<pid>.<seq>}), skipping the ones
     * this process owns; called by the owner when it starts.
     *
     * @param ownedHere segments this process holds open (never opened here: that would drop their locks)
     * @return the removed segments (the caller logs an INFO line for each, naming the file and the old pid)
     * @throws IOException when the directory cannot be listed
     */
    public static List<ShmSegmentStatus> reclaim(final Path endpoint, final Set<Path> ownedHere) throws IOException {
        final Path absolute = endpoint.toAbsolutePath();
        final String prefix = absolute.getFileName() + ".";
        final Set<Path> owned = new HashSet<>();
        for (final Path path : ownedHere) {
            owned.add(path.toAbsolutePath());
        }
        final List<ShmSegmentStatus> removed = new ArrayList<>();
        for (final ShmSegmentStatus status : scan(absolute.getParent(),
                path -> path.getFileName().toString().startsWith(prefix), owned::contains)) {
            if (status.kind() == ShmSegmentStatus.Kind.SEGMENT
                    && status.liveness() == ShmSegmentStatus.Liveness.STALE
                    && removeIfStale(status.path(), status.kind())) {
                removed.add(status);
            }
        }
        return removed;
    }

    private static List<ShmSegmentStatus> scan(final Path directory, final Predicate<Path> include,
            final Predicate<Path> ownedHere) throws IOException {
        final List<ShmSegmentStatus> found = new ArrayList<>();
        if (directory == null || !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return found;
        }
        final Set<String> listening = ListeningSockets.read();
        final List<Path> paths = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (final Path path : entries) {
                if (include.test(path)) {
                    paths.add(path.toAbsolutePath());
                }
            }
        }
        paths.sort(null);
        for (final Path path : paths) {
            final BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (final NoSuchFileException removedMeanwhile) {
                continue;
            }
            if (attributes.isOther()) {
                found.add(socketStatus(path, listening));
            } else if (attributes.isRegularFile() && SEGMENT_NAME.matcher(path.getFileName().toString()).matches()) {
                found.add(ownedHere.test(path)
                        ? new ShmSegmentStatus(path, ShmSegmentStatus.Kind.SEGMENT, ProcessHandle.current().pid(),
                                ShmSegmentStatus.Liveness.LIVE, attributes.size(), -1, "owned by this process")
                        : inspect(path, attributes.size(), attributes.lastModifiedTime()));
            }
        }
        return found;
    }

    private static ShmSegmentStatus socketStatus(final Path path, final Set<String> listening) {
        if (listening == null) {
            return new ShmSegmentStatus(path, ShmSegmentStatus.Kind.CONTROL_SOCKET, -1,
                    ShmSegmentStatus.Liveness.UNKNOWN, 0, -1, "cannot read /proc/net/unix");
        }
        final boolean live = listening.contains(path.toString());
        return new ShmSegmentStatus(path, ShmSegmentStatus.Kind.CONTROL_SOCKET, -1,
                live ? ShmSegmentStatus.Liveness.LIVE : ShmSegmentStatus.Liveness.STALE, 0, -1,
                live ? "a process listens on it" : "no process listens on it");
    }

    /** Judges one segment file by its lock, its owner pid and its age; the lock is released before returning. */
    static ShmSegmentStatus inspect(final Path path, final long size, final FileTime modified) {
        final long pidFromName = pidFromName(path);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            long ownerPid = pidFromName;
            long heartbeatAge = -1;
            if (size >= HEADER_LENGTH) {
                final ByteBuffer header = ByteBuffer.allocate(HEADER_FIELDS_END);
                channel.read(header, 0);
                if (LittleEndian.getU64(header, MAGIC_OFFSET) == MAGIC) {
                    ownerPid = LittleEndian.getU32(header, SERVER_PID_OFFSET);
                    final long heartbeat = LittleEndian.getU64(header, SERVER_HEARTBEAT_OFFSET);
                    heartbeatAge = heartbeat == 0 ? -1 : Math.max(0, System.currentTimeMillis() - heartbeat);
                }
            }
            final FileLock lock;
            try {
                lock = channel.tryLock(0, 1, false);
            } catch (final OverlappingFileLockException sameProcess) {
                return status(path, ownerPid, ShmSegmentStatus.Liveness.LIVE, size, heartbeatAge,
                        "lock held by this process");
            }
            if (lock == null) {
                return status(path, ownerPid, ShmSegmentStatus.Liveness.LIVE, size, heartbeatAge, "lock held");
            }
            lock.release();
            final boolean pidAlive = ProcessHandle.of(ownerPid).map(ProcessHandle::isAlive).orElse(false);
            final long age = System.currentTimeMillis() - modified.toMillis();
            if (pidAlive && age < CREATION_GRACE_MILLIS) {
                return status(path, ownerPid, ShmSegmentStatus.Liveness.LIVE, size, heartbeatAge,
                        "lock free but pid " + ownerPid + " is alive and the file is " + age + " ms old (being"
                                + " created)");
            }
            return status(path, ownerPid, ShmSegmentStatus.Liveness.STALE, size, heartbeatAge, "lock free and pid "
                    + ownerPid + (pidAlive ? " is another process now" : " is gone"));
        } catch (final IOException e) {
            return status(path, pidFromName, ShmSegmentStatus.Liveness.UNKNOWN, size, -1, "cannot open it: " + e);
        }
    }

    private static ShmSegmentStatus status(final Path path, final long pid, final ShmSegmentStatus.Liveness liveness,
            final long size, final long heartbeatAge, final String detail) {
        return new ShmSegmentStatus(path, ShmSegmentStatus.Kind.SEGMENT, pid, liveness, size, heartbeatAge, detail);
    }

    private static long pidFromName(final Path path) {
        final Matcher matcher = SEGMENT_NAME.matcher(path.getFileName().toString());
        return matcher.matches() ? Long.parseLong(matcher.group(2)) : -1;
    }

    /**
     * Removes a file judged stale after checking again under the lock (segment) or the listener table (socket), so a
     * file that came alive since the scan stays.
     */
    private static boolean removeIfStale(final Path path, final ShmSegmentStatus.Kind kind) throws IOException {
        if (kind == ShmSegmentStatus.Kind.CONTROL_SOCKET) {
            final Set<String> listening = ListeningSockets.read();
            return listening != null && !listening.contains(path.toString()) && Files.deleteIfExists(path);
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            final FileLock lock = channel.tryLock(0, 1, false);
            // delete while holding the lock: nobody can take the file over between the check and the unlink
            return lock != null && Files.deleteIfExists(path);
        } catch (final NoSuchFileException | OverlappingFileLockException gone) {
            return false;
        }
    }
}
