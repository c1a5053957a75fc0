package io.mycelium.benchmarks.transport;

import io.mycelium.api.Delivery;
import io.mycelium.bus.impl.BusSettings;
import io.mycelium.bus.impl.MessageBusImpl;
import io.mycelium.testsupport.RawSchema;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.OverflowPolicy;
import io.mycelium.transport.stream.StreamEndpoints;
import io.mycelium.transport.stream.StreamTransport;
import io.mycelium.transport.stream.TransportCounter;
import io.mycelium.transport.tcp.impl.TcpEndpoints;
import io.mycelium.transport.unix.impl.UnixEndpoints;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The publisher's side of a stream link under a back-to-back load: a's real bus publishes 64-byte messages that
 * b (a second real bus in this JVM) subscribes to, over one Unix or TCP link whose writer drains a's outbound ring
 * to a real socket and whose reader on b delivers them inline. The path measured is the one of
 * {@link TransportLatencyHarness}'s throughput run: {@code publishRaw} -> topic -> the transport's tap -> the link's
 * outbound ring ({@code LinkOutbound.offer}). At most {@value #WINDOW} messages are in flight (checked every
 * {@value #BATCH}), as in the harness, so nothing is dropped and the ring stays in its steady state.
 *
 * <p>The score is wall time per message: the slowest stage of the pipeline on this machine (the publisher, or the
 * writer and reader together). Each iteration also prints the publisher thread's own CPU per message
 * ({@code publisher cpu ns/msg}), the figure the publisher-side work changes. Run with {@code -prof gc}: the
 * publish path must show 0 B/op ({@code gc.alloc.rate.norm}; the link's timers allocate a little per second).
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar StreamLinkPublishBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class StreamLinkPublishBenchmark {

    private static final int PING = 1001;
    private static final int SIZE = 64;
    private static final int BATCH = 256;
    private static final int WINDOW = 64 * 1024;
    private static final long WINDOW_FULL_SLEEP_NANOS = 50_000;
    /** The index of the received count in its padded array. */
    private static final int RECEIVED = 8;

    /** The medium: {@code unix} or {@code tcp}. */
    @Param({"unix", "tcp"})
    public String kind;

    /** The links' {@code read.spin.micros}. */
    @Param({"50"})
    public long spin;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private Path dir;
    private StreamTransport a;
    private StreamTransport b;
    private MessageBusImpl busA;
    private MessageBusImpl busB;
    private ByteBuffer payload;
    /**
     * Messages b received, in the middle of its own 128 bytes: written by b's link reader per message, it must not
     * share a cache line with the fields the publisher reads per message (busA, payload), or every publish pays a
     * miss that is this benchmark's, not the path's.
     */
    private final AtomicLongArray received = new AtomicLongArray(2 * RECEIVED);
    private long sent;
    private long iterationSent;
    private long iterationCpu;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("mycelium-jmh-stream");
        final RawSchema schema = new RawSchema("bench", new byte[32], Map.of(PING, SIZE));
        busB = new MessageBusImpl(BusSettings.defaults());
        busB.subscribeRaw(PING, (typeId, message) -> received.lazySet(RECEIVED, received.get(RECEIVED) + 1),
                Delivery.INLINE);
        busA = new MessageBusImpl(BusSettings.defaults());
        b = new StreamTransport(settings("b"), endpoints(), busB, schema);
        a = new StreamTransport(settings("a"), endpoints(), busA, schema);
        b.start(kind.equals("unix") ? dir.resolve("b.sock").toString() : "127.0.0.1:0", Map.of());
        a.start("", Map.of("b", b.listenAddress()));
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (a.stats().links().stream().noneMatch(link -> link.peerTypeIds() == 1)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the two " + kind + " transports did not link within 10 s");
            }
            Thread.sleep(1);
        }
        payload = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
    }

    private StreamEndpoints endpoints() {
        return kind.equals("unix") ? new UnixEndpoints(UnixEndpoints.DEFAULT_MODE) : new TcpEndpoints();
    }

    private LinkSettings settings(final String node) {
        return new LinkSettings(node, 8, 1 << 20, 5_000, 1 << 17, OverflowPolicy.DROP_NEWEST, 128, 1_000, 30_000,
                100, 1_000, 2_000, false, spin);
    }

    /** Runs on the benchmark thread before each iteration: where its CPU clock and the message count start. */
    @Setup(Level.Iteration)
    public void startIteration() {
        iterationSent = sent;
        iterationCpu = threads.getCurrentThreadCpuTime();
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        final long messages = sent - iterationSent;
        System.out.printf("publisher cpu ns/msg %.1f (%d messages) ", (threads.getCurrentThreadCpuTime()
                - iterationCpu) / (double) Math.max(1, messages), messages);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        // Bounded: a dropped frame never arrives, and the drop is what this trial must then report.
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (received.get(RECEIVED) < sent && System.nanoTime() < deadline) {
            LockSupport.parkNanos(WINDOW_FULL_SLEEP_NANOS);
        }
        final long dropped = a.stats().counter(TransportCounter.FRAMES_DROPPED);
        final long missing = sent - received.get(RECEIVED);
        a.close();
        b.close();
        busA.close();
        busB.close();
        Files.deleteIfExists(dir.resolve("b.sock"));
        Files.deleteIfExists(dir);
        if (dropped != 0 || missing != 0) {
            throw new IllegalStateException(dropped + " frames dropped and " + missing + " not received within 10 s:"
                    + " the window must keep the link from overflowing");
        }
    }

    /**
     * Publishes {@value #BATCH} messages back to back once fewer than {@value #WINDOW} are in flight (a full window
     * sleeps, as the harness does); the score and {@code gc.alloc.rate.norm} are per message.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long publishToOneStreamLink() {
        while (sent - received.get(RECEIVED) >= WINDOW - BATCH) {
            LockSupport.parkNanos(WINDOW_FULL_SLEEP_NANOS);
        }
        final long first = sent;
        for (int i = 0; i < BATCH; i++) {
            payload.putLong(0, first + i);
            busA.publishRaw(PING, payload);
        }
        sent = first + BATCH;
        return sent;
    }
}
