package io.mycelium.benchmarks.transport;

import io.mycelium.api.Delivery;
import io.mycelium.benchmarks.ResultLines;
import io.mycelium.bus.impl.BusSettings;
import io.mycelium.bus.impl.MessageBusImpl;
import io.mycelium.testsupport.RawSchema;
import io.mycelium.transport.stream.LinkSecurity;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.OverflowPolicy;
import io.mycelium.transport.stream.StreamEndpoints;
import io.mycelium.transport.stream.StreamTransport;
import io.mycelium.transport.stream.TransportCounter;
import io.mycelium.transport.tcp.impl.TcpEndpoints;
import io.mycelium.transport.unix.impl.UnixEndpoints;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end throughput through two real buses in two JVMs: a publisher on node a publishes 64-byte messages on
 * a's bus ({@link MessageBusImpl}), a's stream transport carries them over one link (Unix socket or TCP) to node b in
 * another JVM, whose transport hands them to b's bus, whose inline subscriber counts them. Nothing is short-cut:
 * the path is publisher, bus, tap, link ring, socket, frame decoder, peer bus, subscriber.
 *
 * <p>Flow control is end to end as well: b's subscriber publishes an ACK (the count received) back over the link
 * every {@value #ACK_EVERY} messages, and a's publisher keeps at most {@value #WINDOW} messages unacknowledged, so
 * the queue never overflows (a drop would show as {@code dropped} and the run would stall, reported as such). A
 * publisher out of credit parks until the ACK arrives, as a real one under flow control blocks.
 *
 * <p>One link carries two warm-up runs of {@code max(messages / 4, 2 M)} and then the measured run of
 * {@code messages}, so the JIT has finished on both nodes before the measurement. With {@code E2E_THREAD_CPU} set
 * both nodes print each thread's CPU per message (the JVM's own threads too: compiler, GC); node b's heap
 * allocation per message is always printed beside node a's.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.mycelium.benchmarks.transport.TwoBusHarness unix|tcp [messages]
 * [read.spin.micros]}; the harness starts node b itself ({@code ... TwoBusHarness node-b <kind> <dir> <spin>}, the
 * same JVM options but a flight recording; {@code NODE_B_OPTS} adds options for node b alone). Prints a
 * {@code RESULT} line (suite {@code transport}, name {@code mycelium-e2e-<uds|tcp>-64-spin<N>}) and one line in the
 * format of {@code run-transport.sh}.
 */
public final class TwoBusHarness {

    private static final int DATA = 1001;
    private static final int ACK = 1002;
    private static final int SIZE = 64;
    private static final int WINDOW = 32 * 1024;
    private static final int ACK_EVERY = 4 * 1024;
    /** The fewest messages a warm-up run publishes. */
    private static final long WARMUP_MIN = 2_000_000;
    /** Node b's process CPU time over the last run (its "CPU" line), -1 until it arrives. */
    private static final AtomicLong receiverCpu = new AtomicLong(-1);
    /** Node b's heap allocation over the last run (its "ALLOC" line), -1 until it arrives. */
    private static final AtomicLong receiverAllocated = new AtomicLong(-1);

    private TwoBusHarness() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("node-b")) {
            nodeB(args[1], Path.of(args[2]), Long.parseLong(args[3]));
            return;
        }
        final String kind = args.length > 0 ? args[0] : "unix";
        if (!kind.equals("unix") && !kind.equals("tcp")) {
            throw new IllegalArgumentException("transport kind '" + kind + "' is not unix or tcp; usage: TwoBusHarness"
                    + " unix|tcp [messages] [read.spin.micros]");
        }
        final long messages = args.length > 1 ? Long.parseLong(args[1]) : 20_000_000L;
        final long spin = args.length > 2 ? Long.parseLong(args[2]) : LinkSettings.DEFAULT_READ_SPIN_MICROS;
        final Path dir = Files.createTempDirectory("mycelium-e2e");
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String option : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // The JVM options of node a, except a flight recording (its file would be shared); NODE_B_OPTS adds any.
            if (!option.startsWith("-XX:StartFlightRecording")) {
                command.add(option);
            }
        }
        final String extra = System.getenv("NODE_B_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TwoBusHarness.class.getName());
        command.add("node-b");
        command.add(kind);
        command.add(dir.toString());
        command.add(Long.toString(spin));
        final Process b = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            final BufferedReader out = new BufferedReader(new InputStreamReader(b.getInputStream(),
                    StandardCharsets.UTF_8));
            String address = null;
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("LISTENING ")) {
                    address = line.substring("LISTENING ".length());
                    break;
                }
                System.out.println("[node b] " + line);
            }
            if (address == null) {
                throw new IllegalStateException("node b ended before listening (exit " + b.waitFor() + ")");
            }
            final Thread echo = new Thread(() -> {
                try {
                    String l;
                    while ((l = out.readLine()) != null) {
                        if (l.startsWith("ALLOC ")) {
                            receiverAllocated.set(Long.parseLong(l.substring("ALLOC ".length()).trim()));
                        }
                        if (l.startsWith("CPU ")) {
                            receiverCpu.set(Long.parseLong(l.substring("CPU ".length()).trim()));
                        }
                        System.out.println("[node b] " + l);
                    }
                } catch (final java.io.IOException e) {
                    // node b ended
                }
            }, "node-b-output");
            echo.setDaemon(true);
            echo.start();
            // Two warm-up runs, so that the JIT has compiled the whole path, with each run's start and end seen,
            // before the measured one: a short warm-up left C2 compiling through the measured run on both nodes
            // (~60 ns of compiler CPU per message in a run of ten million).
            publisher(kind, address, spin, Math.max(messages / 4, WARMUP_MIN), messages);
        } finally {
            b.destroy();
            b.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static LinkSettings settings(final String node, final long spin) {
        // Defaults except the queue, which holds the window (frames in flight) so flow control, not drops, paces.
        final LinkSettings d = LinkSettings.defaults(node);
        return new LinkSettings(node, d.maxConnections(), d.maxPayloadLength(), d.handshakeTimeoutMillis(),
                2 * WINDOW, OverflowPolicy.DROP_NEWEST, d.slotSize(), d.heartbeatIntervalMillis(),
                d.livenessTimeoutMillis(), d.reconnectInitialMillis(), d.reconnectMaxMillis(),
                d.connectTimeoutMillis(), d.closeOnUnknownType(), spin);
    }

    private static StreamEndpoints endpoints(final String kind) {
        return kind.equals("unix") ? new UnixEndpoints(UnixEndpoints.DEFAULT_MODE) : new TcpEndpoints();
    }

    private static RawSchema schema() throws Exception {
        return new RawSchema("e2e", MessageDigest.getInstance("SHA-256").digest("e2e".getBytes()),
                Map.of(DATA, SIZE, ACK, SIZE));
    }

    /** Node b: a bus whose inline subscriber counts DATA and acknowledges; serves until killed. */
    private static void nodeB(final String kind, final Path dir, final long spin) throws Exception {
        final MessageBusImpl bus = new MessageBusImpl(BusSettings.defaults());
        final ByteBuffer ack = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        final Receiver receiver = new Receiver(bus);
        bus.subscribeRaw(DATA, receiver::onData, Delivery.INLINE);
        final StreamTransport transport = new StreamTransport(settings("b", spin), endpoints(kind), bus, schema(),
                LinkSecurity.DEFAULT);
        transport.start(kind.equals("unix") ? dir.resolve("b.sock").toString() : "127.0.0.1:0", Map.of());
        System.out.println("LISTENING " + transport.listenAddress());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /**
     * Node b's subscriber: counts DATA and acknowledges every {@value #ACK_EVERY}. The rare work (a run's start and
     * end) is out of line, so the compiled hot path stays small and no rare branch deoptimizes it in a measured run.
     */
    private static final class Receiver {
        private final MessageBusImpl bus;
        private final ByteBuffer ack = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        /** E2E_THREAD_CPU (inherited from node a): where this process's CPU went, thread by thread, per message. */
        private final boolean threadCpu = System.getenv("E2E_THREAD_CPU") != null;
        private long received;
        private long cpuAtStart;
        private ThreadCpuMeter meter;
        private AllocationMeter allocation;

        Receiver(final MessageBusImpl bus) {
            this.bus = bus;
        }

        void onData(final int typeId, final ByteBuffer payload) {
            final long count = ++received;
            final long seq = payload.order(ByteOrder.LITTLE_ENDIAN).getLong(payload.position());
            if (seq < 0) {
                start();
            } else if (seq == Long.MAX_VALUE) {
                end(count);
            } else if (count % ACK_EVERY == 0) {
                acknowledge(count);
            }
        }

        /** A new run: the publisher restarts its numbering. */
        private void start() {
            received = 0;
            cpuAtStart = processCpuNanos();
            meter = threadCpu ? new ThreadCpuMeter() : null;
            allocation = new AllocationMeter();
        }

        private void end(final long count) {
            // The CPU this process (reader, bus, subscriber, and the kernel for it) spent on the run.
            final long allocated = allocation.bytesSinceStart();
            final long cpu = processCpuNanos() - cpuAtStart;
            if (meter != null) {
                meter.stop();
            }
            // The heap this process's threads allocated in the run (the path must allocate nothing).
            System.out.println("ALLOC " + allocated);
            System.out.println("CPU " + cpu);
            if (meter != null) {
                meter.print(System.out, "  receiver ", count);
            }
            System.out.flush();
            acknowledge(count);
        }

        private void acknowledge(final long count) {
            ack.putLong(0, count);
            bus.publishRaw(ACK, ack);
        }
    }

    /**
     * Node a: links to b, and over that one link (as a deployment keeps its links) runs two warm-ups of
     * {@code warmup} messages and then the measured run of {@code messages}.
     */
    private static void publisher(final String kind, final String address, final long spin, final long warmup,
            final long messages) throws Exception {
        final MessageBusImpl bus = new MessageBusImpl(BusSettings.defaults());
        final Credit acked = new Credit();
        bus.subscribeRaw(ACK, (typeId, payload) -> acked.acknowledged(
                payload.order(ByteOrder.LITTLE_ENDIAN).getLong(payload.position())), Delivery.INLINE);
        try (StreamTransport a = new StreamTransport(settings("a", spin), endpoints(kind), bus, schema(),
                LinkSecurity.DEFAULT)) {
            a.start("", Map.of("b", address));
            final long deadline = System.nanoTime() + 30_000_000_000L;
            while (a.stats().links().stream().noneMatch(link -> link.peerTypeIds() == 1)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("node b's interest did not reach node a within 30 s");
                }
                Thread.sleep(1);
            }
            // Two warm-up runs, so that the JIT has compiled the whole path, each run's start and end seen, before
            // the measured one: a short warm-up on a new link per run left C2 compiling (and recompiling after
            // the rare branches of a run's start and end) through the measured run on both nodes, ~60 ns of
            // compiler CPU per message in a run of ten million.
            run(kind, spin, bus, a, acked, warmup, false);
            run(kind, spin, bus, a, acked, warmup, false);
            run(kind, spin, bus, a, acked, messages, true);
        } finally {
            bus.close();
        }
    }

    /** One run of {@code messages} over node a's link; reports when {@code report}. */
    private static void run(final String kind, final long spin, final MessageBusImpl bus, final StreamTransport a,
            final Credit acked, final long messages, final boolean report) throws Exception {
        acked.reset();
        final ByteBuffer payload = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        payload.putLong(0, -1);
        bus.publishRaw(DATA, payload);
        final long writesBefore = a.stats().counter(TransportCounter.WRITE_CALLS);
        final long sentBefore = a.stats().counter(TransportCounter.FRAMES_SENT);
        final long droppedBefore = a.stats().counter(TransportCounter.FRAMES_DROPPED);
        final AllocationMeter allocation = new AllocationMeter();
        receiverCpu.set(-1);
        receiverAllocated.set(-1);
        final long cpuStart = processCpuNanos();
        final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        final long publisherCpuStart = threads.getCurrentThreadCpuTime();
        final ThreadCpuMeter meter = report && System.getenv("E2E_THREAD_CPU") != null ? new ThreadCpuMeter()
                : null;
        final long start = System.nanoTime();
        publishAll(bus, payload, messages, acked, a);
        final double seconds = (System.nanoTime() - start) / 1e9;
        final long senderCpu = processCpuNanos() - cpuStart;
        final long publisherCpu = threads.getCurrentThreadCpuTime() - publisherCpuStart;
        if (meter != null) {
            meter.stop();
        }
        final long allocated = allocation.bytesSinceStart();
        final long cpuDeadline = System.nanoTime() + 2_000_000_000L;
        while (receiverCpu.get() < 0 && System.nanoTime() < cpuDeadline) {
            Thread.sleep(1);
        }
        if (meter != null) {
            // Where node a's CPU went, thread by thread (E2E_THREAD_CPU set): ns per message.
            meter.print(System.out, "  sender ", messages);
        }
        if (report) {
            final double rate = messages / seconds;
            final long writes = a.stats().counter(TransportCounter.WRITE_CALLS) - writesBefore;
            final double perWrite = (a.stats().counter(TransportCounter.FRAMES_SENT) - sentBefore)
                    / (double) Math.max(1, writes);
            final String label = kind.equals("unix") ? "uds" : kind;
            // CPU per message of each process (user and system, every thread): what the path costs, which a
            // loaded machine distorts far less than the rate.
            System.out.printf(Locale.ROOT, "java-mycelium-e2e-%s-64-spin%d msgs_per_s=%.0f frames_per_write=%.1f"
                    + " dropped=%d alloc_bytes_per_msg=%.1f (receiver %.1f) cpu_ns_per_msg_sender=%.1f"
                    + " (publisher thread %.1f) cpu_ns_per_msg_receiver=%.1f%n",
                    label, spin, rate, perWrite, a.stats().counter(TransportCounter.FRAMES_DROPPED) - droppedBefore,
                    allocated / (double) messages, receiverAllocated.get() / (double) messages,
                senderCpu / (double) messages, publisherCpu / (double) messages,
                    receiverCpu.get() / (double) messages);
            final ResultLines results = new ResultLines("transport", System.out);
            final String name = "mycelium-e2e-" + label + "-64-spin" + spin;
            final Map<String, Object> params = Map.of("transport", kind, "spin_us", spin, "size", SIZE,
                    "messages", messages, "window", WINDOW);
            results.throughput(name, ResultLines.Role.SUBJECT, rate, params);
            results.value(name, ResultLines.Role.SUBJECT, "cpu_ns_per_msg_sender", senderCpu / (double) messages,
                    "ns/msg", params);
            results.value(name, ResultLines.Role.SUBJECT, "cpu_ns_per_msg_publisher",
                    publisherCpu / (double) messages, "ns/msg", params);
            if (receiverCpu.get() >= 0) {
                results.value(name, ResultLines.Role.SUBJECT, "cpu_ns_per_msg_receiver",
                        receiverCpu.get() / (double) messages, "ns/msg", params);
            }
        }
    }

    /**
     * The measured loop, in a method of its own: compiled once in the warm-up runs (not an on-stack replacement of
     * a long method per run), and nothing rare inside it.
     */
    private static void publishAll(final MessageBusImpl bus, final ByteBuffer payload, final long messages,
            final Credit acked, final StreamTransport a) {
        for (long i = 0; i < messages; i++) {
            if (i - acked.acked() >= WINDOW) {
                acked.await(i - WINDOW + ACK_EVERY, a);
            }
            payload.putLong(0, i == messages - 1 ? Long.MAX_VALUE : i);
            bus.publishRaw(DATA, payload);
        }
        acked.await(messages, a);
    }

    /** @return this process's CPU time (user and system, all threads) in nanoseconds */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * The publisher's credit: the count node b acknowledged, and a publisher that waits for more parked, not
     * spinning (a real publisher under flow control blocks; a yield loop here spent the core the link's writer and
     * reader need on this two-core machine). Dekker pair: the waiter writes {@code wanted} then reads {@code acked},
     * the acknowledging thread (node a's link reader, inline) writes {@code acked} then reads {@code wanted}.
     */
    private static final class Credit {
        private final AtomicLong acked = new AtomicLong();
        private volatile long wanted = Long.MAX_VALUE;
        private volatile Thread waiter;

        /** Node a's ACK subscriber: {@code count} messages of the current run have arrived at node b. */
        void acknowledged(final long count) {
            acked.set(count);
            if (count >= wanted) {
                LockSupport.unpark(waiter);
            }
        }

        long acked() {
            return acked.get();
        }

        /** A new run: node b counts from 0 again (every acknowledgement of the last run has arrived). */
        void reset() {
            acked.set(0);
        }

        void await(final long count, final StreamTransport a) {
            if (acked.get() >= count) {
                return;
            }
            final long deadline = System.nanoTime() + 60_000_000_000L;
            waiter = Thread.currentThread();
            wanted = count;
            try {
                while (acked.get() < count) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("stalled: " + acked.get() + " acknowledged, waiting for "
                                + count + "; dropped " + a.stats().counter(TransportCounter.FRAMES_DROPPED)
                                + " (see node b's log)");
                    }
                    LockSupport.parkNanos(this, 1_000_000);
                }
            } finally {
                wanted = Long.MAX_VALUE;
            }
        }
    }
}
