package io.mycelium.benchmarks.transport;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.mycelium.benchmarks.ResultLines;

import org.HdrHistogram.Histogram;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The JeroMQ peer of {@link TransportLatencyHarness}, measured the same way in its own JVM: one-way latency of
 * 64-byte messages as a PAIR ping-pong (RTT/2 into an HdrHistogram; the echo thread and the measuring thread block
 * in {@code recv}, like the C floor's two processes), and throughput of 64-byte messages over PUSH/PULL (JeroMQ
 * batches them internally), 2 warm-ups then 1 measured run.
 *
 * <p>JeroMQ has no Unix-socket transport ({@code ipc://} is emulated on TCP loopback), so both rows run over
 * {@code tcp://127.0.0.1}; they are the peer of both the Unix and the TCP rows.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.mycelium.benchmarks.transport.JeroMqHarness [rounds] [messages]}.
 */
public final class JeroMqHarness {

    private static final int SIZE = 64;

    private JeroMqHarness() {
    }

    public static void main(final String[] args) throws Exception {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        final int messages = args.length > 1 ? Integer.parseInt(args[1]) : 5_000_000;
        try (ZContext context = new ZContext(1)) {
            for (int warm = 0; warm < 2; warm++) {
                latency(context, rounds / 2, false);
                throughput(context, messages / 2, false);
            }
            latency(context, rounds, true);
            throughput(context, messages, true);
        }
    }

    private static void latency(final ZContext context, final int rounds, final boolean report) throws Exception {
        final ZMQ.Socket server = context.createSocket(SocketType.PAIR);
        final int port = server.bindToRandomPort("tcp://127.0.0.1");
        final Thread echo = new Thread(() -> {
            final byte[] buffer = new byte[SIZE];
            for (int i = 0; i < rounds; i++) {
                server.recv(buffer, 0, SIZE, 0);
                server.send(buffer, 0, SIZE, 0);
            }
        }, "jeromq-echo");
        echo.start();
        final ZMQ.Socket client = context.createSocket(SocketType.PAIR);
        client.connect("tcp://127.0.0.1:" + port);
        final byte[] buffer = new byte[SIZE];
        final Histogram histogram = new Histogram(60_000_000_000L, 3);
        for (int i = 0; i < rounds; i++) {
            final long start = System.nanoTime();
            client.send(buffer, 0, SIZE, 0);
            if (client.recv(buffer, 0, SIZE, 0) != SIZE) {
                throw new IllegalStateException("JeroMQ PAIR echo " + i + " was not " + SIZE + " bytes");
            }
            histogram.recordValue((System.nanoTime() - start) / 2);
        }
        echo.join();
        context.destroySocket(client);
        context.destroySocket(server);
        if (report) {
            System.out.printf("java-jeromq-tcp-lat-64 p50_ns=%d p99_ns=%d p999_ns=%d mean_ns=%.0f%n",
                    histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
                    histogram.getValueAtPercentile(99.9), histogram.getMean());
            new ResultLines("transport", System.out).latency("jeromq-tcp-lat-64", ResultLines.Role.PEER, histogram,
                    Map.of("socket", "PAIR", "size", SIZE, "count", rounds));
        }
    }

    private static void throughput(final ZContext context, final int messages, final boolean report)
            throws Exception {
        final ZMQ.Socket pull = context.createSocket(SocketType.PULL);
        pull.setRcvHWM(0);
        final int port = pull.bindToRandomPort("tcp://127.0.0.1");
        final CountDownLatch done = new CountDownLatch(1);
        final Thread consumer = new Thread(() -> {
            final byte[] buffer = new byte[SIZE];
            for (int i = 0; i < messages; i++) {
                pull.recv(buffer, 0, SIZE, 0);
            }
            done.countDown();
        }, "jeromq-pull");
        consumer.start();
        final ZMQ.Socket push = context.createSocket(SocketType.PUSH);
        push.setSndHWM(64 * 1024);
        push.connect("tcp://127.0.0.1:" + port);
        final byte[] payload = new byte[SIZE];
        // Timed from the first send, like the Mycelium row; the loopback connect is inside it (well under 1 ms).
        final long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            push.send(payload, 0);
        }
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("JeroMQ PULL stalled before " + messages + " messages");
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        consumer.join();
        context.destroySocket(push);
        context.destroySocket(pull);
        if (report) {
            System.out.printf("java-jeromq-tcp-push-pull-64 msgs_per_s=%.0f%n", messages / seconds);
            new ResultLines("transport", System.out).throughput("jeromq-tcp-push-pull-64", ResultLines.Role.PEER,
                    messages / seconds, Map.of("socket", "PUSH/PULL", "size", SIZE, "count", messages));
        }
    }
}
