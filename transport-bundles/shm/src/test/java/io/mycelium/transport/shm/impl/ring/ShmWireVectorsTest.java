package io.mycelium.transport.shm.impl.ring;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.protocol.layout.LittleEndian;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static io.mycelium.transport.shm.impl.ring.ShmRegionDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/** Checks the {@code shm} key of docs/wire-vectors.json (also read by clients/python) against the Java layout. */
class ShmWireVectorsTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final JsonObject SHM = load();

    @TempDir
    Path dir;

    private static JsonObject load() {
        try {
            return JsonParser.parseString(Files.readString(Path.of("../../docs/wire-vectors.json")))
                    .getAsJsonObject().getAsJsonObject("shm");
        } catch (final IOException e) {
            throw new IllegalStateException("cannot read docs/wire-vectors.json from " + Path.of("").toAbsolutePath(), e);
        }
    }

    private static List<JsonObject> cases(final String name) {
        final List<JsonObject> out = new ArrayList<>();
        for (final JsonElement element : SHM.getAsJsonArray(name)) {
            out.add(element.getAsJsonObject());
        }
        return out;
    }

    private static int i(final JsonObject o, final String member) {
        return o.get(member).getAsInt();
    }

    private static byte[] hex(final JsonObject o, final String member) {
        return HEX.parseHex(o.get(member).getAsString());
    }

    @Test
    void shouldWriteVectorHeaderWhenCreatingSegment() throws IOException {
        for (final JsonObject v : cases("headers")) {
            final Path file = dir.resolve("alpha.shm.4711.3");
            try (ShmSegment segment = ShmSegment.create(file, i(v, "capacity0"), i(v, "capacity1"),
                    SchemaDigest.fromHex(v.get("digest").getAsString()), v.get("server_pid").getAsLong())) {
                // what the client and the heartbeat timers write later, with the vector's values
                segment.writeClientPid(v.get("client_pid").getAsLong());
                segment.writeHeartbeat(v.get("server_heartbeat").getAsLong());
                LittleEndian.I64.set(segment.buffer(), CLIENT_HEARTBEAT_OFFSET, v.get("client_heartbeat").getAsLong());
                assertEquals(i(v, "max_record_length"), segment.maxRecordLength());
                assertEquals(i(v, "state"), segment.state());
                assertEquals(v.get("segment_length").getAsLong(), Files.size(file));
                assertEquals(i(v, "ring0_offset"), ringOffset(0, i(v, "capacity0")));
                assertEquals(i(v, "ring1_offset"), ringOffset(1, i(v, "capacity0")));
                final byte[] first = new byte[96];
                segment.buffer().get(0, first);
                assertEquals(v.get("bytes").getAsString(), HEX.formatHex(first), v.get("name").getAsString());
                for (int index = 96; index < HEADER_LENGTH; index++) {
                    assertEquals(0, segment.buffer().get(index));
                }
            }
        }
    }

    @Test
    void shouldMatchVectorRecordsWhenOffered() {
        for (final JsonObject v : cases("records")) {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(RING_CONTROL_LENGTH + 4096);
            final SpscFrameRingProducer producer = new SpscFrameRingProducer(buffer, 0, 4096, 512, "vector");
            final int length = i(v, "length");
            final byte[] expected = hex(v, "bytes");
            assertEquals(i(v, "aligned_length"), expected.length);
            assertEquals(align(length), i(v, "aligned_length"));
            if (i(v, "kind") == KIND_FRAME) {
                final byte[] payload = hex(v, "payload");
                assertEquals(SpscFrameRingProducer.OK, producer.offer(i(v, "type_id"), ByteBuffer.wrap(payload), 0,
                        payload.length));
            } else {
                // the padding vector fills the last 16 bytes: put the tail there and claim something that does not fit
                LittleEndian.I64.set(buffer, TAIL_OFFSET, 4096L - length);
                LittleEndian.I64.set(buffer, HEAD_OFFSET, 4096L - length);
                final SpscFrameRingProducer atEnd = new SpscFrameRingProducer(buffer, 0, 4096, 512, "vector");
                atEnd.commit(atEnd.tryClaim(length));
            }
            final byte[] actual = new byte[expected.length];
            buffer.get(RING_CONTROL_LENGTH + (i(v, "kind") == KIND_FRAME ? 0 : 4096 - length), actual);
            assertEquals(HEX.formatHex(expected), HEX.formatHex(actual), v.get("name").getAsString());
        }
    }

    @Test
    void shouldMatchVectorClaims() {
        for (final JsonObject v : cases("claims")) {
            final int capacity = i(v, "capacity");
            final ByteBuffer buffer = ByteBuffer.allocateDirect(RING_CONTROL_LENGTH + capacity);
            LittleEndian.I64.set(buffer, TAIL_OFFSET, v.get("tail").getAsLong());
            LittleEndian.I64.set(buffer, HEAD_OFFSET, v.get("head").getAsLong());
            final SpscFrameRingProducer producer = new SpscFrameRingProducer(buffer, 0, capacity,
                    i(v, "max_record_length"), "vector");
            final int result = producer.tryClaim(i(v, "frame_length"));
            final String name = v.get("name").getAsString();
            switch (v.get("result").getAsString()) {
                case "full" -> assertEquals(SpscFrameRingProducer.INSUFFICIENT_CAPACITY, result, name);
                case "too_long" -> assertEquals(SpscFrameRingProducer.FRAME_TOO_LONG, result, name);
                default -> {
                    assertEquals(RING_CONTROL_LENGTH + i(v, "index") + RECORD_HEADER_LENGTH, result, name);
                    producer.commit(result);
                    assertEquals(v.get("tail_after").getAsLong(), producer.position(), name);
                    assertEquals(v.get("tail_after").getAsLong(), LittleEndian.getU64(buffer, TAIL_OFFSET), name);
                    final int padding = i(v, "padding");
                    if (padding != 0) {
                        final int at = RING_CONTROL_LENGTH + (int) (v.get("tail").getAsLong() & (capacity - 1));
                        assertEquals(padding, (int) LittleEndian.I32.get(buffer, at), name);
                        assertEquals(KIND_PADDING, (int) LittleEndian.I32.get(buffer, at + 4), name);
                    }
                }
            }
        }
    }

    @Test
    void shouldNameFieldAndValueWhenVectorRecordIsCorrupt() {
        for (final JsonObject v : cases("corrupt_records")) {
            final int capacity = i(v, "capacity");
            final ByteBuffer buffer = ByteBuffer.allocateDirect(RING_CONTROL_LENGTH + capacity);
            final int index = i(v, "index");
            LittleEndian.I64.set(buffer, HEAD_OFFSET, (long) index);
            buffer.put(RING_CONTROL_LENGTH + index, hex(v, "bytes"));
            final SpscFrameRingConsumer consumer = new SpscFrameRingConsumer(buffer, 0, capacity,
                    i(v, "max_record_length"), "vector");
            final ShmRingCorruptException e = assertThrows(ShmRingCorruptException.class,
                    () -> consumer.read((b, at, length) -> fail("no frame expected"), 10), v.get("name").getAsString());
            assertEquals(v.get("field").getAsString(), e.field(), e.getMessage());
            assertEquals(v.get("value").getAsLong(), e.value(), e.getMessage());
            assertEquals(index, e.position());
        }
    }

    @Test
    void shouldRefuseVectorSegmentsNamingField() throws IOException {
        for (final JsonObject v : cases("segment_invalid")) {
            final Path file = dir.resolve("seg." + v.get("name").getAsString().hashCode());
            Files.createFile(file);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                final long size = v.get("file_size").getAsLong();
                final byte[] header = hex(v, "bytes");
                channel.write(ByteBuffer.wrap(header, 0, (int) Math.min(header.length, size)), 0);
                if (size > header.length) {
                    channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
                }
            }
            Files.setPosixFilePermissions(file, mode(v.get("mode").getAsString()));
            final ShmSegmentException e = assertThrows(ShmSegmentException.class, () -> ShmSegment.attach(file,
                    i(v, "announced_capacity0"), i(v, "announced_capacity1"),
                    SchemaDigest.fromHex(v.get("digest").getAsString())), v.get("name").getAsString());
            assertEquals(v.get("field").getAsString(), e.field(), e.getMessage());
            assertEquals(i(v, "status"), e.status(), e.getMessage());
        }
    }

    private static Set<PosixFilePermission> mode(final String octal) {
        final int bits = Integer.parseInt(octal, 8);
        final PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        final Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < order.length; bit++) {
            if ((bits & (1 << bit)) != 0) {
                out.add(order[bit]);
            }
        }
        return out;
    }
}
