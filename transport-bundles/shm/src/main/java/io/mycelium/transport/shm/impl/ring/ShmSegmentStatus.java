package io.mycelium.transport.shm.impl.ring;

import java.nio.file.Path;

/**
 * What {@link ShmSegmentScanner} found about one file of a shared-memory directory. Immutable.
 *
 * @param path               the file
 * @param kind               {@link Kind#SEGMENT} or {@link Kind#CONTROL_SOCKET}
 * @param ownerPid           the owning process (segment: server pid from the header, else from the name; socket:
 *                           unknown, -1)
 * @param liveness           {@link Liveness#LIVE}, {@link Liveness#STALE} or {@link Liveness#UNKNOWN}
 * @param size               file size in bytes (0 for a socket)
 * @param heartbeatAgeMillis age of the owner's heartbeat word, -1 when unknown
 * @param detail             why it is judged so, e.g. "lock held", "lock free and pid 4711 gone"
 */
public record ShmSegmentStatus(Path path, Kind kind, long ownerPid, Liveness liveness, long size,
        long heartbeatAgeMillis, String detail) {

    /** What the file is. */
    public enum Kind {
        /** A segment file {@code P.<pid>.<seq>}. */
        SEGMENT,
        /** A node's control socket {@code P}. */
        CONTROL_SOCKET
    }

    /** Whether an owner is alive. */
    public enum Liveness {
        /** An owner holds it (segment lock held, or a process listens on the socket). */
        LIVE,
        /** No owner: safe to remove. */
        STALE,
        /** Cannot tell (another user's file, unreadable); never removed. */
        UNKNOWN
    }
}
