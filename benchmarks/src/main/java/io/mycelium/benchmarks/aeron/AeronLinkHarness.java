package io.mycelium.benchmarks.aeron;

import io.mycelium.benchmarks.ResultLines;
import io.mycelium.api.Delivery;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.testsupport.RawSchema;
import io.mycelium.transport.aeron.impl.AeronDriver;
import io.mycelium.transport.aeron.impl.AeronTransport;
import io.mycelium.transport.stream.LinkSettings;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our Aeron link measured like the raw floor ({@link RawAeronHarness}) it must stay near: two nodes, each with its
 * own bus ({@link LoopbackBus}), embedded media driver ({@link AeronDriver}, the node's settings) and
 * {@link AeronTransport}, linked over {@code aeron:udp} on 127.0.0.1 in one JVM. One-way latency of 64-byte messages
 * as a bus-to-bus ping-pong driven by the two link threads (node b's delivery of PING publishes PONG, node a's
 * delivery of PONG records RTT/2 and publishes the next PING), and throughput of 64-byte messages published back to
 * back with at most {@value #WINDOW} unreceived (under the publication window, so the link's DROP_NEWEST never
 * fires; drops, if any, are reported). Then the idle CPU of one node (driver + link thread + client conductor) over
 * {@value #IDLE_SECONDS} s, as a percentage of one core.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.mycelium.benchmarks.aeron.AeronLinkHarness [rounds] [messages]
 * [max park µs]}, the last as the node's {@code mycelium.aeron.idle.max.park.us} (default 1000).
 * Prints {@code RESULT <json>} lines (suite {@code aeron}, role {@code subject}).
 */
public final class AeronLinkHarness {

    private static final Logger LOG = LoggerFactory.getLogger("aeron-bench");
    private static final int PING = 1001;
    private static final int PONG = 1002;
    private static final int SIZE = 64;
    /**
     * Frames in flight: as many as the raw floor's publisher may have ahead of its receiver, the publication's term
     * window (half the 1 MiB term), at 96 bytes a frame (32 Aeron header, 64 payload; the type id rides in the
     * header's reserved value), less room for the links' own PINGs. A smaller window caps throughput at window /
     * pipeline delay, and the pipeline's threads back off up to 1 ms each.
     */
    private static final int WINDOW = 5_000;
    private static final int IDLE_SECONDS = 10;

    private final Path dir;
    private final long maxPark;
    private final RawSchema schema;
    private final ResultLines out = new ResultLines("aeron", System.out);

    private AeronLinkHarness(final Path dir, final long maxPark) throws Exception {
        this.dir = dir;
        this.maxPark = maxPark;
        this.schema = new RawSchema("bench", MessageDigest.getInstance("SHA-256").digest("bench".getBytes()),
                Map.of(PING, SIZE, PONG, SIZE));
    }

    public static void main(final String[] args) throws Exception {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        final int messages = args.length > 1 ? Integer.parseInt(args[1]) : 5_000_000;
        // the longest idle park of the drivers and link threads (the node's mycelium.aeron.idle.max.park.us)
        final long maxPark = args.length > 2 ? Long.parseLong(args[2]) * 1_000 : AeronDriver.IDLE_MAX_PARK_NANOS;
        final AeronLinkHarness harness = new AeronLinkHarness(Files.createTempDirectory("mycelium-aeron-link"),
                maxPark);
        try (Pair pair = harness.pair()) {
            for (int warm = 0; warm < 2; warm++) {
                pair.latency(rounds / 2);
                pair.throughput(messages / 2);
            }
            final Histogram histogram = pair.latency(rounds);
            harness.out.latency("mycelium-aeron-lat-64", ResultLines.Role.SUBJECT, histogram, Map.of("size", SIZE, "rounds",
                    rounds, "channel", "aeron:udp?endpoint=127.0.0.1", "resent", pair.resent, "max_ns",
                    histogram.getMaxValue(), "max_park_us", maxPark / 1_000));
            if (pair.resent > 0) {
                // lost round trips are the link's to explain: its counters say whether it knows of a drop
                System.err.println("aeron link ping-pong re-sent " + pair.resent + " pings; counters of a: "
                        + pair.a.stats().counters() + "; of b: " + pair.b.stats().counters());
            }
            final long[] result = pair.throughput(messages);
            harness.out.value("mycelium-aeron-batch-64", ResultLines.Role.SUBJECT, "msgs_per_s", result[0], "msg/s",
                    Map.of("size", SIZE, "messages", messages, "window", WINDOW, "dropped", result[1],
                            "max_park_us", maxPark / 1_000));
        }
        harness.idleCpu();
    }

    /** Two linked nodes a and b, each wanting the other's type. */
    private Pair pair() throws Exception {
        return new Pair();
    }

    /** CPU of one node doing nothing, sampled over {@value #IDLE_SECONDS} s after a 2 s settle. */
    private void idleCpu() throws Exception {
        final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (AeronDriver driver = AeronDriver.embedded(dir.resolve("idle"), "idle", maxPark, LOG);
                AeronTransport transport = new AeronTransport(LinkSettings.defaults("idle"), driver.directory(),
                        AeronTransport.DEFAULT_STREAM_ID, new LoopbackBus(), schema, maxPark, LOG)) {
            transport.start("aeron:udp?endpoint=127.0.0.1:" + RawAeronHarnessPorts.free(), Map.of());
            TimeUnit.SECONDS.sleep(2); // let start-up work finish before sampling (a measurement, not a wait)
            final long cpu = os.getProcessCpuTime();
            final long start = System.nanoTime();
            TimeUnit.SECONDS.sleep(IDLE_SECONDS);
            final double percent = 100.0 * (os.getProcessCpuTime() - cpu) / (System.nanoTime() - start);
            out.value("mycelium-aeron-idle-node", ResultLines.Role.SUBJECT, "cpu_percent", percent, "% of one core",
                    Map.of("seconds", IDLE_SECONDS, "threading", "SHARED+backoff", "max_park_us", maxPark / 1_000));
        }
    }

    /** Two nodes linked over Aeron; the handlers of the current measurement are swapped in per run. */
    private final class Pair implements AutoCloseable {
        private final AeronDriver driverA = AeronDriver.embedded(dir.resolve("a"), "a", maxPark, LOG);
        private final AeronDriver driverB = AeronDriver.embedded(dir.resolve("b"), "b", maxPark, LOG);
        private final LoopbackBus busA = new LoopbackBus();
        private final LoopbackBus busB = new LoopbackBus();
        private final AeronTransport a;
        private final AeronTransport b;
        private final ByteBuffer ping = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        private final AtomicLong received = new AtomicLong();
        private volatile boolean counting;
        private Histogram histogram;
        private CountDownLatch done;
        private int rounds;
        private volatile long sentAt;
        /** The sequence number of the PONG awaited. */
        private volatile long expected;
        /** Round trips completed in the current run (seen by the main thread's stall check). */
        private volatile long completed;
        /** Pings sent again after a stall (2 s in which no round trip completed). */
        private long resent;

        Pair() throws Exception {
            // b echoes PING as PONG (latency) or counts it (throughput); a records PONG and sends the next PING
            busB.subscribeRaw(PING, (typeId, payload) -> {
                if (counting) {
                    received.lazySet(received.get() + 1);
                } else {
                    busB.publishRaw(PONG, payload);
                }
            }, Delivery.INLINE);
            busA.subscribeRaw(PONG, (typeId, payload) -> {
                final long now = System.nanoTime();
                final long seq = payload.order(ByteOrder.LITTLE_ENDIAN).getLong(payload.position());
                if (seq != expected) {
                    return; // the answer to a ping that was re-sent after a loss
                }
                histogram.recordValue((now - sentAt) / 2);
                completed = seq + 1;
                if (seq + 1 < rounds) {
                    expected = seq + 1;
                    ping.putLong(0, seq + 1);
                    sentAt = System.nanoTime();
                    busA.publishRaw(PING, ping);
                } else {
                    done.countDown();
                }
            }, Delivery.INLINE);
            final String channelA = "aeron:udp?endpoint=127.0.0.1:" + RawAeronHarnessPorts.free();
            final String channelB = "aeron:udp?endpoint=127.0.0.1:" + RawAeronHarnessPorts.free();
            a = new AeronTransport(LinkSettings.defaults("a"), driverA.directory(), AeronTransport.DEFAULT_STREAM_ID,
                    busA, schema, maxPark, LOG);
            b = new AeronTransport(LinkSettings.defaults("b"), driverB.directory(), AeronTransport.DEFAULT_STREAM_ID,
                    busB, schema, maxPark, LOG);
            b.start(channelB, Map.of("a", channelA));
            a.start(channelA, Map.of("b", channelB));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (busA.taps(PING) == 0 || busB.taps(PONG) == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the two Aeron transports did not link within 30 s");
                }
                Thread.sleep(1);
            }
        }

        Histogram latency(final int count) throws InterruptedException {
            counting = false;
            rounds = count;
            histogram = new Histogram(60_000_000_000L, 3);
            done = new CountDownLatch(1);
            expected = 0;
            completed = 0;
            ping.putLong(0, 0);
            sentAt = System.nanoTime();
            busA.publishRaw(PING, ping);
            long seen = 0;
            int quiet = 0;
            while (!done.await(2, TimeUnit.SECONDS)) {
                // the run is longer than 2 s: only a window in which no round trip completed is a stall (a frame
                // lost, or a link reset on an overloaded machine); the link thread would wait forever, so the main
                // thread sends the awaited ping again, and counts and says so
                final long now = completed;
                if (now != seen) {
                    seen = now;
                    quiet = 0;
                    continue;
                }
                if (++quiet > 10) {
                    throw new IllegalStateException("Aeron ping-pong stalled after " + now + " of " + count
                            + " round trips (the link closed? see the log)");
                }
                resent++;
                System.err.println("aeron link ping-pong: no answer for 2 s after " + now + " round trips;"
                        + " re-sending ping " + expected);
                final ByteBuffer again = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
                again.putLong(0, expected);
                busA.publishRaw(PING, again);
            }
            return histogram;
        }

        /** Returns {messages per second received, messages dropped}. */
        long[] throughput(final int messages) throws InterruptedException {
            counting = true;
            received.set(0);
            final ByteBuffer payload = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
            final long start = System.nanoTime();
            // a full window waits as the raw floor's publisher waits on a back-pressured offer: with the link's
            // back-off (spin, yield, park up to 1 ms); spinning here took a core from the drivers and link threads
            final IdleStrategy idle = RawAeronHarness.linkBackoff(maxPark);
            for (long i = 0; i < messages; i++) {
                idle.reset();
                while (i - received.get() >= WINDOW) {
                    idle.idle();
                }
                payload.putLong(0, i);
                busA.publishRaw(PING, payload);
            }
            long last = -1;
            long lastChange = System.nanoTime();
            final long end;
            while (true) {
                final long now = System.nanoTime();
                final long r = received.get();
                if (r >= messages) {
                    end = now;
                    break;
                }
                if (r != last) {
                    last = r;
                    lastChange = now;
                } else if (now - lastChange > TimeUnit.SECONDS.toNanos(1)) {
                    end = lastChange; // the rest was dropped: rate over what arrived
                    break;
                }
                Thread.yield();
            }
            final double seconds = (end - start) / 1e9;
            return new long[] {(long) (received.get() / seconds), messages - received.get()};
        }

        @Override
        public void close() {
            a.close();
            b.close();
            driverA.close();
            driverB.close();
        }
    }
}
