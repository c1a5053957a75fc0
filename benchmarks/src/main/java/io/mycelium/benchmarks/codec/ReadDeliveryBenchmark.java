package io.mycelium.benchmarks.codec;

import io.mycelium.api.Delivery;
import io.mycelium.bus.impl.BusSettings;
import io.mycelium.bus.impl.MessageBusImpl;
import io.mycelium.protocol.frame.FrameDecoder;
import io.mycelium.protocol.frame.FrameDescriptor;
import io.mycelium.protocol.frame.FrameEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * The receiving half of a stream link after the socket read, per 64-byte message: cut the frames of one 64 KiB read
 * out of the read buffer and hand them to a real bus ({@link MessageBusImpl}) whose one inline raw subscriber reads
 * each payload, as a link's reader thread does in the two-bus harness. Run with {@code -prof gc}: 0 B/op.
 *
 * <ul>
 * <li>{@code deliverFrameByFrame}: {@link FrameDecoder#decode} and {@code deliverFromPeer} per frame (the reader before
 * runs were handed over).</li>
 * <li>{@code deliverRuns}: {@link FrameDecoder#takeRepeats} after each decoded frame and one {@code deliverRunFromPeer}
 * per run (the reader now).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReadDeliveryBenchmark {

    private static final int TYPE_ID = 1001;
    private static final int PAYLOAD_LENGTH = 64;
    /** The frames of one 64 KiB read. */
    private static final int FRAMES = 64 * 1024 / (FrameDescriptor.HEADER_LENGTH + PAYLOAD_LENGTH);

    private final FrameDecoder decoder = new FrameDecoder();
    private MessageBusImpl bus;
    private ByteBuffer read;
    private ByteBuffer view;
    private long sum;

    @Setup(Level.Trial)
    public void setUp() {
        bus = new MessageBusImpl(BusSettings.defaults());
        bus.subscribeRaw(TYPE_ID, (typeId, payload) -> sum += payload.getLong(payload.position()), Delivery.INLINE);
        read = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        final ByteBuffer payload = ByteBuffer.allocate(PAYLOAD_LENGTH);
        final FrameEncoder encoder = new FrameEncoder();
        for (int i = 0; i < FRAMES; i++) {
            payload.putLong(0, i);
            encoder.encode(read, TYPE_ID, payload, 0, PAYLOAD_LENGTH);
        }
        read.flip();
        view = read.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        // Each benchmark must deliver every frame, or the numbers would measure an early return.
        final long expected = (long) FRAMES * (FRAMES - 1) / 2;
        if (check(this::deliverFrameByFrame) != expected || check(this::deliverRuns) != expected) {
            throw new IllegalStateException("ReadDeliveryBenchmark self-check failed: not every frame was delivered");
        }
    }

    private long check(final Runnable benchmark) {
        sum = 0;
        benchmark.run();
        return sum;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bus.close();
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long deliverFrameByFrame() {
        read.position(0);
        while (decoder.decode(read) == FrameDecoder.FRAME) {
            final int offset = decoder.payloadOffset();
            view.limit(view.capacity()).position(offset).limit(offset + decoder.payloadLength());
            bus.deliverFromPeer(decoder.typeId(), view);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long deliverRuns() {
        read.position(0);
        while (decoder.decode(read) == FrameDecoder.FRAME) {
            final int length = decoder.payloadLength();
            final int count = 1 + decoder.takeRepeats(read, Integer.MAX_VALUE);
            bus.deliverRunFromPeer(decoder.typeId(), view, decoder.payloadOffset(), length,
                    FrameDescriptor.HEADER_LENGTH + length, count);
        }
        return sum;
    }
}
