package io.mycelium.transport.aeron.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a subscriber stopped in a publisher's recording: the recording id and the stream position after the last
 * message it delivered, kept in a 16-byte memory-mapped file under the node's data folder. A store is two plain
 * writes to the mapping (no allocation, no system call), and the page cache keeps them through a SIGKILL of the
 * process; only a machine crash can lose the last ones (the node then replays them again).
 *
 * <p><b>Threading:</b> one thread, the subscriber's poller.
 */
public final class ReplayCheckpoint implements AutoCloseable {

    /** What {@link #recordingId()} returns when nothing was stored yet. */
    public static final long NONE = -1;
    private static final int LENGTH = 16;

    private final Path file;
    private final FileChannel channel;
    private final MappedByteBuffer mapped;

    private ReplayCheckpoint(final Path file, final FileChannel channel, final MappedByteBuffer mapped) {
        this.file = file;
        this.channel = channel;
        this.mapped = mapped;
    }

    /**
     * Opens (or creates, empty) a checkpoint file.
     *
     * @param file the file, its folder created if missing
     * @return the checkpoint
     * @throws UncheckedIOException naming the file when it cannot be created or mapped
     */
    public static ReplayCheckpoint open(final Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            final boolean fresh = !Files.exists(file) || Files.size(file) < LENGTH;
            final FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, LENGTH);
            if (fresh) {
                mapped.putLong(0, NONE).putLong(8, 0);
            }
            return new ReplayCheckpoint(file, channel, mapped);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot open the replay checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** Returns the recording of the last store, or {@link #NONE}. */
    public long recordingId() {
        return mapped.getLong(0);
    }

    /** Returns the position after the last delivered message of {@link #recordingId()}. */
    public long position() {
        return mapped.getLong(8);
    }

    /**
     * Records that everything of {@code recordingId} before {@code position} was delivered.
     *
     * @param recordingId the recording
     * @param position    the stream position after the delivered message
     */
    public void store(final long recordingId, final long position) {
        mapped.putLong(8, position);
        mapped.putLong(0, recordingId);
    }

    /** Returns the file, for messages. */
    public Path file() {
        return file;
    }

    /** Flushes the mapping and closes the file. */
    @Override
    public void close() {
        mapped.force();
        try {
            channel.close();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot close the replay checkpoint " + file + ": " + e.getMessage(), e);
        }
    }
}
