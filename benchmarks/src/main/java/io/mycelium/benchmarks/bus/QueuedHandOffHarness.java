package io.mycelium.benchmarks.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

import io.mycelium.api.Delivery;
import io.mycelium.api.Delivery.Overflow;
import io.mycelium.api.MessageHandler;
import io.mycelium.api.Subscription;
import io.mycelium.benchmarks.ResultLines;
import io.mycelium.bus.impl.BusSettings;
import io.mycelium.bus.impl.MessageBusImpl;

/**
 * Queued hand-off latency and throughput of the bus (one queued subscription, its own dispatcher thread).
 *
 * <p>Latency is timestamped one-way: the publisher stores {@code nanoTime()} for the message's slot, publishes a
 * pre-built message, and waits until the handler has seen it before sending the next (so exactly one message is in
 * flight); the handler records {@code nanoTime() - sent} in an HdrHistogram. "hot" sends back to back (the
 * dispatcher is still spinning); "parked" waits 200 us between messages, so the dispatcher (20 us spin) has parked
 * and every message pays a wake-up. Throughput is one or two publishers pushing pre-built messages through a BLOCK
 * queue of 65,536, timed from the start until the handler has seen the last one.
 *
 * <p>Each measurement runs {@value #RUNS} times after a warm-up in this JVM; the median run is printed as a
 * {@code key value...} line (parsed by {@code bus-report.py}). Run with
 * {@code java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp benchmarks.jar io.mycelium.benchmarks.bus.QueuedHandOffHarness}.
 */
public final class QueuedHandOffHarness {

    private static final int RUNS = 3;
    private static final int POOL = 1 << 16;
    private static final BenchTick[] MESSAGES = new BenchTick[POOL];

    static {
        for (int i = 0; i < POOL; i++) {
            MESSAGES[i] = new BenchTick(i);
        }
    }

    private QueuedHandOffHarness() {
    }

    /**
     * @param args optional: the fraction of the default sample and message counts to run (default 1; e.g. 0.1 for
     *             {@code mycelium bench --quick})
     * @throws InterruptedException if interrupted
     */
    public static void main(final String[] args) throws InterruptedException {
        final double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1;
        if (!(scale > 0 && scale <= 10)) {
            throw new IllegalArgumentException("scale must be in (0, 10], not " + args[0]);
        }
        final MessageBusImpl bus = new MessageBusImpl(BusSettings.defaults());
        try {
            latency(bus, "queued-latency-hot", Overflow.DROP_OLDEST, 0, scaled(200_000, scale),
                    scaled(1_000_000, scale));
            latency(bus, "queued-latency-hot-block", Overflow.BLOCK, 0, scaled(200_000, scale),
                    scaled(1_000_000, scale));
            latency(bus, "queued-latency-parked", Overflow.DROP_OLDEST, 200_000, scaled(2_000, scale),
                    scaled(10_000, scale));
            throughput(bus, "queued-throughput-1p", 1, scaled(10_000_000, scale));
            throughput(bus, "queued-throughput-2p", 2, scaled(10_000_000, scale));
        } finally {
            bus.close();
        }
    }

    private static int scaled(final int count, final double scale) {
        return Math.max(100, (int) (count * scale));
    }

    /** Records one-way latency; the handler thread is the only writer of the histogram. */
    private static final class LatencyProbe implements MessageHandler<BenchTick> {
        final long[] sent = new long[POOL];
        final Histogram histogram = new Histogram(3_600_000_000_000L, 3);
        volatile long seen;
        boolean recording;

        @Override
        public void onMessage(final BenchTick m) {
            final long now = System.nanoTime();
            if (recording) {
                histogram.recordValue(now - sent[(int) m.seq()]);
            }
            seen = m.seq() + 1;
        }
    }

    private static void latency(final MessageBusImpl bus, final String name, final Overflow overflow,
                                final long gapNanos, final int warmup, final int samples) {
        final List<long[]> runs = new ArrayList<>();
        final List<Histogram> histograms = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            final LatencyProbe probe = new LatencyProbe();
            final Subscription s = bus.subscribe(BenchTick.TYPE, probe, Delivery.queued(65_536, overflow));
            pingLoop(bus, probe, warmup, gapNanos);
            probe.histogram.reset();
            probe.recording = true;
            probe.seen = 0;
            pingLoop(bus, probe, samples, gapNanos);
            probe.recording = false;
            s.close();
            final Histogram h = probe.histogram;
            runs.add(new long[] {h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), (long) h.getMean(), h.getTotalCount(), run});
            histograms.add(h);
        }
        runs.sort((a, b) -> Long.compare(a[0], b[0]));
        final long[] m = runs.get(RUNS / 2);
        System.out.printf(Locale.ROOT, "%s p50_ns=%d p99_ns=%d p999_ns=%d mean_ns=%d samples=%d runs_p50=%s%n",
            name, m[0], m[1], m[2], m[3], m[4], runs.stream().map(r -> Long.toString(r[0])).toList());
        new ResultLines("bus", System.out).latency(name, ResultLines.Role.SUBJECT, histograms.get((int) m[5]),
                Map.of("overflow", overflow.name(), "gap_ns", gapNanos, "samples", samples, "runs", RUNS,
                        "run", "median of the runs by p50"));
    }

    private static void pingLoop(final MessageBusImpl bus, final LatencyProbe probe, final int count,
                                 final long gapNanos) {
        final long base = probe.seen;
        for (int i = 0; i < count; i++) {
            final int slot = (int) ((base + i) & (POOL - 1));
            if (gapNanos > 0) {
                LockSupport.parkNanos(gapNanos);
            }
            probe.sent[slot] = System.nanoTime();
            bus.publish(MESSAGES[slot]);
            final long target = slot + 1;
            while (probe.seen != target) {
                Thread.onSpinWait();
            }
        }
    }

    /** Counts messages; the handler thread is the only writer. */
    private static final class CountingSink implements MessageHandler<BenchTick> {
        volatile long count;
        private long local;

        @Override
        public void onMessage(final BenchTick m) {
            local += 1;
            count = local;
        }
    }

    private static void throughput(final MessageBusImpl bus, final String name, final int publishers,
                                   final int messages) throws InterruptedException {
        final List<Double> rates = new ArrayList<>();
        for (int run = -1; run < RUNS; run++) {
            final CountingSink sink = new CountingSink();
            final Subscription s = bus.subscribe(BenchTick.TYPE, sink, Delivery.queued(65_536, Overflow.BLOCK));
            final int each = messages / publishers;
            final CountDownLatch start = new CountDownLatch(1);
            final List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                final Thread t = new Thread(() -> {
                    try {
                        start.await();
                    } catch (final InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        bus.publish(MESSAGES[i & (POOL - 1)]);
                    }
                }, "publisher-" + p);
                t.start();
                threads.add(t);
            }
            final long begin = System.nanoTime();
            start.countDown();
            final long total = (long) each * publishers;
            while (sink.count < total) {
                LockSupport.parkNanos(50_000);
            }
            final long elapsed = System.nanoTime() - begin;
            for (final Thread t : threads) {
                t.join();
            }
            s.close();
            if (run >= 0) {
                rates.add(total * 1e9 / elapsed);
            }
        }
        final List<Double> sorted = new ArrayList<>(rates);
        sorted.sort(Double::compare);
        System.out.printf(Locale.ROOT, "%s msgs_per_s=%.0f runs=%s%n", name, sorted.get(RUNS / 2),
            rates.stream().map(r -> String.format(Locale.ROOT, "%.0f", r)).toList());
        new ResultLines("bus", System.out).throughput(name, ResultLines.Role.SUBJECT, sorted.get(RUNS / 2),
                Map.of("publishers", publishers, "messages", messages, "runs", RUNS, "run", "median"));
    }
}
