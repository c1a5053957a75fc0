package io.mycelium.benchmarks.shm;

import io.mycelium.benchmarks.ResultLines;
import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.transport.shm.impl.ring.ShmSegment;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The shared-memory floor: a ping-pong between this JVM and a child JVM through two SPSC rings in one mapped
 * {@code /dev/shm} file, 64-byte messages, both sides spinning. Measures one-way latency (RTT/2 into an HdrHistogram:
 * p50/p99/p99.9), throughput (messages back to back until the child has consumed them all) and the wake-up of a
 * parked reader (the child blocks reading a Unix socket; the sender writes the message, then one doorbell byte; the
 * child computes one-way latency from the {@code nanoTime} in the message, a clock shared by the processes of a Linux
 * host).
 *
 * <p>{@code impl} chooses the rings: {@code raw} is the floor (fixed slots, a sequence published with release, see
 * {@link RawSlotRing}); {@code ring} is the transport's record ring ({@code SpscFrameRingProducer/Consumer} in a
 * {@link ShmSegment}), so the difference is the cost of the record format alone, before any link.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.mycelium.benchmarks.shm.RawRingFloorHarness raw|ring [rounds]
 * [messages] [wakeRounds]}; prints {@code RESULT {json}} lines (suite {@code shm}). Run by
 * {@code benchmarks/run-shm.sh}.
 */
public final class RawRingFloorHarness {

    /** Figures in the contract of {@code mycelium bench}; roles come from benchmarks/suites/shm.suite. */
    private static final ResultLines RESULTS = new ResultLines("shm", System.out);

    private static final long STOP = -1;
    private static final long END_OF_BATCH = -2;
    private static final long ECHO_END = -3;
    private static final long WAKE = -4;
    private static final int RING_CAPACITY = 1 << 20;
    private static final SchemaDigest DIGEST = SchemaDigest.compute("raw ring floor".getBytes());

    private RawRingFloorHarness() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args[1], Path.of(args[2]), Path.of(args[3]));
            return;
        }
        final String impl = args.length > 0 ? args[0] : "raw";
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        final int messages = args.length > 2 ? Integer.parseInt(args[2]) : 5_000_000;
        final int wakeRounds = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        if (!impl.equals("raw") && !impl.equals("ring")) {
            throw new IllegalArgumentException("impl must be raw or ring, not " + impl);
        }
        final Path dir = Files.isDirectory(Path.of("/dev/shm"))
                ? Files.createTempDirectory(Path.of("/dev/shm"), "mycelium-floor")
                : Files.createTempDirectory("mycelium-floor");
        final Path file = dir.resolve("floor.shm." + ProcessHandle.current().pid() + ".1");
        final Path socket = dir.resolve("floor.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            final Lanes lanes = Lanes.create(impl, file);
            final Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xms256m", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    RawRingFloorHarness.class.getName(), "child", impl, file.toString(), socket.toString())
                    .inheritIO().start();
            try (SocketChannel doorbell = server.accept(); lanes) {
                final String name = impl.equals("raw") ? "raw-ring-floor" : "record-ring";
                latency(lanes, rounds, name);
                throughput(lanes, messages, name);
                wakeUp(lanes, doorbell, wakeRounds, name);
                lanes.ping.sendSpinning(STOP);
                doorbell.write(ByteBuffer.wrap(new byte[] {1}));
                if (!child.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("child did not stop");
                }
            } finally {
                child.destroyForcibly();
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static void latency(final Lanes lanes, final int rounds, final String name) {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        for (int run = 0; run < 3; run++) {
            // two warm-up runs of rounds/2, then the measured run
            final int n = run < 2 ? rounds / 2 : rounds;
            histogram.reset();
            for (int i = 0; i < n; i++) {
                final long start = System.nanoTime();
                lanes.ping.sendSpinning(start);
                lanes.pong.receiveSpinning();
                histogram.recordValue((System.nanoTime() - start) / 2);
            }
        }
        lanes.ping.sendSpinning(ECHO_END);
        RESULTS.latency(name + "-latency", null, histogram,
                Map.of("payload", 64, "wait", "spin", "rounds", rounds));
    }

    private static void throughput(final Lanes lanes, final int messages, final String name) {
        double best = 0;
        for (int run = 0; run < 3; run++) {
            final int n = run < 2 ? messages / 2 : messages;
            final long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                lanes.ping.sendSpinning(i);
            }
            lanes.ping.sendSpinning(END_OF_BATCH);
            final long count = lanes.pong.receiveSpinning();
            final long elapsed = System.nanoTime() - start;
            if (count != n) {
                throw new IllegalStateException("child counted " + count + " messages but " + n + " were sent");
            }
            best = n * 1e9 / elapsed;
        }
        RESULTS.throughput(name + "-throughput", null, best,
                Map.of("payload", 64, "wait", "spin", "messages", messages));
    }

    private static void wakeUp(final Lanes lanes, final SocketChannel doorbell, final int rounds, final String name)
            throws IOException {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final ByteBuffer bell = ByteBuffer.allocateDirect(1);
        lanes.ping.sendSpinning(WAKE);
        lanes.pong.receiveSpinning(); // the child acknowledges the switch to parked mode
        for (int i = 0; i < rounds; i++) {
            // give the child time to block in read() again
            LockSupport.parkNanos(200_000);
            lanes.ping.sendSpinning(System.nanoTime());
            bell.clear().put((byte) 1).flip();
            doorbell.write(bell);
            histogram.recordValue(Math.max(0, lanes.pong.receiveSpinning()));
        }
        final Map<String, Object> params = Map.of("payload", 64, "wait", "parked", "doorbell", "unix socket byte",
                "rounds", rounds);
        RESULTS.value(name + "-wakeup", null, "p50_ns", histogram.getValueAtPercentile(50), "ns",
                params);
        RESULTS.value(name + "-wakeup", null, "p99_ns", histogram.getValueAtPercentile(99), "ns",
                params);
    }

    /** The child: echoes until ECHO_END, counts until WAKE (answering END_OF_BATCH with the count), then parks. */
    private static void child(final String impl, final Path file, final Path socket) throws Exception {
        try (SocketChannel doorbell = SocketChannel.open(UnixDomainSocketAddress.of(socket));
             Lanes lanes = Lanes.attach(impl, file)) {
            final RingLane in = lanes.ping;
            final RingLane out = lanes.pong;
            for (long value = in.receiveSpinning(); value != ECHO_END; value = in.receiveSpinning()) {
                out.sendSpinning(value);
            }
            long count = 0;
            for (long value = in.receiveSpinning(); value != WAKE; value = in.receiveSpinning()) {
                if (value == END_OF_BATCH) {
                    out.sendSpinning(count);
                    count = 0;
                } else {
                    count++;
                }
            }
            out.sendSpinning(0);
            final ByteBuffer bell = ByteBuffer.allocateDirect(16);
            while (true) {
                bell.clear();
                if (doorbell.read(bell) < 0) {
                    return;
                }
                final long sent = in.receiveSpinning();
                if (sent == STOP) {
                    return;
                }
                out.sendSpinning(System.nanoTime() - sent);
            }
        }
    }

    /** The two lanes of one process: ping (parent to child) and pong (child to parent), over one mapped file. */
    private static final class Lanes implements AutoCloseable {
        final RingLane ping;
        final RingLane pong;
        final AutoCloseable resource;

        private Lanes(final RingLane ping, final RingLane pong, final AutoCloseable resource) {
            this.ping = ping;
            this.pong = pong;
            this.resource = resource;
        }

        static Lanes create(final String impl, final Path file) throws IOException {
            if (impl.equals("ring")) {
                final ShmSegment segment = ShmSegment.create(file, RING_CAPACITY, RING_CAPACITY, DIGEST,
                        ProcessHandle.current().pid());
                return new Lanes(new RingLane.Record(segment.producer(0), null),
                        new RingLane.Record(null, segment.consumer(1)), segment);
            }
            final FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            final MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, 2L * RawSlotRing.BYTES);
            return new Lanes(new RingLane.Raw(buffer, 0), new RingLane.Raw(buffer, RawSlotRing.BYTES), channel);
        }

        static Lanes attach(final String impl, final Path file) throws IOException {
            if (impl.equals("ring")) {
                final ShmSegment segment = ShmSegment.attach(file, RING_CAPACITY, RING_CAPACITY, DIGEST);
                return new Lanes(new RingLane.Record(null, segment.consumer(0)),
                        new RingLane.Record(segment.producer(1), null), segment);
            }
            final FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            final MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, 2L * RawSlotRing.BYTES);
            return new Lanes(new RingLane.Raw(buffer, 0), new RingLane.Raw(buffer, RawSlotRing.BYTES), channel);
        }

        @Override
        public void close() throws Exception {
            resource.close();
        }
    }
}
