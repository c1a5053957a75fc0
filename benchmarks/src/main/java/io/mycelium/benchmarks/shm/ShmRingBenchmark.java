package io.mycelium.benchmarks.shm;

import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.protocol.frame.FrameDescriptor;
import io.mycelium.protocol.layout.LittleEndian;
import io.mycelium.transport.shm.impl.ring.ShmFrameHandler;
import io.mycelium.transport.shm.impl.ring.ShmSegment;
import io.mycelium.transport.shm.impl.ring.SpscFrameRingConsumer;
import io.mycelium.transport.shm.impl.ring.SpscFrameRingProducer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Cost of one 64-byte-payload frame through the shared-memory record ring on one thread, in a mapped segment file:
 * the producer's work plus the consumer's (acquire read, handler call, zeroing, head release). Run with
 * {@code -prof gc}: the steady state must allocate 0 B/op.
 *
 * <ul>
 * <li>{@code claimEncodeCommitRead}: tryClaim, frame header and payload encoded in place, commit, read one.</li>
 * <li>{@code offerRead}: offer (claim, copy, commit in one call), read one.</li>
 * <li>{@code offerHeapRead}: as offerRead with a heap payload (the bus's usual one).</li>
 * <li>{@code offerDoorbellCheckRead}: as offerRead plus the producer's full fence and consumer_waiting check.</li>
 * <li>{@code offerBatchRead}: 16 offers, then one batch read of all 16 (per-frame cost = score / 16).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ShmRingBenchmark {

    private static final int TYPE_ID = 1002;
    private static final int PAYLOAD_LENGTH = 64;
    private static final int BATCH = 16;

    private Path dir;
    private ShmSegment segment;
    private SpscFrameRingProducer producer;
    private SpscFrameRingConsumer consumer;
    private ByteBuffer payload;
    private ByteBuffer heapPayload;
    private final Sink sink = new Sink();

    /** Reads the type id of each frame so the JIT cannot drop the consumer's work. */
    static final class Sink implements ShmFrameHandler {
        long sum;

        @Override
        public void onFrame(final ByteBuffer buffer, final int index, final int length) {
            sum += LittleEndian.getU16(buffer, index) + length;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.isDirectory(Path.of("/dev/shm"))
                ? Files.createTempDirectory(Path.of("/dev/shm"), "mycelium-jmh")
                : Files.createTempDirectory("mycelium-jmh");
        segment = ShmSegment.create(dir.resolve("bench.shm.1.1"), 1 << 20, 1 << 20,
                SchemaDigest.compute("bench".getBytes()), ProcessHandle.current().pid());
        producer = segment.producer(0);
        consumer = segment.consumer(0);
        payload = ByteBuffer.allocateDirect(PAYLOAD_LENGTH);
        heapPayload = ByteBuffer.allocate(PAYLOAD_LENGTH);
        for (int i = 0; i < PAYLOAD_LENGTH; i++) {
            payload.put(i, (byte) i);
            heapPayload.put(i, (byte) i);
        }
        // self-check: each path really moves one frame of the expected length
        final long before = sink.sum;
        if (offerRead() != 1 || sink.sum - before != TYPE_ID + 6 + PAYLOAD_LENGTH
                || claimEncodeCommitRead() != 1 || offerBatchRead() != BATCH) {
            throw new IllegalStateException("ShmRingBenchmark self-check failed: a path did not move its frames");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        segment.remove();
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public int claimEncodeCommitRead() {
        final int index = claimed(producer.tryClaim(FrameDescriptor.HEADER_LENGTH + PAYLOAD_LENGTH));
        final ByteBuffer ring = producer.buffer();
        LittleEndian.I16.set(ring, index + FrameDescriptor.TYPE_ID_OFFSET, (short) TYPE_ID);
        LittleEndian.I32.set(ring, index + FrameDescriptor.LENGTH_OFFSET, PAYLOAD_LENGTH);
        ring.put(index + FrameDescriptor.HEADER_LENGTH, payload, 0, PAYLOAD_LENGTH);
        producer.commit(index);
        return readOne();
    }

    @Benchmark
    public int offerRead() {
        offered(producer.offer(TYPE_ID, payload, 0, PAYLOAD_LENGTH));
        return readOne();
    }

    /** As offerRead with a heap payload, as the bus hands the link. */
    @Benchmark
    public int offerHeapRead() {
        offered(producer.offer(TYPE_ID, heapPayload, 0, PAYLOAD_LENGTH));
        return readOne();
    }

    @Benchmark
    public int offerDoorbellCheckRead() {
        offered(producer.offer(TYPE_ID, payload, 0, PAYLOAD_LENGTH));
        return producer.consumerNeedsDoorbell() ? -1 : readOne();
    }

    @Benchmark
    public int offerBatchRead() {
        for (int i = 0; i < BATCH; i++) {
            producer.offer(TYPE_ID, payload, 0, PAYLOAD_LENGTH);
        }
        int read = 0;
        while (read < BATCH) {
            read += consumer.read(sink, BATCH);
        }
        return read;
    }

    /**
     * Reads the one frame just published. A read stops at the ring's end after the padding there, and the frame is
     * then at the ring's start: reading once per frame left one frame behind per lap, and after some 13,000 laps of
     * the 1 MiB ring (about 5 s at this rate) the ring was full: tryClaim failed and offer silently did nothing.
     */
    private int readOne() {
        final int read = consumer.read(sink, 1);
        return read != 0 ? read : consumer.read(sink, 1);
    }

    /** @return {@code index}, a claimed frame's; a full ring or a refused frame fails the run, not the figure */
    private static int claimed(final int index) {
        if (index < 0) {
            throw new IllegalStateException("tryClaim failed (" + index + "): the consumer fell behind the benchmark");
        }
        return index;
    }

    private static void offered(final int outcome) {
        if (outcome != SpscFrameRingProducer.OK) {
            throw new IllegalStateException("offer failed (" + outcome + "): the consumer fell behind the benchmark");
        }
    }
}
