package io.mycelium.benchmarks.transport;

import io.mycelium.api.Delivery;
import io.mycelium.benchmarks.ResultLines;
import io.mycelium.api.RawMessageHandler;
import io.mycelium.bus.impl.BusSettings;
import io.mycelium.bus.impl.MessageBusImpl;
import io.mycelium.testsupport.RawSchema;
import io.mycelium.certs.PemFiles;
import io.mycelium.testsupport.TestCertificates;
import io.mycelium.transport.stream.LinkSecurity;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.PlaintextPolicy;
import io.mycelium.transport.stream.TlsIdentity;
import io.mycelium.transport.stream.OverflowPolicy;
import io.mycelium.transport.stream.StreamEndpoints;
import io.mycelium.transport.stream.StreamTransport;
import io.mycelium.transport.stream.TransportCounter;
import io.mycelium.transport.shm.impl.ShmEndpoints;
import io.mycelium.transport.shm.impl.ShmTransportComponent;
import io.mycelium.transport.tcp.impl.TcpEndpoints;
import io.mycelium.transport.unix.impl.UnixEndpoints;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * Measures two stream transports in one JVM (node a dials node b) over Unix sockets, shared memory (shm: the
 * stream link semantics over mapped rings), TCP, or TCP with TLS 1.3
 * (mutual, certificates of a private CA made at start by the code of {@code bin/mycelium certs}): one-way latency
 * of 64-byte frames as a
 * ping-pong (a publishes PING, b's delivery publishes PONG back, RTT/2 into an HdrHistogram), and throughput of
 * 64-byte frames published back to back (a window of 64 Ki frames in flight, so the writer's gathering writes batch
 * them). Each node has the real bus ({@link MessageBusImpl}), as in a deployed node (the test-support loopback bus
 * made a read-only view per delivery, which was half of what this harness measured). Same method as
 * notes/perf-limits.md; run beside {@code socket_pingpong} (the C floor) with
 * {@code benchmarks/run-transport.sh}. The throughput line also gives the bytes allocated per message by all
 * threads of the JVM during the run (publisher, link reader and writer; {@code ThreadMXBean}), so a transport's
 * steady-state allocation is visible beside its speed.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.mycelium.benchmarks.transport.TransportLatencyHarness unix|tcp|tls|shm
 * [rounds] [messages] [read.spin.micros]}. Prints one line per measurement, in the format of perf-limits.md,
 * and its figures in the result contract of {@code mycelium bench} (docs/benchmarks.md).
 */
public final class TransportLatencyHarness {

    private static final int WINDOW = 64 * 1024;
    private static final long WINDOW_FULL_SLEEP_NANOS = 50_000;
    /** A throughput run in which b receives nothing for this long has lost frames. */
    private static final long STALL_NANOS = 10_000_000_000L;
    private static final int PING = 1001;
    private static final int PONG = 1002;
    private static final int SIZE = 64;
    /** Throughput warm-ups on the measured link, at most (each a quarter of the measured count). */
    private static final int MAX_WARM_UPS = 40;
    /** Throughput warm-up on the measured link, at least (JMH's warm-ups are seconds too). */
    private static final long MIN_WARM_UP_NANOS = 1_000_000_000L;
    /** A warm-up during which the JIT compiled for at most this long leaves the code as the measured run meets it. */
    private static final long QUIET_JIT_MILLIS = 2;

    private final String kind;
    private final Path dir;
    private final long readSpinMicros;
    private final LinkSecurity securityA;
    private final LinkSecurity securityB;
    private final ResultLines results = new ResultLines("transport", System.out);

    private TransportLatencyHarness(final String kind, final Path dir, final long readSpinMicros) throws Exception {
        this.kind = kind;
        this.dir = dir;
        this.readSpinMicros = readSpinMicros;
        if (kind.equals("tls")) {
            final TestCertificates certificates = TestCertificates.create(dir.resolve("tls"), "a", "b");
            securityA = tls(certificates, "a");
            securityB = tls(certificates, "b");
        } else {
            securityA = LinkSecurity.DEFAULT;
            securityB = LinkSecurity.DEFAULT;
        }
    }

    private static LinkSecurity tls(final TestCertificates certificates, final String node) throws Exception {
        return new LinkSecurity(Optional.of(new TlsIdentity(PemFiles.readPrivateKey(certificates.key(node)),
                PemFiles.readCertificates(certificates.certificate(node)),
                PemFiles.readCertificates(certificates.ca()), certificates.ca().toString(),
                certificates.certificate(node).toString())), PlaintextPolicy.LOOPBACK, PlaintextPolicy.LOOPBACK);
    }

    /** The label of the measured transport: uds, tcp, tls or shm. */
    private String label() {
        return kind.equals("unix") ? "uds" : kind;
    }

    public static void main(final String[] args) throws Exception {
        final String kind = args.length > 0 ? args[0] : "unix";
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        final int messages = args.length > 2 ? Integer.parseInt(args[2]) : 5_000_000;
        final long spin = args.length > 3 ? Long.parseLong(args[3]) : LinkSettings.DEFAULT_READ_SPIN_MICROS;
        final Path dir = Files.createTempDirectory("mycelium-bench");
        final TransportLatencyHarness harness = new TransportLatencyHarness(kind, dir, spin);
        for (int warm = 0; warm < 2; warm++) {
            harness.latency(rounds / 2, false);
        }
        harness.latency(rounds, true);
        harness.throughput(messages);
    }

    private Map<String, Object> params(final int count) {
        return Map.of("kind", kind, "spin_us", readSpinMicros, "size", SIZE, "count", count);
    }

    private StreamEndpoints endpoints() {
        if (kind.equals("shm")) {
            return new ShmEndpoints(ShmTransportComponent.DEFAULT_RING_CAPACITY, readSpinMicros);
        }
        return kind.equals("unix") ? new UnixEndpoints(UnixEndpoints.DEFAULT_MODE) : new TcpEndpoints();
    }

    private String listen() {
        if (kind.equals("shm")) {
            return dir.resolve("b.shm").toString();
        }
        return kind.equals("unix") ? dir.resolve("b.sock").toString() : "127.0.0.1:0";
    }

    private LinkSettings settings(final String node) {
        return new LinkSettings(node, 8, 1 << 20, 5_000, 1 << 17, OverflowPolicy.DROP_NEWEST, 128, 1_000, 30_000,
                100, 1_000, 2_000, false, readSpinMicros);
    }

    /** Two 64-byte types, PING and PONG. */
    private static RawSchema schema() throws Exception {
        return new RawSchema("bench", MessageDigest.getInstance("SHA-256").digest("bench".getBytes()),
                Map.of(PING, SIZE, PONG, SIZE));
    }

    /**
     * A node's real bus whose one subscriber (so also its node's interest) is {@code handler} for {@code wanted}; it
     * runs on the link's reader thread.
     */
    private static MessageBusImpl wanting(final int wanted, final RawMessageHandler handler) {
        final MessageBusImpl bus = new MessageBusImpl(BusSettings.defaults());
        bus.subscribeRaw(wanted, handler, Delivery.INLINE);
        return bus;
    }

    /**
     * Ping-pong driven by the two reader threads, like the C floor's two processes: a's delivery of PONG i records
     * the round trip and publishes PING i+1 itself, b's delivery of PING echoes it. The main thread only starts the
     * first PING and blocks until the last PONG, so no third thread spins on the 2 vCPUs.
     */
    private void latency(final int rounds, final boolean report) throws Exception {
        final Histogram histogram = new Histogram(60_000_000_000L, 3);
        final CountDownLatch done = new CountDownLatch(1);
        final ByteBuffer ping = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        final long[] sentAt = new long[1];
        final MessageBusImpl[] busB = new MessageBusImpl[1];
        busB[0] = wanting(PING, (typeId, payload) -> busB[0].publishRaw(PONG, payload));
        final MessageBusImpl[] busA = new MessageBusImpl[1];
        busA[0] = wanting(PONG, (typeId, payload) -> {
            final long now = System.nanoTime();
            final long seq = payload.order(ByteOrder.LITTLE_ENDIAN).getLong(payload.position());
            histogram.recordValue((now - sentAt[0]) / 2);
            if (seq + 1 < rounds) {
                ping.putLong(0, seq + 1);
                sentAt[0] = System.nanoTime();
                busA[0].publishRaw(PING, ping);
            } else {
                done.countDown();
            }
        });
        try (StreamTransport b = new StreamTransport(settings("b"), endpoints(), busB[0], schema(), securityB);
                StreamTransport a = new StreamTransport(settings("a"), endpoints(), busA[0], schema(), securityA)) {
            b.start(listen(), Map.of("a", "127.0.0.1:1")); // b knows a (a TLS listener admits known nodes only)
            a.start("", Map.of("b", b.listenAddress()));
            awaitPeers(a, b);
            ping.putLong(0, 0);
            sentAt[0] = System.nanoTime();
            busA[0].publishRaw(PING, ping);
            if (!done.await(10L + rounds / 1_000L, TimeUnit.SECONDS)) {
                throw new IllegalStateException("ping-pong stalled: " + histogram.getTotalCount() + " of " + rounds
                        + " round trips done; a frame was lost or a link closed (see the log above)");
            }
            if (report) {
                System.out.printf("java-mycelium-%s-lat-64-spin%d p50_ns=%d p99_ns=%d p999_ns=%d mean_ns=%.0f%n",
                        label(), readSpinMicros, histogram.getValueAtPercentile(50),
                        histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9),
                        histogram.getMean());
                results.latency("mycelium-" + label() + "-lat-64-spin" + readSpinMicros, ResultLines.Role.SUBJECT,
                        histogram, params(rounds));
            }
        }
    }

    /**
     * Publishes {@code messages / 4} frames for a second and then until the JIT is quiet (at most
     * {@value #MAX_WARM_UPS} times), then
     * {@code messages} measured, all over one link. With a new link per warm-up, the measured run had C2 still
     * compiling through it (its compiler thread used 126 to 158 ns of CPU per message on 2 vCPUs, more than any link
     * thread), recompiling what the previous link's end and the new link's start had deoptimized; with two fixed
     * warm-ups on the link, still 38 to 45 ns: the measured run must not pay for compiling itself.
     */
    private void throughput(final int messages) throws Exception {
        final AtomicLong received = new AtomicLong();
        final MessageBusImpl busB = wanting(PING, (typeId, payload) -> received.lazySet(received.get() + 1));
        final MessageBusImpl busA = wanting(PONG, (typeId, payload) -> { });
        try (StreamTransport b = new StreamTransport(settings("b"), endpoints(), busB, schema(), securityB);
                StreamTransport a = new StreamTransport(settings("a"), endpoints(), busA, schema(), securityA)) {
            b.start(listen(), Map.of("a", "127.0.0.1:1")); // b knows a (a TLS listener admits known nodes only)
            a.start("", Map.of("b", b.listenAddress()));
            awaitPeers(a, b);
            final ByteBuffer payload = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
            final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            final long warmUntil = System.nanoTime() + MIN_WARM_UP_NANOS;
            for (int run = 0; run < MAX_WARM_UPS; run++) {
                final long compilingBefore = jit.getTotalCompilationTime();
                final long compilerCpuBefore = ThreadCpuMeter.compilerCpuNanos();
                publish(busA, payload, received, messages / 4);
                // Both: the compile time of finished compiles, and the compiler threads' CPU (a long C2 compile
                // still running finished nothing, and then ran through the measured run: 40 to 270 ns/msg).
                if (System.nanoTime() > warmUntil
                        && jit.getTotalCompilationTime() - compilingBefore <= QUIET_JIT_MILLIS
                        && ThreadCpuMeter.compilerCpuNanos() - compilerCpuBefore
                                <= TimeUnit.MILLISECONDS.toNanos(QUIET_JIT_MILLIS)) {
                    break;
                }
            }
            final long framesBefore = a.stats().counter(TransportCounter.FRAMES_SENT);
            final long writesBefore = a.stats().counter(TransportCounter.WRITE_CALLS);
            final long droppedBefore = a.stats().counter(TransportCounter.FRAMES_DROPPED);
            // Before both meters start: the first call loads the management classes (312 KB allocated, and CPU the
            // publisher's line counted as publishing).
            processCpuNanos();
            // The thread meter reads /proc: made before and stopped after the allocation meter's interval.
            final ThreadCpuMeter threadCpu = new ThreadCpuMeter();
            final long cpuStart = processCpuNanos();
            final AllocationMeter allocation = new AllocationMeter();
            final long start = System.nanoTime();
            publish(busA, payload, received, messages);
            final double seconds = (System.nanoTime() - start) / 1e9;
            final long allocated = allocation.bytesSinceStart();
            final double cpuPerMessage = (processCpuNanos() - cpuStart) / (double) messages;
            threadCpu.stop();
            final long writes = a.stats().counter(TransportCounter.WRITE_CALLS) - writesBefore;
            // The CPU of both ends (every thread, user and system) per message: what the path costs, which a
            // loaded machine distorts far less than the rate.
            System.out.printf("java-mycelium-%s-batch-64-spin%d msgs_per_s=%.0f frames_per_write=%.1f"
                    + " dropped=%d alloc_bytes_per_msg=%.1f cpu_ns_per_msg=%.1f%n", label(), readSpinMicros,
                    messages / seconds, (a.stats().counter(TransportCounter.FRAMES_SENT) - framesBefore)
                    / (double) Math.max(1, writes), a.stats().counter(TransportCounter.FRAMES_DROPPED) - droppedBefore,
                    allocated / (double) messages, cpuPerMessage);
            // Where that CPU goes, thread by thread (a diagnostic for profiling, not a result line).
            threadCpu.print(System.out, "  cpu by ", messages);
            final String name = "mycelium-" + label() + "-batch-64-spin" + readSpinMicros;
            results.throughput(name, ResultLines.Role.SUBJECT, messages / seconds, params(messages));
            results.value(name, ResultLines.Role.SUBJECT, "bytes_per_op", allocated / (double) messages, "B/msg",
                    params(messages));
            results.value(name, ResultLines.Role.SUBJECT, "cpu_ns_per_msg", cpuPerMessage, "ns/msg",
                    params(messages));
        }
    }

    /** Publishes {@code count} PINGs back to back with at most a window in flight, and waits until b has them all. */
    private static void publish(final MessageBusImpl busA, final ByteBuffer payload, final AtomicLong received,
            final int count) {
        final long base = received.get();
        for (long i = 0; i < count; i++) {
            // The window is checked every 256 messages only: reading the receiver's counter (a line the reader
            // thread writes per message) on every publish cost the publisher a cache miss per message.
            if ((i & 255) == 0) {
                awaitReceived(received, base + i - (WINDOW - 256) + 1);
            }
            payload.putLong(0, i);
            busA.publishRaw(PING, payload);
        }
        awaitReceived(received, base + count);
    }

    /**
     * Sleeps until b received {@code target} messages in all; fails when it received none for
     * {@link #STALL_NANOS}. A full window sleeps, as the C floor's writer sleeps in the kernel on a full socket:
     * yielding in a loop took a core from the link's writer and reader on 2 vCPUs (50 us is under 1/50 of the
     * window's drain time), and, waiting for the last window, about 20 ns per message of a million on the "cpu by
     * thread main" line (57-59 ns at 1 M messages, 41.5 at 5 M, same build).
     */
    private static void awaitReceived(final AtomicLong received, final long target) {
        long seen = received.get();
        long progressAt = System.nanoTime();
        while (seen < target) {
            LockSupport.parkNanos(WINDOW_FULL_SLEEP_NANOS);
            final long now = received.get();
            if (now != seen) {
                seen = now;
                progressAt = System.nanoTime();
            } else if (System.nanoTime() - progressAt > STALL_NANOS) {
                // Lost frames (dropped, or a link that stopped writing) would otherwise hang the run for good.
                throw new IllegalStateException("b received " + seen + " messages, waiting for " + target
                        + ", and none for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s: frames were"
                        + " dropped or the link stopped");
            }
        }
    }

    /** @return this process's CPU time (user and system, all threads) in nanoseconds */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void awaitPeers(final StreamTransport a, final StreamTransport b) throws InterruptedException {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!wantsOne(a) || !wantsOne(b)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the two transports did not link within 10 s");
            }
            Thread.sleep(1);
        }
    }

    private static boolean wantsOne(final StreamTransport transport) {
        return transport.stats().links().stream().anyMatch(link -> link.peerTypeIds() == 1);
    }
}
