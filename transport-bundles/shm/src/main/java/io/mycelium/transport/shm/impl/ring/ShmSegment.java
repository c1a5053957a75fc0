package io.mycelium.transport.shm.impl.ring;

import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.protocol.layout.LittleEndian;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import static io.mycelium.transport.shm.impl.ring.ShmRegionDescriptor.*;

/**
 * One mapped segment file of a shared-memory connection (docs/wire.md §7): the header and two rings. The <b>owner</b>
 * (the server, {@link #create}) makes the file 0600, holds an fcntl write lock on byte 0 for as long as it owns it
 * (a segment whose lock can be taken has no live owner) and removes it; the <b>attaching side</b> (the client,
 * {@link #attach}) checks every property before mapping.
 *
 * <p>Thread-safe: header words are read and written with acquire/release; {@link #close()} and {@link #remove()} are
 * synchronized and idempotent. Ring views ({@link #producer}, {@link #consumer}) have their own thread contracts.
 *
 * <p>POSIX record locks belong to the process and are dropped when <em>any</em> descriptor of the file is closed by
 * it, so the owning process must never open and close another channel on a segment it owns (the reclaimer is told
 * which segments are its own). The mapping itself is released by the garbage collector (Java 17 has no unmap).
 */
public final class ShmSegment implements AutoCloseable {

    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path path;
    private final boolean owner;
    private final FileChannel channel;
    private final MappedByteBuffer buffer;
    private final int capacity0;
    private final int capacity1;
    private final int maxRecordLength;

    // guarded by this
    private FileLock lock;
    private boolean closed;

    private ShmSegment(final Path path, final boolean owner, final FileChannel channel, final FileLock lock,
            final MappedByteBuffer buffer, final int capacity0, final int capacity1) {
        this.path = path;
        this.owner = owner;
        this.channel = channel;
        this.lock = lock;
        this.buffer = buffer;
        this.capacity0 = capacity0;
        this.capacity1 = capacity1;
        this.maxRecordLength = ShmRegionDescriptor.maxRecordLength(capacity0, capacity1);
    }

    /**
     * Creates, locks, sizes and maps a new segment file and writes its header, state READY last (server side). The
     * file is created with mode 0600 (never wider, also under a permissive umask); a missing parent directory is
     * created 0700.
     *
     * @param path      the segment file, {@code P.<serverPid>.<connectionSeq>}; must not exist
     * @param capacity0 data capacity of ring 0 (server to client), a power of two in 4096..2^30
     * @param capacity1 data capacity of ring 1 (client to server), likewise
     * @param digest    the server's schema digest
     * @param serverPid the creating process id
     * @return the segment, owned (locked) by this process
     * @throws IllegalArgumentException when a capacity is out of range
     * @throws IOException              when the file exists already, or cannot be created, locked, sized or mapped
     *                                  (the partial file is removed)
     */
    public static ShmSegment create(final Path path, final int capacity0, final int capacity1,
            final SchemaDigest digest, final long serverPid) throws IOException {
        checkCapacity("capacity0", capacity0);
        checkCapacity("capacity1", capacity1);
        final Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        }
        try {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
        } catch (final FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(path.toString(), null, "a segment file of this name exists"
                    + " already (a stale one is reclaimed at start; is another node using endpoint path "
                    + parent + "?)");
        }
        FileChannel channel = null;
        try {
            // a restrictive umask may have removed owner bits: set exactly 0600 (never wider)
            Files.setPosixFilePermissions(path, OWNER_READ_WRITE);
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            final FileLock lock = channel.tryLock(0, 1, false);
            if (lock == null) {
                throw new IOException("cannot lock new segment file " + path + ": another process holds its lock");
            }
            final long length = segmentLength(capacity0, capacity1);
            channel.write(ByteBuffer.wrap(new byte[1]), length - 1);
            final MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            LittleEndian.I64.set(buffer, MAGIC_OFFSET, MAGIC);
            LittleEndian.I32.set(buffer, LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
            LittleEndian.I32.set(buffer, HEADER_LENGTH_OFFSET, HEADER_LENGTH);
            digest.write(buffer, DIGEST_OFFSET);
            LittleEndian.I32.set(buffer, CAPACITY_0_OFFSET, capacity0);
            LittleEndian.I32.set(buffer, CAPACITY_1_OFFSET, capacity1);
            LittleEndian.I32.set(buffer, MAX_RECORD_LENGTH_OFFSET,
                    ShmRegionDescriptor.maxRecordLength(capacity0, capacity1));
            LittleEndian.I32.set(buffer, SERVER_PID_OFFSET, (int) serverPid);
            LittleEndian.I64.set(buffer, SERVER_HEARTBEAT_OFFSET, System.currentTimeMillis());
            // release: every header field is visible before a reader sees READY
            LittleEndian.I32.setRelease(buffer, STATE_OFFSET, STATE_READY);
            return new ShmSegment(path, true, channel, lock, buffer, capacity0, capacity1);
        } catch (final IOException | RuntimeException e) {
            if (channel != null) {
                closeQuietly(channel, e);
            }
            try {
                Files.deleteIfExists(path);
            } catch (final IOException deleteFailure) {
                e.addSuppressed(deleteFailure);
            }
            throw e;
        }
    }

    /**
     * Opens, checks and maps a segment the server announced (client side): a regular file (no symlink), owned by this
     * process's user, mode exactly 0600, at least 4096 bytes, magic, layout version, header length, capacities (valid
     * and equal to the announced ones), size, max record length, digest equal to {@code digest}, state READY.
     *
     * @param path      the segment file named by SHM_ATTACH
     * @param capacity0 ring 0 capacity announced by SHM_ATTACH
     * @param capacity1 ring 1 capacity announced by SHM_ATTACH
     * @param digest    this side's schema digest
     * @return the mapped segment (not owned: this side never holds its lock)
     * @throws ShmSegmentException naming the file and the field at fault, with status {@code NOT_PERMITTED} (file,
     *                             type, owner, mode) or {@code BAD_SEGMENT} (everything in the header, and size)
     */
    public static ShmSegment attach(final Path path, final int capacity0, final int capacity1,
            final SchemaDigest digest) {
        ShmSegmentChecks.checkFile(path);
        final FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (final IOException e) {
            throw new ShmSegmentException(ShmSegmentException.NOT_PERMITTED, path, "file", "cannot be opened for"
                    + " reading and writing: " + e, e);
        }
        try {
            final long size = channel.size();
            if (size < HEADER_LENGTH) {
                throw new ShmSegmentException(ShmSegmentException.BAD_SEGMENT, path, "size", "the file has " + size
                        + " bytes, less than the " + HEADER_LENGTH + "-byte header");
            }
            final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
            while (header.hasRemaining() && channel.read(header, header.position()) >= 0) {
                // read until the header is complete; a regular file of this size never ends early
                continue;
            }
            ShmSegmentChecks.checkHeader(path, header, size, capacity0, capacity1, digest);
            final MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
            return new ShmSegment(path, false, channel, null, buffer, capacity0, capacity1);
        } catch (final IOException e) {
            closeQuietly(channel, e);
            throw new ShmSegmentException(ShmSegmentException.NOT_PERMITTED, path, "file", "cannot be read or"
                    + " mapped: " + e, e);
        } catch (final RuntimeException e) {
            closeQuietly(channel, e);
            throw e;
        }
    }

    private static void checkCapacity(final String name, final int capacity) {
        if (!isValidCapacity(capacity)) {
            throw new IllegalArgumentException(name + " " + capacity + " is not a power of two in " + MIN_CAPACITY
                    + ".." + MAX_CAPACITY);
        }
    }

    private static void closeQuietly(final FileChannel channel, final Exception pending) {
        try {
            channel.close();
        } catch (final IOException closeFailure) {
            pending.addSuppressed(closeFailure);
        }
    }

    /** Returns the segment file. */
    public Path path() {
        return path;
    }

    /** Returns whether this process created and owns (locks) the segment. */
    public boolean isOwner() {
        return owner;
    }

    /** Returns the mapped segment; ring views use absolute indices into it. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Returns the data capacity of ring {@code ring} (0 or 1). */
    public int capacity(final int ring) {
        return ring == RING_SERVER_TO_CLIENT ? capacity0 : capacity1;
    }

    /** Returns the max record length: min(C0, C1) / 8. */
    public int maxRecordLength() {
        return maxRecordLength;
    }

    /** Returns the longest frame a sender may write: max record length - 8. */
    public int maxFrameLength() {
        return ShmRegionDescriptor.maxFrameLength(maxRecordLength);
    }

    /** Returns a producer view of ring {@code ring}; create one per ring and use it from one thread. */
    public SpscFrameRingProducer producer(final int ring) {
        return new SpscFrameRingProducer(buffer, ringOffset(ring, capacity0), capacity(ring), maxRecordLength,
                ringName(ring));
    }

    /** Returns a consumer view of ring {@code ring}; create one per ring and use it from one thread. */
    public SpscFrameRingConsumer consumer(final int ring) {
        return new SpscFrameRingConsumer(buffer, ringOffset(ring, capacity0), capacity(ring), maxRecordLength,
                ringName(ring));
    }

    /** Returns the producer of the ring this side sends on (ring 0 for the owner, ring 1 for the attaching side). */
    public SpscFrameRingProducer outboundProducer() {
        return producer(owner ? RING_SERVER_TO_CLIENT : RING_CLIENT_TO_SERVER);
    }

    /** Returns the consumer of the ring this side receives on (ring 1 for the owner, ring 0 for the attaching side). */
    public SpscFrameRingConsumer inboundConsumer() {
        return consumer(owner ? RING_CLIENT_TO_SERVER : RING_SERVER_TO_CLIENT);
    }

    private String ringName(final int ring) {
        return path + " ring " + ring + (ring == RING_SERVER_TO_CLIENT ? " (server -> client)" : " (client -> server)");
    }

    /** Returns the state word (acquire): {@code STATE_CREATING} .. {@code STATE_CLOSED_BY_CLIENT}. */
    public int state() {
        return (int) LittleEndian.I32.getAcquire(buffer, STATE_OFFSET);
    }

    /** Returns the server pid from the header. */
    public long serverPid() {
        return Integer.toUnsignedLong((int) LittleEndian.I32.getAcquire(buffer, SERVER_PID_OFFSET));
    }

    /** Returns the client pid from the header (0 until the client wrote it). */
    public long clientPid() {
        return Integer.toUnsignedLong((int) LittleEndian.I32.getAcquire(buffer, CLIENT_PID_OFFSET));
    }

    /** Writes the client pid (attaching side, after mapping). */
    public void writeClientPid(final long pid) {
        LittleEndian.I32.setRelease(buffer, CLIENT_PID_OFFSET, (int) pid);
    }

    /** Writes this side's heartbeat word (server or client heartbeat), wall-clock milliseconds. */
    public void writeHeartbeat(final long epochMillis) {
        LittleEndian.I64.setRelease(buffer, owner ? SERVER_HEARTBEAT_OFFSET : CLIENT_HEARTBEAT_OFFSET, epochMillis);
    }

    /** Returns the server's last heartbeat, wall-clock milliseconds. */
    public long serverHeartbeat() {
        return (long) LittleEndian.I64.getAcquire(buffer, SERVER_HEARTBEAT_OFFSET);
    }

    /** Returns the client's last heartbeat, wall-clock milliseconds (0 until it wrote one). */
    public long clientHeartbeat() {
        return (long) LittleEndian.I64.getAcquire(buffer, CLIENT_HEARTBEAT_OFFSET);
    }

    /** Marks the segment closed by this side: state 2 (server) or 3 (client), release. */
    public void markClosed() {
        LittleEndian.I32.setRelease(buffer, STATE_OFFSET, owner ? STATE_CLOSED_BY_SERVER : STATE_CLOSED_BY_CLIENT);
    }

    /**
     * Removes the file. The owner deletes it while still holding the lock, then closes. The attaching side deletes it
     * only when it can take the lock (the owner is gone), then closes; otherwise it only closes.
     *
     * @return true when the file was deleted by this call
     * @throws IOException when the delete fails (the segment is closed anyway)
     */
    public synchronized boolean remove() throws IOException {
        if (closed) {
            return false;
        }
        try {
            if (owner) {
                return Files.deleteIfExists(path);
            }
            final FileLock taken;
            try {
                taken = channel.tryLock(0, 1, false);
            } catch (final OverlappingFileLockException sameProcess) {
                // this JVM owns it through another channel: that side removes it
                return false;
            }
            return taken != null && Files.deleteIfExists(path);
        } finally {
            close();
        }
    }

    /** Releases the lock (owner) and closes the file; the file stays. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } finally {
            lock = null;
            channel.close();
        }
    }

    /** Returns whether {@link #close()} or {@link #remove()} ran. */
    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "ShmSegment[" + path + (owner ? ", owner" : ", attached") + ", C0=" + capacity0 + ", C1=" + capacity1
                + "]";
    }
}
