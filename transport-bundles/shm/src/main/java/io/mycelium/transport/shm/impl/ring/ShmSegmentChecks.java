package io.mycelium.transport.shm.impl.ring;

import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.protocol.layout.LittleEndian;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

import static io.mycelium.transport.shm.impl.ring.ShmRegionDescriptor.*;
import static io.mycelium.transport.shm.impl.ring.ShmSegmentException.BAD_SEGMENT;
import static io.mycelium.transport.shm.impl.ring.ShmSegmentException.NOT_PERMITTED;

/**
 * The checks the attaching side makes before mapping a segment (docs/wire.md §7), each failure a
 * {@link ShmSegmentException} naming the file and the field. Stateless and thread-safe.
 */
public final class ShmSegmentChecks {

    private static final Set<PosixFilePermission> OWNER_READ_WRITE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private ShmSegmentChecks() {
    }

    /**
     * Checks the file itself without following a symlink: it exists, is a regular file, belongs to this process's
     * user (the {@code unix:uid} attribute against the owner of {@code /proc/self}) and has mode exactly 0600.
     *
     * @throws ShmSegmentException with status NOT_PERMITTED and field {@code file}, {@code type}, {@code owner} or
     *                             {@code mode}
     */
    public static void checkFile(final Path path) {
        final PosixFileAttributes attributes;
        final int uid;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (final NoSuchFileException e) {
            throw new ShmSegmentException(NOT_PERMITTED, path, "file", "does not exist (the server removed it, or"
                    + " the client runs in another mount namespace or container without the server's /dev/shm)", e);
        } catch (final IOException | UnsupportedOperationException e) {
            throw new ShmSegmentException(NOT_PERMITTED, path, "file", "cannot read its attributes: " + e, e);
        }
        if (!attributes.isRegularFile()) {
            throw new ShmSegmentException(NOT_PERMITTED, path, "type", "is a "
                    + (attributes.isSymbolicLink() ? "symbolic link" : attributes.isDirectory() ? "directory"
                    : "special file") + ", not a regular file; refusing to map it");
        }
        final int ownUid = ownUid(path);
        if (uid != ownUid) {
            throw new ShmSegmentException(NOT_PERMITTED, path, "owner", "belongs to uid " + uid + " but this process"
                    + " runs as uid " + ownUid + "; shared memory links only join processes of the same user");
        }
        final Set<PosixFilePermission> permissions = attributes.permissions();
        if (!permissions.equals(OWNER_READ_WRITE)) {
            throw new ShmSegmentException(NOT_PERMITTED, path, "mode", "has mode "
                    + PosixFilePermissions.toString(permissions) + " but a segment must be rw------- (0600): other"
                    + " users could read or write the rings");
        }
    }

    /** Returns the uid this process runs as: the owner of {@code /proc/self}. */
    static int ownUid(final Path forMessages) {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (final IOException | UnsupportedOperationException e) {
            throw new ShmSegmentException(NOT_PERMITTED, forMessages, "owner", "cannot tell this process's uid"
                    + " from /proc/self (" + e + "); shared memory links need Linux", e);
        }
    }

    /**
     * Checks the header read from a file of {@code size} bytes against the announced capacities and this side's
     * digest, in the order magic, layout version, header length, capacities, size, max record length, digest, state.
     *
     * @param header the first 4096 bytes (absolute indices, position and order ignored)
     * @throws ShmSegmentException with status BAD_SEGMENT and field {@code magic}, {@code version},
     *                             {@code header_length}, {@code capacity0}, {@code capacity1}, {@code size},
     *                             {@code max_record_length}, {@code digest} or {@code state}
     */
    public static void checkHeader(final Path path, final ByteBuffer header, final long size, final int capacity0,
            final int capacity1, final SchemaDigest digest) {
        final long magic = LittleEndian.getU64(header, MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new ShmSegmentException(BAD_SEGMENT, path, "magic", "expected \"" + MAGIC_TEXT + "\" (4d 59 43 53"
                    + " 48 4d 30 31) but found " + hex(header, MAGIC_OFFSET, 8) + "; not a Mycelium segment");
        }
        final long version = LittleEndian.getU32(header, LAYOUT_VERSION_OFFSET);
        if (version != LAYOUT_VERSION) {
            throw new ShmSegmentException(BAD_SEGMENT, path, "version", "layout version " + version + " but this"
                    + " side reads only version " + LAYOUT_VERSION + "; upgrade the older side");
        }
        final long headerLength = LittleEndian.getU32(header, HEADER_LENGTH_OFFSET);
        if (headerLength != HEADER_LENGTH) {
            throw new ShmSegmentException(BAD_SEGMENT, path, "header_length", "header length " + headerLength
                    + " but layout version 1 has " + HEADER_LENGTH);
        }
        checkCapacity(path, "capacity0", LittleEndian.getU32(header, CAPACITY_0_OFFSET), capacity0);
        checkCapacity(path, "capacity1", LittleEndian.getU32(header, CAPACITY_1_OFFSET), capacity1);
        final long expectedSize = segmentLength(capacity0, capacity1);
        if (size != expectedSize) {
            throw new ShmSegmentException(BAD_SEGMENT, path, "size", "the file has " + size + " bytes but capacities "
                    + capacity0 + " and " + capacity1 + " need exactly " + expectedSize
                    + " (4096 + (512 + C0) + (512 + C1))");
        }
        final long maxRecord = LittleEndian.getU32(header, MAX_RECORD_LENGTH_OFFSET);
        if (maxRecord != maxRecordLength(capacity0, capacity1)) {
            throw new ShmSegmentException(BAD_SEGMENT, path, "max_record_length", "max record length " + maxRecord
                    + " but capacities " + capacity0 + " and " + capacity1 + " give min(C0, C1) / 8 = "
                    + maxRecordLength(capacity0, capacity1));
        }
        if (!digest.matches(header, DIGEST_OFFSET)) {
            throw new ShmSegmentException(BAD_SEGMENT, path, "digest", "the server's schema digest "
                    + SchemaDigest.read(header, DIGEST_OFFSET).toHex() + " differs from this side's "
                    + digest.toHex() + "; both sides must be built from the same contracts");
        }
        final long state = LittleEndian.getU32(header, STATE_OFFSET);
        if (state != STATE_READY) {
            throw new ShmSegmentException(BAD_SEGMENT, path, "state", "state " + state + " but an announced segment"
                    + " is READY (" + STATE_READY + "); 0 = still being created, 2/3 = already closed");
        }
    }

    private static void checkCapacity(final Path path, final String field, final long found, final int announced) {
        if (!isValidCapacity(found)) {
            throw new ShmSegmentException(BAD_SEGMENT, path, field, found + " is not a power of two in "
                    + MIN_CAPACITY + ".." + MAX_CAPACITY);
        }
        if (found != announced) {
            throw new ShmSegmentException(BAD_SEGMENT, path, field, "the header says " + found + " but SHM_ATTACH"
                    + " announced " + announced);
        }
    }

    private static String hex(final ByteBuffer buffer, final int index, final int length) {
        final StringBuilder out = new StringBuilder(3 * length);
        for (int i = 0; i < length; i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(String.format("%02x", buffer.get(index + i) & 0xff));
        }
        return out.toString();
    }
}
