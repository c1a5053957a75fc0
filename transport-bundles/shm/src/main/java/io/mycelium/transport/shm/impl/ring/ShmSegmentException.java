package io.mycelium.transport.shm.impl.ring;

import io.mycelium.api.MyceliumException;

import java.nio.file.Path;

/**
 * A segment file could not be created, or the attaching side refused it (docs/wire.md §7). Carries the SHM_ATTACHED
 * status the refusal answers with, the file and the field at fault; the message says what was wrong and how to fix it.
 */
public final class ShmSegmentException extends MyceliumException {

    /** SHM_ATTACHED status: the segment is malformed (magic, version, size, digest, capacity). */
    public static final int BAD_SEGMENT = 1;
    /** SHM_ATTACHED status: the segment may not or cannot be used (owner, mode, not a regular file, unreadable). */
    public static final int NOT_PERMITTED = 2;

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Path file;
    private final String field;

    /**
     * @param status  {@link #BAD_SEGMENT} or {@link #NOT_PERMITTED}
     * @param file    the segment file
     * @param field   the header field or file property at fault (e.g. {@code "magic"}, {@code "mode"})
     * @param message what was wrong (the file name is prepended)
     */
    public ShmSegmentException(final int status, final Path file, final String field, final String message) {
        this(status, file, field, message, null);
    }

    /** As {@link #ShmSegmentException(int, Path, String, String)}, with the I/O error that caused it. */
    public ShmSegmentException(final int status, final Path file, final String field, final String message,
            final Throwable cause) {
        super("shared-memory segment " + file + ": " + field + ": " + message, cause);
        this.status = status;
        this.file = file;
        this.field = field;
    }

    /** Returns the SHM_ATTACHED status: {@link #BAD_SEGMENT} or {@link #NOT_PERMITTED}. */
    public int status() {
        return status;
    }

    /** Returns the segment file. */
    public Path file() {
        return file;
    }

    /** Returns the field at fault, as named in docs/wire.md §7 ({@code "type"}, {@code "owner"}, {@code "mode"} ...). */
    public String field() {
        return field;
    }
}
