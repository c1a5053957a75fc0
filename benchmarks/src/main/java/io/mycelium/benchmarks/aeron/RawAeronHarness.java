package io.mycelium.benchmarks.aeron;

import io.mycelium.benchmarks.ResultLines;
import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.mycelium.transport.aeron.impl.AeronDriver;

import java.io.File;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * The raw Aeron floor of our Aeron link: two processes (this one pings, a child JVM it starts pongs), each with its
 * own embedded media driver under a temp directory, talking over {@code aeron:udp} on 127.0.0.1 with no bus. It
 * measures one-way latency of 64-byte messages as a ping-pong (RTT/2 into an HdrHistogram) and throughput of 64-byte
 * messages offered back to back (Aeron batches them in its term buffer; the pong process acknowledges the last one).
 * Two warm-up rounds of half size, then one measured round of each.
 *
 * <p>The driver runs {@link ThreadingMode#SHARED} with 1 MiB terms and the back-off of the node's embedded driver,
 * and the application threads poll with {@code idle}: {@code backoff} (the default) is the link thread's own
 * strategy (spin, yield, park up to 1 ms), so floor and link are comparable; {@code busy} and {@code yield} show what
 * a spinning application would get.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.mycelium.benchmarks.aeron.RawAeronHarness [rounds] [messages]
 * [idle]} with idle {@code backoff} (default), {@code backoff-<max park µs>}, {@code yield} or {@code busy}. Prints {@code RESULT <json>} lines (suite {@code aeron}, role {@code floor}).
 */
public final class RawAeronHarness {

    private static final int SIZE = 64;
    private static final int PING_STREAM = 1001;
    private static final int PONG_STREAM = 1002;
    private static final int FRAGMENTS = 64;
    /** The throughput round's final message carries this in its first long; the pong process echoes it. */
    private static final long END = -1L;
    /** The second long of a throughput message: the pong process counts it instead of echoing it. */
    private static final long COUNTED = 1L;

    private RawAeronHarness() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("pong")) {
            pong(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3]);
            return;
        }
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        final int messages = args.length > 1 ? Integer.parseInt(args[1]) : 5_000_000;
        final String idle = args.length > 2 ? args[2] : "backoff";
        final int pingPort = RawAeronHarnessPorts.free();
        final int pongPort = RawAeronHarnessPorts.free();
        final Path dir = Files.createTempDirectory("mycelium-aeron-bench");
        final Process child = startPong(pingPort, pongPort, idle);
        try (MediaDriver driver = MediaDriver.launchEmbedded(driverContext(dir.resolve("ping"), idle));
                Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
                Publication publication = aeron.addPublication(channel(pingPort), PING_STREAM);
                Subscription subscription = aeron.addSubscription(channel(pongPort), PONG_STREAM)) {
            final Ping ping = new Ping(publication, subscription, idleStrategy(idle));
            ping.awaitConnected(child);
            for (int warm = 0; warm < 2; warm++) {
                ping.latency(rounds / 2);
                ping.throughput(messages / 2);
            }
            final Histogram histogram = ping.latency(rounds);
            final double rate = ping.throughput(messages);
            final Map<String, Object> params = Map.of("size", SIZE, "idle", idle, "rounds", rounds,
                    "channel", "aeron:udp?endpoint=127.0.0.1");
            final ResultLines out = new ResultLines("aeron", System.out);
            out.latency("raw-aeron-udp-lat-64", ResultLines.Role.FLOOR, histogram, params);
            out.value("raw-aeron-udp-batch-64", ResultLines.Role.FLOOR, "msgs_per_s", rate, "msg/s",
                    Map.of("size", SIZE, "idle", idle, "messages", messages));
            ping.stop();
        } finally {
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    /** The channel both ends of one direction use: a unicast UDP endpoint on loopback. */
    static String channel(final int port) {
        return "aeron:udp?endpoint=127.0.0.1:" + port;
    }

    /**
     * The embedded driver's settings: one shared agent thread that backs off when idle (the link's choice for a
     * 2-core machine), its directory deleted on start and stop.
     */
    static MediaDriver.Context driverContext(final Path dir, final String idle) {
        return new MediaDriver.Context().aeronDirectoryName(dir.toString()).threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(idle.equals("busy") ? new BusySpinIdleStrategy() : linkBackoff(maxParkNanos(idle)))
                .publicationTermBufferLength(1 << 20).ipcTermBufferLength(1 << 20)
                .dirDeleteOnStart(true).dirDeleteOnShutdown(true);
    }

    /**
     * The back-off of the link thread and the embedded driver, taken from the link itself ({@link
     * AeronDriver#idleStrategy}: spin, yield, then park up to {@code maxParkNanos}), so floor and link idle alike.
     */
    static IdleStrategy linkBackoff(final long maxParkNanos) {
        return AeronDriver.idleStrategy(maxParkNanos);
    }

    /** {@code backoff} parks up to the node's default ({@link AeronDriver#IDLE_MAX_PARK_NANOS}), {@code backoff-N} N µs. */
    static long maxParkNanos(final String idle) {
        return idle.startsWith("backoff-") ? Long.parseLong(idle.substring("backoff-".length())) * 1_000
                : AeronDriver.IDLE_MAX_PARK_NANOS;
    }

    static IdleStrategy idleStrategy(final String name) {
        if (name.equals("backoff") || name.startsWith("backoff-")) {
            return linkBackoff(maxParkNanos(name));
        }
        return switch (name) {
            case "busy" -> new BusySpinIdleStrategy();
            case "yield" -> new YieldingIdleStrategy();
            default -> throw new IllegalArgumentException("idle must be busy, yield, backoff or backoff-<max park µs>,"
                    + " not " + name);
        };
    }

    private static Process startPong(final int pingPort, final int pongPort, final String idle) throws Exception {
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms256m", "-Xmx256m",
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                RawAeronHarness.class.getName(), "pong", Integer.toString(pingPort), Integer.toString(pongPort),
                idle));
        return new ProcessBuilder(command).inheritIO().start();
    }

    /** The echo process: every PING comes back as a PONG with the same bytes; a PONG with {@link #END} stops it. */
    private static void pong(final int pingPort, final int pongPort, final String idle) throws Exception {
        final Path dir = Files.createTempDirectory("mycelium-aeron-pong");
        try (MediaDriver driver = MediaDriver.launchEmbedded(driverContext(dir.resolve("pong"), idle));
                Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
                Subscription subscription = aeron.addSubscription(channel(pingPort), PING_STREAM);
                Publication publication = aeron.addPublication(channel(pongPort), PONG_STREAM)) {
            final IdleStrategy idleStrategy = idleStrategy(idle);
            final boolean[] stop = new boolean[1];
            final long[] count = new long[1];
            final UnsafeBuffer ack = new UnsafeBuffer(new byte[SIZE]);
            final FragmentHandler echo = (buffer, offset, length, header) -> {
                final long seq = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
                if (seq == Long.MIN_VALUE) {
                    stop[0] = true;
                } else if (buffer.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN) == COUNTED) { // answer only the last
                    count[0]++;
                    if (seq == END) {
                        ack.putLong(0, count[0], ByteOrder.LITTLE_ENDIAN);
                        count[0] = 0;
                        offer(publication, ack, SIZE, idleStrategy);
                    }
                } else {
                    offer(publication, buffer, offset, length, idleStrategy);
                }
            };
            while (!stop[0]) {
                idleStrategy.idle(subscription.poll(echo, FRAGMENTS));
            }
        }
        deleteTree(dir.toFile());
    }

    private static void offer(final Publication publication, final DirectBuffer buffer, final int length,
                              final IdleStrategy idle) {
        offer(publication, buffer, 0, length, idle);
    }

    private static void offer(final Publication publication, final DirectBuffer buffer, final int offset,
                              final int length, final IdleStrategy idle) {
        idle.reset();
        long result;
        while ((result = publication.offer(buffer, offset, length)) < 0) {
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                throw new IllegalStateException("publication " + publication.channel() + " failed: " + result);
            }
            idle.idle();
        }
    }

    private static void deleteTree(final File file) {
        final File[] children = file.listFiles();
        if (children != null) {
            for (final File child : children) {
                deleteTree(child);
            }
        }
        file.delete();
    }

    /** The pinging side; runs on the main thread only. */
    private static final class Ping {
        private final Publication publication;
        private final Subscription subscription;
        private final IdleStrategy idle;
        private final UnsafeBuffer message = new UnsafeBuffer(new byte[SIZE]);
        private final long[] received = new long[2];
        private final FragmentHandler onPong;
        private Histogram histogram;
        private long sentAt;

        Ping(final Publication publication, final Subscription subscription, final IdleStrategy idle) {
            this.publication = publication;
            this.subscription = subscription;
            this.idle = idle;
            this.onPong = (buffer, offset, length, header) -> {
                if (histogram != null) {
                    histogram.recordValue((System.nanoTime() - sentAt) / 2);
                }
                received[0]++;
                received[1] = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
            };
        }

        void awaitConnected(final Process child) {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!publication.isConnected() || !subscription.isConnected()) {
                if (!child.isAlive()) {
                    throw new IllegalStateException("the pong process exited with " + child.exitValue()
                            + " (see its output above)");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the pong process did not connect within 30 s");
                }
                Thread.onSpinWait();
                idle.idle(0);
            }
        }

        Histogram latency(final int rounds) {
            message.putLong(8, 0L, ByteOrder.LITTLE_ENDIAN);
            histogram = new Histogram(60_000_000_000L, 3);
            for (long i = 0; i < rounds; i++) {
                message.putLong(0, i, ByteOrder.LITTLE_ENDIAN);
                final long before = received[0];
                sentAt = System.nanoTime();
                offer(publication, message, SIZE, idle);
                idle.reset();
                while (received[0] == before) {
                    idle.idle(subscription.poll(onPong, FRAGMENTS));
                }
            }
            final Histogram result = histogram;
            histogram = null;
            return result;
        }

        double throughput(final int messages) {
            message.putLong(8, COUNTED, ByteOrder.LITTLE_ENDIAN);
            final long start = System.nanoTime();
            for (long i = 0; i < messages - 1; i++) {
                message.putLong(0, i, ByteOrder.LITTLE_ENDIAN);
                offer(publication, message, SIZE, idle);
            }
            message.putLong(0, END, ByteOrder.LITTLE_ENDIAN);
            final long before = received[0];
            offer(publication, message, SIZE, idle);
            idle.reset();
            while (received[0] == before) {
                idle.idle(subscription.poll(onPong, FRAGMENTS));
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            if (received[1] != messages) {
                throw new IllegalStateException("the pong process counted " + received[1] + " of " + messages
                        + " messages");
            }
            return messages / seconds;
        }

        void stop() {
            message.putLong(8, 0L, ByteOrder.LITTLE_ENDIAN);
            message.putLong(0, Long.MIN_VALUE, ByteOrder.LITTLE_ENDIAN);
            offer(publication, message, SIZE, idle);
        }
    }
}
