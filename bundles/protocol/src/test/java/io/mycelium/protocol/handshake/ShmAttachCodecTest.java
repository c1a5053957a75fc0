package io.mycelium.protocol.handshake;

import com.google.gson.JsonObject;
import io.mycelium.protocol.WireVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class ShmAttachCodecTest {

    private static final WireVectors VECTORS = WireVectors.load();

    private static Stream<Arguments> named(final List<JsonObject> cases) {
        return cases.stream().map(c -> Arguments.of(c.get("name").getAsString(), c));
    }

    static Stream<Arguments> attaches() {
        return named(VECTORS.cases("shm", "attach"));
    }

    static Stream<Arguments> attacheds() {
        return named(VECTORS.cases("shm", "attached"));
    }

    static Stream<Arguments> invalidAttaches() {
        return named(VECTORS.cases("shm", "attach_invalid"));
    }

    static Stream<Arguments> invalidAttacheds() {
        return named(VECTORS.cases("shm", "attached_invalid"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attaches")
    void shouldMatchVectorWhenEncodingAndDecodingShmAttach(final String name, final JsonObject vector) {
        final ShmAttach attach = new ShmAttach(vector.get("version").getAsInt(), vector.get("flags").getAsInt(),
                vector.get("capacity0").getAsLong(), vector.get("capacity1").getAsLong(),
                vector.get("path").getAsString());
        final byte[] bytes = WireVectors.hex(vector, "bytes");
        assertEquals(WireVectors.hex(bytes), WireVectors.hex(ShmAttachCodec.encode(attach)));
        assertEquals(attach, ShmAttachCodec.decodeAttach(bytes));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacheds")
    void shouldMatchVectorWhenEncodingAndDecodingShmAttached(final String name, final JsonObject vector) {
        final ShmAttached attached = new ShmAttached(vector.get("version").getAsInt(), vector.get("flags").getAsInt(),
                vector.get("status").getAsInt(), vector.get("text").getAsString());
        final byte[] bytes = WireVectors.hex(vector, "bytes");
        assertEquals(WireVectors.hex(bytes), WireVectors.hex(ShmAttachCodec.encode(attached)));
        assertEquals(attached, ShmAttachCodec.decodeAttached(bytes));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidAttaches")
    void shouldNameFieldWhenShmAttachIsInvalid(final String name, final JsonObject vector) {
        final HandshakeException e = assertThrows(HandshakeException.class,
                () -> ShmAttachCodec.decodeAttach(WireVectors.hex(vector, "bytes")));
        assertEquals(vector.get("field").getAsString(), e.field(), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidAttacheds")
    void shouldNameFieldWhenShmAttachedIsInvalid(final String name, final JsonObject vector) {
        final HandshakeException e = assertThrows(HandshakeException.class,
                () -> ShmAttachCodec.decodeAttached(WireVectors.hex(vector, "bytes")));
        assertEquals(vector.get("field").getAsString(), e.field(), e.getMessage());
    }

    @Test
    void shouldRefuseBadValuesWhenConstructing() {
        assertEquals("path", assertThrows(HandshakeException.class,
                () -> ShmAttach.of(4096, 4096, "relative")).field());
        assertEquals("path_length", assertThrows(HandshakeException.class,
                () -> ShmAttach.of(4096, 4096, "/" + "x".repeat(1024))).field());
        assertEquals("capacity1", assertThrows(HandshakeException.class,
                () -> ShmAttach.of(4096, (1L << 31), "/x")).field());
        assertEquals("status", assertThrows(HandshakeException.class,
                () -> new ShmAttached(1, 0, 3, "")).field());
        assertThrows(IllegalArgumentException.class, () -> ShmAttached.refused(0, "x"));
    }

    @Test
    void shouldFitLongTextWhenRefusing() {
        final ShmAttached refused = ShmAttached.refused(ShmAttached.STATUS_BAD_SEGMENT, "y".repeat(5000));
        assertEquals(1024, refused.text().length());
        assertTrue(refused.text().endsWith("..."));
        assertEquals("BAD_SEGMENT", refused.statusName());
        assertFalse(refused.isOk());
        assertTrue(ShmAttached.ok().isOk());
    }

    @Test
    void shouldReadOneMessageAndLeaveDoorbellsWhenFedByteByByte() {
        final byte[] message = ShmAttachCodec.encode(ShmAttach.of(4096, 8192, "/dev/shm/mycelium/a.shm.1.1"));
        final ByteBuffer stream = ByteBuffer.allocate(message.length + 1).put(message).put((byte) 1).flip();
        final ShmAttachReader reader = new ShmAttachReader(HandshakeDescriptor.KIND_SHM_ATTACH);
        ShmAttachReader.Status status = ShmAttachReader.Status.NEED_MORE;
        for (int i = 1; i <= stream.capacity() && status == ShmAttachReader.Status.NEED_MORE; i++) {
            stream.limit(i);
            status = reader.feed(stream);
        }
        assertEquals(ShmAttachReader.Status.ATTACH, status);
        assertEquals("/dev/shm/mycelium/a.shm.1.1", reader.attach().path());
        assertEquals(message.length, stream.position(), "the doorbell byte stays unread");
    }

    @Test
    void shouldReportMalformedWhenOtherKindArrives() {
        final ShmAttachReader reader = new ShmAttachReader(HandshakeDescriptor.KIND_SHM_ATTACHED);
        assertEquals(ShmAttachReader.Status.MALFORMED, reader.feed(ByteBuffer.wrap(ShmAttachCodec.encode(
                ShmAttach.of(4096, 4096, "/x")))));
        assertEquals("kind", reader.failure().field());
        assertEquals(ShmAttachReader.Status.ATTACHED, new ShmAttachReader(HandshakeDescriptor.KIND_SHM_ATTACHED)
                .feed(ByteBuffer.wrap(ShmAttachCodec.encode(ShmAttached.ok()))));
        assertThrows(IllegalArgumentException.class, () -> new ShmAttachReader(3));
    }
}
