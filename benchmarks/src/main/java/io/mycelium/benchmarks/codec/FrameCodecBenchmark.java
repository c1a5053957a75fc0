package io.mycelium.benchmarks.codec;

import io.mycelium.protocol.frame.FrameDecoder;
import io.mycelium.protocol.frame.FrameEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Cost of writing one 64-byte-payload TLV frame into a buffer and cutting it out again, the per-message codec work of
 * every stream link. Run with {@code -prof gc}: the steady state must allocate 0 B/op.
 *
 * <ul>
 * <li>{@code encode}: header + payload copy into a buffer ({@link FrameEncoder#encode}).</li>
 * <li>{@code decode}: cut a frame wholly inside the read buffer (zero-copy fast path).</li>
 * <li>{@code encodeDecode}: both, as one message crossing a link.</li>
 * <li>{@code decodeSplit}: a frame split across two reads, so the payload is assembled (copied) in the decoder.</li>
 * </ul>
 * Heap and direct buffers both run, because socket channels read into direct buffers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBenchmark {

    private static final int TYPE_ID = 1002;
    private static final int PAYLOAD_LENGTH = 64;

    @Param({"heap", "direct"})
    public String buffers;

    private final FrameEncoder encoder = new FrameEncoder();
    private final FrameDecoder decoder = new FrameDecoder();
    private ByteBuffer payload;
    private ByteBuffer wire;
    private ByteBuffer encoded;
    private ByteBuffer firstHalf;
    private ByteBuffer secondHalf;

    @Setup(Level.Trial)
    public void setUp() {
        final boolean direct = buffers.equals("direct");
        payload = allocate(PAYLOAD_LENGTH, direct);
        for (int i = 0; i < PAYLOAD_LENGTH; i++) {
            payload.put(i, (byte) i);
        }
        wire = allocate(4096, direct);
        encoded = allocate(4096, direct);
        encoder.encode(encoded, TYPE_ID, payload, 0, PAYLOAD_LENGTH);
        encoded.flip();
        final int frameLength = encoded.limit();
        firstHalf = encoded.duplicate().limit(frameLength / 2);
        secondHalf = encoded.duplicate().position(frameLength / 2);
        // Each benchmark must really produce a whole frame, or the numbers would measure an early return.
        // FRAME (1) + type id + length + first payload byte (0); decodeSplit's first read must be NEED_MORE (0).
        final int expected = FrameDecoder.FRAME + TYPE_ID + PAYLOAD_LENGTH;
        if (encode() != frameLength || decode() != expected || encodeDecode() != expected
                || decodeSplit() != expected) {
            throw new IllegalStateException("FrameCodecBenchmark self-check failed: a codec path did not produce the"
                    + " 64-byte frame");
        }
    }

    private static ByteBuffer allocate(final int capacity, final boolean direct) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    @Benchmark
    public int encode() {
        wire.clear();
        return encoder.encode(wire, TYPE_ID, payload, 0, PAYLOAD_LENGTH);
    }

    @Benchmark
    public int decode() {
        encoded.position(0);
        final int status = decoder.decode(encoded);
        return status + decoder.typeId() + decoder.payloadLength() + decoder.payloadBuffer().get(decoder.payloadOffset());
    }

    @Benchmark
    public int encodeDecode() {
        wire.clear();
        encoder.encode(wire, TYPE_ID, payload, 0, PAYLOAD_LENGTH);
        wire.flip();
        final int status = decoder.decode(wire);
        return status + decoder.typeId() + decoder.payloadLength() + decoder.payloadBuffer().get(decoder.payloadOffset());
    }

    @Benchmark
    public int decodeSplit() {
        firstHalf.position(0);
        secondHalf.position(firstHalf.limit());
        final int status = decoder.decode(firstHalf) * 10 + decoder.decode(secondHalf);
        return status + decoder.typeId() + decoder.payloadLength() + decoder.payloadBuffer().get(decoder.payloadOffset());
    }
}
