package io.mycelium.protocol.frame;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FrameCodecPropertyTest {

    record Frame(int typeId, byte[] payload) {
    }

    @Provide
    Arbitrary<List<Frame>> frames() {
        final Arbitrary<Frame> frame = Combinators.combine(Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300)).as(Frame::new);
        return frame.list().ofMaxSize(20);
    }

    @Property(tries = 300)
    void shouldDecodeWhatWasEncodedWhenStreamIsCutIntoArbitraryReads(
            @ForAll("frames") final List<Frame> frames,
            @ForAll @Size(min = 1, max = 30) final List<@IntRange(min = 1, max = 64) Integer> readSizes) {
        final FrameEncoder encoder = new FrameEncoder();
        final ByteBuffer stream = ByteBuffer.allocate(frames.size() * 306);
        for (final Frame frame : frames) {
            encoder.encode(stream, frame.typeId(), frame.payload(), 0, frame.payload().length);
        }
        final byte[] bytes = Arrays.copyOf(stream.array(), stream.position());

        final FrameDecoder decoder = new FrameDecoder(300);
        final List<Frame> decoded = new ArrayList<>();
        int offset = 0;
        for (int read = 0; offset < bytes.length; read++) {
            final int size = Math.min(readSizes.get(read % readSizes.size()), bytes.length - offset);
            final ByteBuffer chunk = ByteBuffer.wrap(bytes, offset, size).slice();
            while (decoder.decode(chunk) == FrameDecoder.FRAME) {
                final byte[] payload = new byte[decoder.payloadLength()];
                decoder.payloadBuffer().get(decoder.payloadOffset(), payload);
                decoded.add(new Frame(decoder.typeId(), payload));
            }
            assertEquals(0, chunk.remaining());
            offset += size;
        }
        assertEquals(FrameDecoder.CLEAN_END, decoder.endOfStream());
        assertEquals(frames.size(), decoded.size());
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(frames.get(i).typeId(), decoded.get(i).typeId());
            assertArrayEquals(frames.get(i).payload(), decoded.get(i).payload());
        }
    }
}
