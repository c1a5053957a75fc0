package io.mycelium.protocol.handshake;

import com.google.gson.JsonObject;
import io.mycelium.protocol.WireVectors;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplyReaderTest {

    private static final WireVectors VECTORS = WireVectors.load();

    @Test
    void shouldReportAcceptedAndLeaveFollowingFramesWhenServerAccepts() {
        final byte[] accept = WireVectors.hex(VECTORS.cases("handshake", "accept").get(0), "bytes");
        final byte[] stream = Arrays.copyOf(accept, accept.length + 14);
        final ByteBuffer read = ByteBuffer.wrap(stream);
        final ReplyReader reader = new ReplyReader();
        assertSame(ReplyReader.Status.ACCEPTED, reader.feed(read));
        assertEquals(accept.length, read.position());
        assertEquals("gateway", reader.accept().name());
        assertNull(reader.reject());
    }

    @Test
    void shouldReportRejectedWhenServerRejectsAcrossReads() {
        final JsonObject vector = VECTORS.cases("handshake", "reject").get(0);
        final byte[] reject = WireVectors.hex(vector, "bytes");
        final ReplyReader reader = new ReplyReader();
        assertSame(ReplyReader.Status.NEED_MORE, reader.feed(ByteBuffer.wrap(reject, 0, 50)));
        assertSame(ReplyReader.Status.REJECTED, reader.feed(ByteBuffer.wrap(reject, 50, reject.length - 50)));
        assertEquals(HandshakeCodecTest.reject(vector), reader.reject());
        assertSame(ReplyReader.Status.REJECTED, reader.status());
        assertNull(reader.accept());
    }

    @Test
    void shouldReportMalformedWhenReplyIsInvalidOrPrefixOutOfBounds() {
        for (final JsonObject vector : VECTORS.cases("handshake_invalid_reply")) {
            final ReplyReader reader = new ReplyReader();
            assertSame(ReplyReader.Status.MALFORMED, reader.feed(ByteBuffer.wrap(WireVectors.hex(vector, "bytes"))));
            assertEquals(vector.get("field").getAsString(), reader.failure().field());
        }
        final ReplyReader reader = new ReplyReader();
        assertSame(ReplyReader.Status.MALFORMED, reader.feed(ByteBuffer.wrap(new byte[] {(byte) 0xff, 0x7f, 0})));
        assertTrue(reader.failure().getMessage().contains("32767"), reader.failure().getMessage());
    }

    @Test
    void shouldExplainSilentLegacyServerWhenStreamEndsBeforeReply() {
        final ReplyReader reader = new ReplyReader();
        final HandshakeException error = reader.endOfStream("127.0.0.1:9000");
        assertTrue(error.getMessage().contains("127.0.0.1:9000"), error.getMessage());
        assertTrue(error.getMessage().contains("legacy Mycelium server"), error.getMessage());
    }
}
