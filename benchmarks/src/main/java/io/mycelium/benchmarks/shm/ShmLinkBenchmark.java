package io.mycelium.benchmarks.shm;

import io.mycelium.api.Delivery;
import io.mycelium.bus.impl.BusSettings;
import io.mycelium.bus.impl.MessageBusImpl;
import io.mycelium.testsupport.RawSchema;
import io.mycelium.transport.shm.impl.ShmEndpoints;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.OverflowPolicy;
import io.mycelium.transport.stream.StreamTransport;
import io.mycelium.transport.stream.TransportCounter;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One 64-byte message through a whole shm link, two nodes' real buses in this JVM (a dials b): a's bus publishes,
 * the link writes the frame in place into the ring (publisher thread), b's link reader hands it to its frame loop
 * where it lies in the ring and b's bus hands it to an inline raw subscriber. Each operation publishes one message and waits until b received it, so the
 * ring never fills and both the publish and the receive path are in the steady state. Run with {@code -prof gc}:
 * the profiler counts the bytes allocated by every thread (publisher and link reader), and the target is
 * 0 B/op ({@code gc.alloc.rate.norm}). The link's timers (a PING a second) allocate a little, which only the
 * batched variant amortises to the per-message figure it is; on a loaded machine the one-message variant measures
 * mostly how long the reader thread waits for a core.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar ShmLinkBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ShmLinkBenchmark {

    private static final int PING = 1000;
    private static final int SIZE = 64;
    private static final int BATCH = 256;

    private Path dir;
    private StreamTransport a;
    private StreamTransport b;
    private MessageBusImpl busA;
    private ByteBuffer payload;
    /** Written by b's link reader (one thread), read by the publisher. */
    private volatile long received;
    private long sent;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.isDirectory(Path.of("/dev/shm"))
                ? Files.createTempDirectory(Path.of("/dev/shm"), "mycelium-jmh-link")
                : Files.createTempDirectory("mycelium-jmh-link");
        final RawSchema schema = new RawSchema("bench", new byte[32], Map.of(PING, SIZE));
        final MessageBusImpl busB = new MessageBusImpl(BusSettings.defaults());
        busB.subscribeRaw(PING, (typeId, message) -> received = received + 1, Delivery.INLINE);
        busA = new MessageBusImpl(BusSettings.defaults());
        b = new StreamTransport(settings("b"), new ShmEndpoints(1 << 20, LinkSettings.DEFAULT_READ_SPIN_MICROS), busB,
                schema);
        a = new StreamTransport(settings("a"), new ShmEndpoints(1 << 20, LinkSettings.DEFAULT_READ_SPIN_MICROS), busA,
                schema);
        final String listen = dir.resolve("b.shm").toString();
        b.start(listen, Map.of());
        a.start("", Map.of("b", listen));
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (a.stats().links().stream().noneMatch(link -> link.peerTypeIds() == 1)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the two shm transports did not link within 10 s");
            }
            Thread.sleep(1);
        }
        payload = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static LinkSettings settings(final String node) {
        return new LinkSettings(node, 8, 1 << 20, 5_000, 1 << 14, OverflowPolicy.DROP_NEWEST, 128, 1_000, 30_000,
                100, 1_000, 2_000, false, LinkSettings.DEFAULT_READ_SPIN_MICROS);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (a.stats().counter(TransportCounter.FRAMES_DROPPED) != 0) {
            throw new IllegalStateException("frames dropped: the benchmark must not overflow the link");
        }
        a.close();
        b.close();
        try (var files = Files.list(dir)) {
            for (final Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(dir);
    }

    /** Publishes one message and waits until b's subscriber had it: the publish and the receive path. */
    @Benchmark
    public long publishAndReceive() {
        final long seq = ++sent;
        payload.putLong(0, seq);
        busA.publishRaw(PING, payload);
        while (received < seq) {
            Thread.onSpinWait();
        }
        return seq;
    }

    /**
     * Publishes {@value #BATCH} messages back to back (each written in place while the reader keeps up, queued when
     * it does not), then waits until b received them all; the score and {@code gc.alloc.rate.norm} are per message.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long publishBatchAndReceive() {
        final long last = sent + BATCH;
        for (long seq = sent + 1; seq <= last; seq++) {
            payload.putLong(0, seq);
            busA.publishRaw(PING, payload);
        }
        sent = last;
        while (received < last) {
            Thread.onSpinWait();
        }
        return last;
    }
}
