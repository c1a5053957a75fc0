package io.mycelium.transport.shm.impl.ring;

import io.mycelium.api.MyceliumException;

/**
 * A ring holds a record no correct producer writes (docs/wire.md §7): a length below the record header, past the end of
 * the ring or above the max record length, or an unknown kind. The link that reads it closes with this message, which
 * names the ring, the position and the value.
 */
public final class ShmRingCorruptException extends MyceliumException {

    private static final long serialVersionUID = 1L;

    private final String ring;
    private final long position;
    private final String field;
    private final long value;

    ShmRingCorruptException(final String ring, final long position, final int index, final String field,
            final long value, final String why) {
        super("corrupt shared-memory ring " + ring + ": record at position " + position + " (index " + index
                + ") has " + field + " " + value + ", " + why + "; the peer wrote garbage or another process wrote"
                + " into the segment");
        this.ring = ring;
        this.position = position;
        this.field = field;
        this.value = value;
    }

    /** Returns the ring's name (segment file and direction). */
    public String ring() {
        return ring;
    }

    /** Returns the ring position (bytes consumed before the bad record). */
    public long position() {
        return position;
    }

    /** Returns the record field at fault: {@code "length"}, {@code "kind"} or {@code "frame payload length"}. */
    public String field() {
        return field;
    }

    /** Returns the value read from the field at fault. */
    public long value() {
        return value;
    }
}
