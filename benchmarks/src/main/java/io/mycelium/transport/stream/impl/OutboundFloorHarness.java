package io.mycelium.transport.stream.impl;

import io.mycelium.protocol.frame.FrameDescriptor;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A batched stream link's sending half alone, against the least a Java pipeline of the same shape does: one publisher
 * thread queues 64-byte frames, a writer thread takes what is queued and writes it to a Unix socket, and a thread on
 * the other end only reads (no frame loop, no bus). With {@code outbound} the queue is the link's own
 * {@link LinkOutbound}; with {@code floor} it is a plain byte ring whose publisher takes a lock by CAS per frame (as
 * the link's producer lock) and whose writer takes that lock per batch, writes at most 64 KiB a call and yields
 * while the ring is empty. The bytes, the socket, the copy from a heap payload and the three threads on the machine's
 * cores are the same; what differs is the queue's protocol.
 *
 * <p>Each of four rounds of {@code messages} (at most 64 Ki frames in flight) prints the rate and the publisher's and
 * writer's CPU per message; the last round is the figure (the JIT has finished). Run both, in turn, in one machine
 * state (docs/benchmarks.md, "Where a batched link's time goes": the cache-line probe before each). Lives in the
 * transport's package because {@code LinkOutbound} is private to its bundle; the benchmarks put both on the class
 * path, not in a framework.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.mycelium.transport.stream.impl.OutboundFloorHarness floor|spsc|outbound
 * [messages] [writer lock spins] [floor ring frames]}; {@code spsc} is the floor queue without its lock (one
 * publisher, a release store of the tail per frame, no locked instruction): what the per-frame CAS costs. The floor
 * queue's ring holds 128 Ki frames (9 MiB) unless told otherwise; a publisher that finds it full waits for the writer
 * (counted as "offers retried"). With 1 Ki frames (70 KiB, about the link's starting ring) against the default, it
 * shows what a small ring costs with and without the lock (docs/benchmarks.md).
 */
public final class OutboundFloorHarness {

    private static final int TYPE = 1001;
    private static final int SIZE = 64;
    private static final int FRAME = FrameDescriptor.HEADER_LENGTH + SIZE;
    private static final long WINDOW = 64 * 1024;
    private static final int ROUNDS = 4;

    private final SocketChannel out;
    private final SocketChannel in;
    private final BytesRead received = new BytesRead();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private OutboundFloorHarness(final SocketChannel out, final SocketChannel in) {
        this.out = out;
        this.in = in;
    }

    public static void main(final String[] args) throws Exception {
        final String queue = args.length > 0 ? args[0] : "outbound";
        final long messages = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
        final int spins = args.length > 2 ? Integer.parseInt(args[2]) : SpinLock.SPINS_BEFORE_YIELD;
        final int slots = args.length > 3 ? Integer.parseInt(args[3]) : 1 << 17;
        if (!queue.equals("floor") && !queue.equals("spsc") && !queue.equals("outbound")) {
            throw new IllegalArgumentException("queue '" + queue + "' is not floor, spsc or outbound; usage:"
                    + " OutboundFloorHarness floor|spsc|outbound [messages] [writer lock spins] [floor ring frames]");
        }
        if (slots < 1 || slots > Integer.MAX_VALUE / FRAME) {
            throw new IllegalArgumentException("floor ring frames " + slots + " is not between 1 and "
                    + Integer.MAX_VALUE / FRAME);
        }
        final Path dir = Files.createTempDirectory("mycelium-outbound-floor");
        final Path path = dir.resolve("s");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            try (SocketChannel out = SocketChannel.open(UnixDomainSocketAddress.of(path));
                    SocketChannel in = server.accept()) {
                final OutboundFloorHarness harness = new OutboundFloorHarness(out, in);
                if (!queue.equals("outbound")) {
                    harness.run(queue, messages, new FloorQueue(out, queue.equals("floor"), slots));
                } else {
                    harness.run(queue, messages, new LinkQueue(out, spins));
                }
            }
        } finally {
            Files.deleteIfExists(path);
            Files.delete(dir);
        }
    }

    private void run(final String queue, final long messages, final Queue frames) throws Exception {
        final Thread reader = new Thread(this::drainSocket, "reader");
        final Thread writer = new Thread(frames, "writer");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
        final ByteBuffer payload = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        long writerCpu = 0;
        long writes = 0;
        long refused = 0;
        for (int round = 0; round < ROUNDS; round++) {
            final long start = System.nanoTime();
            final long cpu = threads.getCurrentThreadCpuTime();
            final long base = received.get();
            for (long i = 0; i < messages; i++) {
                // The window every 256 frames only: the count is a line the reader writes per read.
                if ((i & 255) == 0) {
                    while (i - (received.get() - base) / FRAME > WINDOW) {
                        Thread.onSpinWait();
                    }
                }
                payload.putLong(0, i);
                frames.offer(payload);
            }
            while (received.get() < base + messages * FRAME) {
                Thread.onSpinWait();
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            final long writerNow = threads.getThreadCpuTime(writer.getId());
            final long writesNow = frames.writes();
            System.out.printf("%s round %d: %.1f M msg/s, publisher %.1f ns/msg, writer %.1f ns/msg,"
                    + " %.0f frames per write, %d offers retried%n", queue, round, messages / seconds / 1e6,
                    (threads.getCurrentThreadCpuTime() - cpu) / (double) messages,
                    (writerNow - writerCpu) / (double) messages, messages / (double) Math.max(1, writesNow - writes),
                    frames.refusals() - refused);
            refused = frames.refusals();
            writerCpu = writerNow;
            writes = writesNow;
        }
    }

    /** The reading end: reads into a 256 KiB buffer (as a link's reader) and counts the bytes; nothing else. */
    private void drainSocket() {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
        try {
            while (true) {
                buffer.clear();
                final int read = in.read(buffer);
                if (read < 0) {
                    return;
                }
                received.add(read);
            }
        } catch (final IOException e) {
            // the harness closed the socket at its end
            return;
        }
    }

    /** A frame queue drained to the socket by the thread that runs it. */
    private interface Queue extends Runnable {
        void offer(ByteBuffer payload);

        long writes();

        /**
         * Times the publisher found the queue at its bound ("offers retried"): each offer the link's outbound refused
         * and the publisher retried, or each wait for room in the floor queue's ring.
         */
        default long refusals() {
            return 0;
        }
    }

    /** The link's own outbound and its writer loop. */
    private static final class LinkQueue implements Queue {
        private final LinkOutbound outbound;
        private final SocketChannel out;
        private long refusals;

        LinkQueue(final SocketChannel out, final int writerLockSpins) throws IOException {
            this.out = out;
            // The harness's own capacity and slot size (TransportLatencyHarness), direct writes allowed.
            this.outbound = new LinkOutbound(1 << 17, 128, true, writerLockSpins);
            out.configureBlocking(false);
        }

        @Override
        public void offer(final ByteBuffer payload) {
            int status;
            while ((status = outbound.offer(TYPE, payload)) == LinkOutbound.BACK_PRESSURED) {
                // The bound counts the frames of a write still in the kernel as queued until the write returns,
                // although a reader this quick has read them already (up to capacity x slot / 8 bytes of them: a
                // socket write is capped at that). The publisher waits for the bookkeeping, as a blocking one would.
                refusals++;
                Thread.onSpinWait();
            }
            if (status != LinkOutbound.QUEUED) {
                throw new IllegalStateException("the outbound is closed (" + status + ")");
            }
        }

        @Override
        public long refusals() {
            return refusals;
        }

        @Override
        public long writes() {
            return outbound.writeCalls();
        }

        @Override
        public void run() {
            try {
                outbound.drainTo(new PlainLinkChannel(out), (frames, calls) -> { });
            } catch (final IOException e) {
                // the harness closed the socket at its end
                return;
            }
        }
    }

    /** The floor's queue: a byte ring, a lock taken by CAS per frame and per batch (or none), nothing else. */
    private static final class FloorQueue implements Queue {
        private static final int BATCH_FRAMES = 64 * 1024 / FRAME;
        private static final VarHandle TAIL;

        static {
            try {
                TAIL = MethodHandles.lookup().findVarHandle(FloorQueue.class, "tail", long.class);
            } catch (final ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final int slots;
        private final ByteBuffer ring;
        private final AtomicInteger lock = new AtomicInteger();
        private final boolean locked;
        private final SocketChannel out;
        /** Frames queued; the publisher's, released per frame. */
        private volatile long tail;
        /** Frames written; the writer's, per write. */
        private volatile long written;
        /** The publisher's copy of {@link #written}, re-read only when the ring looks full. */
        private long writtenSeen;
        private long refusals;
        private volatile long writeCalls;

        /**
         * With {@code locked} false, no lock at all: one publisher, a release store of the tail (an SPSC ring). The
         * ring holds {@code slots} frames; a publisher that finds it full waits for the writer.
         */
        FloorQueue(final SocketChannel out, final boolean locked, final int slots) {
            this.out = out;
            this.locked = locked;
            this.slots = slots;
            this.ring = ByteBuffer.allocateDirect(slots * FRAME).order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public void offer(final ByteBuffer payload) {
            if (tail - writtenSeen >= slots && tail - (writtenSeen = written) >= slots) {
                refusals++;
                while (tail - (writtenSeen = written) >= slots) {
                    Thread.onSpinWait();
                }
            }
            while (locked && !lock.compareAndSet(0, 1)) {
                Thread.onSpinWait();
            }
            final long t = tail;
            final int at = (int) (t % slots) * FRAME;
            ring.putShort(at + FrameDescriptor.TYPE_ID_OFFSET, (short) TYPE);
            ring.putInt(at + FrameDescriptor.LENGTH_OFFSET, SIZE);
            ring.put(at + FrameDescriptor.HEADER_LENGTH, payload, payload.position(), SIZE);
            TAIL.setRelease(this, t + 1);
            if (locked) {
                lock.lazySet(0);
            }
        }

        @Override
        public long writes() {
            return writeCalls;
        }

        @Override
        public long refusals() {
            return refusals;
        }

        @Override
        public void run() {
            final ByteBuffer view = ring.duplicate();
            long head = 0;
            try {
                while (true) {
                    while (locked && !lock.compareAndSet(0, 1)) {
                        Thread.onSpinWait();
                    }
                    final long t = (long) TAIL.getAcquire(this);
                    if (locked) {
                        lock.lazySet(0);
                    }
                    if (t == head) {
                        Thread.yield();
                        continue;
                    }
                    while (head < t) {
                        final int slot = (int) (head % slots);
                        final long upTo = Math.min(t, Math.min(head + slots - slot, head + BATCH_FRAMES));
                        view.limit(slot * FRAME + (int) (upTo - head) * FRAME).position(slot * FRAME);
                        while (view.hasRemaining()) {
                            out.write(view);
                        }
                        writeCalls = writeCalls + 1;
                        head = upTo;
                        written = upTo;
                    }
                }
            } catch (final IOException e) {
                // the harness closed the socket at its end
                return;
            }
        }
    }

    /** Bytes the reading end has read, on a line of its own (the reader writes it per read). */
    private static final class BytesRead {
        private long p1, p2, p3, p4, p5, p6, p7;
        private volatile long bytes;
        private long q1, q2, q3, q4, q5, q6, q7;

        long get() {
            return bytes;
        }

        void add(final long read) {
            bytes = bytes + read;
        }
    }
}
