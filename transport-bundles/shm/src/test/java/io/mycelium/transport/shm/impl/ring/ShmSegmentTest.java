package io.mycelium.transport.shm.impl.ring;

import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.protocol.layout.LittleEndian;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;

import static io.mycelium.transport.shm.impl.ring.ShmRegionDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

class ShmSegmentTest {

    static final SchemaDigest DIGEST = SchemaDigest.compute("contracts: a".getBytes());
    static final SchemaDigest OTHER = SchemaDigest.compute("contracts: b".getBytes());

    @TempDir
    Path dir;

    private Path segmentFile() {
        return dir.resolve("shm").resolve("alpha.shm.4711.1");
    }

    @Test
    void shouldCreateOwnerOnlyFileWithHeaderWhenCreated() throws IOException {
        try (ShmSegment segment = ShmSegment.create(segmentFile(), 4096, 8192, DIGEST, 4711)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(segmentFile())));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("shm"))));
            assertEquals(4096 + 512 + 4096 + 512 + 8192, Files.size(segmentFile()));
            final ByteBuffer buffer = segment.buffer();
            assertEquals(MAGIC, LittleEndian.getU64(buffer, 0));
            assertEquals(1, LittleEndian.getU32(buffer, LAYOUT_VERSION_OFFSET));
            assertEquals(4096, LittleEndian.getU32(buffer, HEADER_LENGTH_OFFSET));
            assertTrue(DIGEST.matches(buffer, DIGEST_OFFSET));
            assertEquals(4096, LittleEndian.getU32(buffer, CAPACITY_0_OFFSET));
            assertEquals(8192, LittleEndian.getU32(buffer, CAPACITY_1_OFFSET));
            assertEquals(512, LittleEndian.getU32(buffer, MAX_RECORD_LENGTH_OFFSET));
            assertEquals(4711, segment.serverPid());
            assertEquals(STATE_READY, segment.state());
            assertTrue(segment.serverHeartbeat() > 0);
            assertTrue(segment.isOwner());
        }
    }

    @Test
    void shouldRefuseExistingFileWhenCreated() throws IOException {
        Files.createDirectories(segmentFile().getParent());
        Files.writeString(segmentFile(), "x");
        final FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> ShmSegment.create(segmentFile(), 4096, 4096, DIGEST, 1));
        assertTrue(e.getMessage().contains("exists already"), e.getMessage());
        assertEquals("x", Files.readString(segmentFile()), "the other file is left alone");
    }

    @Test
    void shouldRejectBadCapacityWhenCreated() {
        assertThrows(IllegalArgumentException.class, () -> ShmSegment.create(segmentFile(), 3000, 4096, DIGEST, 1));
        assertThrows(IllegalArgumentException.class, () -> ShmSegment.create(segmentFile(), 4096, 2048, DIGEST, 1));
        assertFalse(Files.exists(segmentFile()));
    }

    @Test
    void shouldExchangeFramesBothWaysWhenAttached() throws IOException {
        try (ShmSegment server = ShmSegment.create(segmentFile(), 4096, 4096, DIGEST, 4711);
             ShmSegment client = ShmSegment.attach(segmentFile(), 4096, 4096, DIGEST)) {
            client.writeClientPid(99);
            client.writeHeartbeat(1234);
            assertEquals(99, server.clientPid());
            assertEquals(1234, server.clientHeartbeat());
            assertFalse(client.isOwner());
            final ByteBuffer payload = ByteBuffer.wrap(new byte[] {1, 2, 3});
            assertEquals(0, server.outboundProducer().offer(5, payload, 0, 3));
            assertEquals(0, client.outboundProducer().offer(6, payload, 0, 2));
            final int[] seen = new int[2];
            assertEquals(1, client.inboundConsumer().read((b, i, l) -> seen[0] = LittleEndian.getU16(b, i), 10));
            assertEquals(1, server.inboundConsumer().read((b, i, l) -> seen[1] = l, 10));
            assertArrayEquals(new int[] {5, 8}, seen);
            client.markClosed();
            assertEquals(STATE_CLOSED_BY_CLIENT, server.state());
        }
    }

    @Test
    void shouldRemoveFileWhenOwnerRemoves() throws IOException {
        final ShmSegment server = ShmSegment.create(segmentFile(), 4096, 4096, DIGEST, 1);
        assertTrue(server.remove());
        assertFalse(Files.exists(segmentFile()));
        assertTrue(server.isClosed());
        assertFalse(server.remove(), "idempotent");
    }

    private void assertRefused(final int status, final String field, final Consumer<ByteBuffer> corrupt)
            throws IOException {
        try (ShmSegment server = ShmSegment.create(segmentFile(), 4096, 4096, DIGEST, 1)) {
            corrupt.accept(server.buffer());
            final ShmSegmentException e = assertThrows(ShmSegmentException.class,
                    () -> ShmSegment.attach(segmentFile(), 4096, 4096, DIGEST));
            assertEquals(field, e.field(), e.getMessage());
            assertEquals(status, e.status());
            assertTrue(e.getMessage().contains(segmentFile().toString()), e.getMessage());
        }
    }

    @Test
    void shouldRefuseWrongMagicWhenAttaching() throws IOException {
        assertRefused(ShmSegmentException.BAD_SEGMENT, "magic", b -> b.put(0, (byte) 'X'));
    }

    @Test
    void shouldRefuseWrongVersionWhenAttaching() throws IOException {
        assertRefused(ShmSegmentException.BAD_SEGMENT, "version", b -> b.putInt(LAYOUT_VERSION_OFFSET, 2));
    }

    @Test
    void shouldRefuseWrongHeaderLengthWhenAttaching() throws IOException {
        assertRefused(ShmSegmentException.BAD_SEGMENT, "header_length", b -> LittleEndian.putU32(b,
                HEADER_LENGTH_OFFSET, 8192));
    }

    @Test
    void shouldRefuseCapacityNotPowerOfTwoWhenAttaching() throws IOException {
        assertRefused(ShmSegmentException.BAD_SEGMENT, "capacity0", b -> LittleEndian.putU32(b, CAPACITY_0_OFFSET,
                5000));
    }

    @Test
    void shouldRefuseCapacityOtherThanAnnouncedWhenAttaching() throws IOException {
        try (ShmSegment server = ShmSegment.create(segmentFile(), 4096, 8192, DIGEST, 1)) {
            final ShmSegmentException e = assertThrows(ShmSegmentException.class,
                    () -> ShmSegment.attach(segmentFile(), 4096, 4096, DIGEST));
            assertEquals("capacity1", e.field());
            assertTrue(e.getMessage().contains("announced 4096"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseWrongMaxRecordLengthWhenAttaching() throws IOException {
        assertRefused(ShmSegmentException.BAD_SEGMENT, "max_record_length", b -> LittleEndian.putU32(b,
                MAX_RECORD_LENGTH_OFFSET, 4096));
    }

    @Test
    void shouldRefuseOtherDigestWhenAttaching() throws IOException {
        try (ShmSegment server = ShmSegment.create(segmentFile(), 4096, 4096, OTHER, 1)) {
            final ShmSegmentException e = assertThrows(ShmSegmentException.class,
                    () -> ShmSegment.attach(segmentFile(), 4096, 4096, DIGEST));
            assertEquals("digest", e.field());
            assertEquals(ShmSegmentException.BAD_SEGMENT, e.status());
            assertTrue(e.getMessage().contains(OTHER.toHex()) && e.getMessage().contains(DIGEST.toHex()),
                    e.getMessage());
        }
    }

    @Test
    void shouldRefuseSegmentNotReadyWhenAttaching() throws IOException {
        assertRefused(ShmSegmentException.BAD_SEGMENT, "state", b -> b.putInt(STATE_OFFSET, STATE_CLOSED_BY_SERVER));
    }

    @Test
    void shouldRefuseWrongSizeWhenAttaching() throws IOException {
        try (ShmSegment server = ShmSegment.create(segmentFile(), 4096, 4096, DIGEST, 1);
             FileChannel channel = FileChannel.open(segmentFile(), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[1]), Files.size(segmentFile()) + 100);
            final ShmSegmentException e = assertThrows(ShmSegmentException.class,
                    () -> ShmSegment.attach(segmentFile(), 4096, 4096, DIGEST));
            assertEquals("size", e.field());
        }
    }

    @Test
    void shouldRefuseFileShorterThanHeaderWhenAttaching() throws IOException {
        final Path file = Files.createFile(dir.resolve("short"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Files.write(file, new byte[100]);
        final ShmSegmentException e = assertThrows(ShmSegmentException.class,
                () -> ShmSegment.attach(file, 4096, 4096, DIGEST));
        assertEquals("size", e.field());
        assertEquals(ShmSegmentException.BAD_SEGMENT, e.status());
    }

    @Test
    void shouldRefuseWiderModeWhenAttaching() throws IOException {
        try (ShmSegment server = ShmSegment.create(segmentFile(), 4096, 4096, DIGEST, 1)) {
            Files.setPosixFilePermissions(segmentFile(), PosixFilePermissions.fromString("rw-r--r--"));
            final ShmSegmentException e = assertThrows(ShmSegmentException.class,
                    () -> ShmSegment.attach(segmentFile(), 4096, 4096, DIGEST));
            assertEquals("mode", e.field());
            assertEquals(ShmSegmentException.NOT_PERMITTED, e.status());
            assertTrue(e.getMessage().contains("rw-r--r--"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseSymlinkWhenAttaching() throws IOException {
        try (ShmSegment server = ShmSegment.create(segmentFile(), 4096, 4096, DIGEST, 1)) {
            final Path link = Files.createSymbolicLink(dir.resolve("link"), segmentFile());
            final ShmSegmentException e = assertThrows(ShmSegmentException.class,
                    () -> ShmSegment.attach(link, 4096, 4096, DIGEST));
            assertEquals("type", e.field());
            assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseDirectoryWhenAttaching() throws IOException {
        final ShmSegmentException e = assertThrows(ShmSegmentException.class,
                () -> ShmSegment.attach(dir, 4096, 4096, DIGEST));
        assertEquals("type", e.field());
        assertEquals(ShmSegmentException.NOT_PERMITTED, e.status());
    }

    @Test
    void shouldRefuseMissingFileWhenAttaching() {
        final ShmSegmentException e = assertThrows(ShmSegmentException.class,
                () -> ShmSegment.attach(dir.resolve("gone"), 4096, 4096, DIGEST));
        assertEquals("file", e.field());
        assertEquals(ShmSegmentException.NOT_PERMITTED, e.status());
    }

    @Test
    void shouldRefuseUnreadableFileWhenAttaching() throws IOException {
        try (ShmSegment server = ShmSegment.create(segmentFile(), 4096, 4096, DIGEST, 1)) {
            Files.setPosixFilePermissions(segmentFile(), PosixFilePermissions.fromString("---------"));
            final ShmSegmentException e = assertThrows(ShmSegmentException.class,
                    () -> ShmSegment.attach(segmentFile(), 4096, 4096, DIGEST));
            // root may read any file but the mode check still refuses it
            assertEquals("mode", e.field());
            assertEquals(ShmSegmentException.NOT_PERMITTED, e.status());
        }
    }

    @Test
    void shouldCheckOwnerAgainstProcessUid() throws IOException {
        // a foreign owner needs root to create; the check compares unix:uid of the file with that of /proc/self
        final int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        assertEquals(uid, ShmSegmentChecks.ownUid(dir));
        assertEquals(uid, (Integer) Files.getAttribute(dir, "unix:uid"));
    }
}
