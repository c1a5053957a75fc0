package io.mycelium.benchmarks.python;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

import io.mycelium.api.Delivery;
import io.mycelium.benchmarks.ResultLines;
import io.mycelium.bus.impl.BusSettings;
import io.mycelium.bus.impl.MessageBusImpl;
import io.mycelium.python.impl.host.StandalonePythonHost;

/**
 * Issue 6's side-by-side numbers for Python in process, on the real {@link MessageBusImpl}, in one run:
 * Python publish to a Java subscriber (p50), Java publish to a Python callback (p50), Python to Python through the
 * bus (p50) — each for the default dispatcher-thread callback and for an {@code inline=True} one — Python publish
 * throughput, and a plain Python function call as the baseline. Beside each row its bare-bridge floor measured the
 * same way in the same run ({@link PythonFloors}: the JNI path alone, no bus), and the row's p50 as a multiple of it:
 * ratios hold across machines, absolute nanoseconds do not. Besides the Markdown table it prints {@code RESULT}
 * lines (docs/benchmarks.md) for the floors ({@code bridge-*}, role floor) and the ratios (metric
 * {@code p50_ratio}, name {@code ROW/BASE}).
 *
 * <p>Latencies are one message at a time, 64-byte payloads carrying the send time (Python stamps a message object it
 * built before, then publishes it: the latency is {@code publish}'s, {@code to_bytes()} included): Python's
 * {@code time.perf_counter_ns()} and Java's {@code System.nanoTime()} read the same CLOCK_MONOTONIC on Linux
 * (checked at start). Each figure is from the publish call to the first line of the callback (on the dispatcher
 * thread, or on the publisher's for {@code inline=True}).
 *
 * <p>"One message at a time" is what the inline rows are by construction (the publisher runs the callback), so the
 * dispatcher rows are measured the same way: the callback acknowledges (a publish to Java, after it read the clock),
 * and the next message goes out once the acknowledgement arrived and the pause passed. Nothing is queued ahead of a
 * measured message; what remains is the hand-off to the dispatcher thread: with a pause shorter than the dispatcher
 * spin it is spinning when the message lands ("hot"; the table says how many messages found it parked anyway,
 * because the machine descheduled a thread for longer than the spin), with a longer pause it is parked and the
 * message pays its wake-up. The open-loop row ({@code java-to-python-paced}) publishes every pause whether or not the
 * last message arrived, as a steady feed does: it adds the queueing behind any stall of the dispatcher thread.
 * Run: {@code java -cp benchmarks/target/benchmarks.jar io.mycelium.benchmarks.python.PythonInProcessHarness
 * [samples] [spin ns] [pause ns]}.
 */
public final class PythonInProcessHarness {

    private static final int TO_JAVA = 1001;
    private static final int TO_PYTHON = 1002;
    private static final int PY_TO_PY = 1003;
    private static final int BULK = 1004;
    private static final int TO_PYTHON_INLINE = 1005;
    private static final int ACK = 1006;
    private static final int TO_PYTHON_PACED = 1007;
    /** The longest wait for one message's acknowledgement before the run is declared broken. */
    private static final long ACK_TIMEOUT_NANOS = 10_000_000_000L;
    private static final long DEFAULT_PACE_NANOS = 100_000;
    /**
     * Calls of the Python to Java row and of its floor before anything is measured, whatever the sample count, so
     * the bus's publish path and the bridge's upcall run C2-compiled code when measured (C2 compiles a method after
     * some 10,000 calls). The quick profile's warm-up alone ({@code samples / 4} = 1,250) left the row, measured
     * first, partly in C1's profiling code while its floor, measured last, ran compiled: about +0.1 on their ratio.
     */
    private static final int JIT_WARMUP_CALLS = 20_000;
    /**
     * The Python to Java row and its floor are measured in alternating blocks of this many messages (and the
     * throughput row and its floor in alternating runs), so both see the same machine state: measured one after the
     * other, seconds apart, a change in the load of a shared machine between the two moved their ratio by 0.2 and
     * more. A block is long enough for each path to run back to back, as it does alone.
     */
    private static final int BLOCK = 500;
    private static final int THROUGHPUT_ROUNDS = 10;
    /** The percentiles of the latency curves of the paths whose samples Python records. */
    private static final double[] CURVE_LEVELS = {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100};
    private static final String SETUP = """
            import array
            import struct
            import time
            from mycelium_native import Runtime

            perf = time.perf_counter_ns

            class Stamp:
                TYPE_ID = 1001
                __slots__ = ("ts",)
                def __init__(self, ts):
                    self.ts = ts
                def to_bytes(self):
                    return struct.pack("<q56x", self.ts)
                @classmethod
                def from_bytes(cls, payload):
                    return cls(struct.unpack_from("<q", payload)[0])

            class JavaStamp(Stamp):
                TYPE_ID = 1002
                __slots__ = ()

            class PyStamp(Stamp):
                TYPE_ID = 1003
                __slots__ = ()

            class Bulk(Stamp):
                TYPE_ID = 1004
                __slots__ = ()

            class InlineStamp(Stamp):
                TYPE_ID = 1005
                __slots__ = ()

            class Ack(Stamp):
                TYPE_ID = 1006
                __slots__ = ()

            class PacedStamp(Stamp):
                TYPE_ID = 1007
                __slots__ = ()

            runtime = Runtime()
            from_java = array.array("q")
            from_python = array.array("q")
            from_java_inline = array.array("q")
            from_python_inline = array.array("q")
            from_java_paced = array.array("q")
            ack = Ack(0)

            # the one-at-a-time rows: record, then tell the publisher this message arrived (after the stamp is read,
            # so the acknowledgement is not in the figure)
            def on_java(msg):
                from_java.append(perf() - msg.ts)
                runtime.publish(ack)

            def on_python(msg):
                from_python.append(perf() - msg.ts)
                runtime.publish(ack)

            def on_java_paced(msg):
                from_java_paced.append(perf() - msg.ts)

            def on_inline(msg):
                (from_python_inline if msg.ts < 0 else from_java_inline).append(perf() - abs(msg.ts))

            runtime.subscribe(JavaStamp, on_java)
            runtime.subscribe(PyStamp, on_python)
            runtime.subscribe(InlineStamp, on_inline, inline=True)
            runtime.subscribe(PacedStamp, on_java_paced)

            def now():
                return perf()

            # one message object per path, stamped just before publish: the latency is publish's (to_bytes
            # included), not the application's construction of the message
            to_java, to_python, to_python_inline = Stamp(0), PyStamp(0), InlineStamp(0)

            def publish_to_java():
                to_java.ts = perf()
                runtime.publish(to_java)

            def publish_to_python():
                to_python.ts = perf()
                runtime.publish(to_python)

            def publish_to_python_inline():
                to_python_inline.ts = -perf()  # negative: from Python
                runtime.publish(to_python_inline)

            def throughput(n):
                msg = Bulk(1)
                publish = runtime.publish
                start = perf()
                for _ in range(n):
                    publish(msg)
                return perf() - start

            def handler(msg):
                pass

            def baseline_p50(n):
                msg = Stamp(1)
                samples = array.array("q")
                for _ in range(n):
                    start = perf()
                    handler(msg)
                    samples.append(perf() - start)
                return sorted(samples)[n // 2]

            def baseline_mean(n):
                msg = Stamp(1)
                start = perf()
                for _ in range(n):
                    handler(msg)
                return (perf() - start) / n

            def clock_overhead(n):
                start = perf()
                for _ in range(n):
                    perf()
                return (perf() - start) / n

            def percentile(name, q):
                values = sorted(globals()[name])
                return values[min(len(values) - 1, int(q * len(values)))] if values else -1

            def curve(name, levels):
                values = sorted(globals()[name])
                return ",".join(str(values[min(len(values) - 1, int(float(q) / 100 * len(values)))])
                                for q in levels.split(",")) if values else ""

            def count(name):
                return len(globals()[name])
            """;

    private PythonInProcessHarness() {
    }

    /**
     * Runs every measurement once and prints a Markdown table.
     *
     * @param args optional: the number of latency samples (default 20000), then the dispatcher spin in
     *             nanoseconds (default 0: an idle dispatcher parks at once; the python bundle's
     *             {@code dispatcher.spin.micros}), then the pause between paced messages in nanoseconds (default
     *             100000); a pause shorter than the spin measures a hot dispatcher
     */
    public static void main(final String[] args) {
        final int samples = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        final long spinNanos = args.length > 1 ? Long.parseLong(args[1]) : 0;
        final long paceNanos = args.length > 2 ? Long.parseLong(args[2]) : DEFAULT_PACE_NANOS;
        final String dispatcher = paceNanos < spinNanos ? "dispatcher hot: spinning between messages"
                : "dispatcher parked between messages";
        final MessageBusImpl bus = new MessageBusImpl(BusSettings.defaults());
        final Histogram pythonToJava = new Histogram(3);
        bus.subscribeRaw(TO_JAVA, (type, payload) -> pythonToJava.recordValue(Math.max(0, System.nanoTime()
                - stamp(payload))), Delivery.INLINE);
        bus.subscribeRaw(BULK, (type, payload) -> { }, Delivery.INLINE);
        final AtomicLong acks = new AtomicLong();
        bus.subscribeRaw(ACK, (type, payload) -> acks.incrementAndGet(), Delivery.INLINE);
        final PythonFloors floors = new PythonFloors();
        final StandalonePythonHost python = StandalonePythonHost.start(floors.wrap(bus), List.of(), List.of(),
                spinNanos);
        try {
            python.exec(SETUP, "<python-in-process-harness>");
            floors.install(python);
            checkSameClock(python);
            final ByteBuffer payload = ByteBuffer.allocateDirect(64).order(ByteOrder.LITTLE_ENDIAN);

            // warm-up: the JIT on the Python to Java paths (cheap: back to back), then all paths, then reset
            for (int i = 0; i < JIT_WARMUP_CALLS; i++) {
                python.call("__main__", "publish_to_java");
                floors.toJavaOnce(python);
            }
            run(python, bus, acks, floors, payload, samples / 4, paceNanos);
            floors.run(python, samples / 4, paceNanos);
            pythonToJava.reset();
            floors.reset(python);
            python.exec("for samples in (from_java, from_python, from_java_inline, from_python_inline, "
                    + "from_java_paced): del samples[:]", "<reset>");

            final Parks parks = run(python, bus, acks, floors, payload, samples, paceNanos);
            floors.run(python, samples, paceNanos);
            final long throughputN = 200_000;
            long bulkNanos = 0;
            double floorBulkNanos = 0;
            for (int round = 0; round < THROUGHPUT_ROUNDS; round++) {
                final long n = throughputN / THROUGHPUT_ROUNDS;
                bulkNanos += ((Number) python.call("__main__", "throughput", n)).longValue();
                floorBulkNanos += floors.throughputNanos(python, n) / THROUGHPUT_ROUNDS;
            }
            final double baselineMean = ((Number) python.call("__main__", "baseline_mean", 1_000_000)).doubleValue();
            final long baselineP50 = ((Number) python.call("__main__", "baseline_p50", samples)).longValue();
            final double clock = ((Number) python.call("__main__", "clock_overhead", 1_000_000)).doubleValue();

            System.out.println("dispatcher spin " + spinNanos + " ns, messages paced " + paceNanos + " ns apart");
            final long floorToJava = floors.toJava().getValueAtPercentile(50);
            final long floorBatch = pyPercentile(python, "floor_java_to_python_batch", 0.5);
            final long floorInline = pyPercentile(python, "floor_java_to_python_inline", 0.5);
            final long floorPyToPy = pyPercentile(python, "floor_python_to_python", 0.5);
            final long toJava = pythonToJava.getValueAtPercentile(50);
            final long fromJava = pyPercentile(python, "from_java", 0.5);
            final long fromPython = pyPercentile(python, "from_python", 0.5);
            final long fromJavaInline = pyPercentile(python, "from_java_inline", 0.5);
            final long fromPythonInline = pyPercentile(python, "from_python_inline", 0.5);
            System.out.println("| what | p50 | p99 | samples | p50 / its floor |");
            System.out.println("|---|---|---|---|---|");
            row("Python `runtime.publish(msg)` -> Java inline subscriber (to_bytes included, msg built before)",
                    toJava,
                    pythonToJava.getValueAtPercentile(99), pythonToJava.getTotalCount(), toJava, floorToJava,
                    "bridge-python-to-java");
            row("Java `publishRaw` -> Python callback (`from_bytes` included, one message at a time, " + dispatcher
                    + "; parked before " + parks.javaToPython() + " of " + samples + ")", fromJava,
                    pyPercentile(python, "from_java", 0.99), pyCount(python, "from_java"), fromJava, floorBatch,
                    "bridge-java-to-python-batch");
            final long fromJavaPaced = pyPercentile(python, "from_java_paced", 0.5);
            row("Java `publishRaw` -> Python callback, open loop: one message every " + paceNanos + " ns whether "
                    + "or not the last arrived (a stall of the dispatcher queues the ones behind it)", fromJavaPaced,
                    pyPercentile(python, "from_java_paced", 0.99), pyCount(python, "from_java_paced"), fromJavaPaced,
                    floorBatch, "bridge-java-to-python-batch");
            row("Python `runtime.publish` -> bus -> Python callback (one message at a time, " + dispatcher
                    + "; parked before " + parks.pythonToPython() + " of " + samples + ")", fromPython,
                    pyPercentile(python, "from_python", 0.99), pyCount(python, "from_python"), fromPython,
                    floorPyToPy, "bridge-python-to-python");
            row("Java `publishRaw` -> Python callback subscribed with `inline=True` (runs on the publisher's thread)",
                    fromJavaInline, pyPercentile(python, "from_java_inline", 0.99), pyCount(python,
                            "from_java_inline"), fromJavaInline, floorInline, "bridge-java-to-python-inline");
            row("Python `runtime.publish` -> bus -> Python callback subscribed with `inline=True`", fromPythonInline,
                    pyPercentile(python, "from_python_inline", 0.99), pyCount(python, "from_python_inline"),
                    fromPythonInline, floorPyToPy, "bridge-python-to-python");
            System.out.printf(Locale.ROOT, "| Python `runtime.publish(msg)` throughput to a Java subscriber (one "
                    + "thread, to_bytes included) | %,.0f msg/s (%.0f ns/msg) | | %,d | %.2fx "
                    + "bridge-python-publish-throughput |%n", throughputN * 1e9 / bulkNanos,
                    (double) bulkNanos / throughputN, throughputN, bulkNanos / (floorBulkNanos * throughputN));
            floorRow("Python `_mycelium.publish` -> C -> Java, no bus: `bridge-python-to-java`", floorToJava,
                    floors.toJava().getValueAtPercentile(99), floors.toJava().getTotalCount());
            floorRow("Java `NativeBridge.deliverBatch` -> C -> Python callback, one record, no bus: "
                    + "`bridge-java-to-python-batch`", floorBatch, pyPercentile(python, "floor_java_to_python_batch",
                    0.99), pyCount(python, "floor_java_to_python_batch"));
            floorRow("Java `NativeBridge.deliverInline` -> C -> Python callback, no bus: "
                    + "`bridge-java-to-python-inline`", floorInline, pyPercentile(python,
                    "floor_java_to_python_inline", 0.99), pyCount(python, "floor_java_to_python_inline"));
            floorRow("Python `_mycelium.publish` -> C -> Java -> `deliverInline` -> C -> Python, no bus: "
                    + "`bridge-python-to-python`", floorPyToPy, pyPercentile(python, "floor_python_to_python", 0.99),
                    pyCount(python, "floor_python_to_python"));
            System.out.printf(Locale.ROOT, "| floor: `_mycelium.publish` loop to a no-op Java handler: "
                    + "`bridge-python-publish-throughput` | %,.0f msg/s (%.0f ns/msg) | | %,d | |%n",
                    1e9 / floorBulkNanos, floorBulkNanos, throughputN);
            System.out.printf(Locale.ROOT, "| baseline: plain Python function call `handler(msg)` | %d ns (timed "
                    + "per call, includes one clock read of ~%.0f ns); mean %.0f ns untimed | | %,d |%n",
                    baselineP50, clock, baselineMean, samples);
            System.out.printf(Locale.ROOT, "%nTargets (issue 17): Python publish -> Java p50 / its floor = %.2f "
                    + "(<= 1.5); Java -> Python callback (%s) p50 / the inline row = %.2f (<= 2, stated for a hot "
                    + "dispatcher)%n", (double) toJava / floorToJava, dispatcher, (double) fromJava / fromJavaInline);
            final ResultLines results = new ResultLines("python", System.out);
            final Map<String, Object> params = Map.of("samples", samples, "spin_ns", spinNanos, "pace_ns",
                    paceNanos, "size", 64);
            // the dispatcher-hot run's names are plain; a parked run's end in -parked (both run in the full profile)
            final String mode = paceNanos < spinNanos ? "" : "-parked";
            results.latency("python-publish-to-java" + mode, ResultLines.Role.SUBJECT, pythonToJava, params);
            pyLatency(results, python, "java-to-python" + mode, "from_java", params);
            pyLatency(results, python, "java-to-python-paced" + mode, "from_java_paced", params);
            results.value("java-to-python" + mode, ResultLines.Role.SUBJECT, "parked_share",
                    (double) parks.javaToPython() / samples, "x", params);
            results.value("python-to-python" + mode, ResultLines.Role.SUBJECT, "parked_share",
                    (double) parks.pythonToPython() / samples, "x", params);
            pyLatency(results, python, "python-to-python" + mode, "from_python", params);
            pyLatency(results, python, "java-to-python-inline" + mode, "from_java_inline", params);
            pyLatency(results, python, "python-to-python-inline" + mode, "from_python_inline", params);
            results.throughput("python-publish-throughput" + mode, ResultLines.Role.SUBJECT,
                    throughputN * 1e9 / bulkNanos,
                    Map.of("messages", throughputN, "size", 64));
            results.value("python-plain-call" + mode, ResultLines.Role.FLOOR, "p50_ns", baselineP50, "ns",
                    Map.of("samples", samples, "clock_read_ns", clock));
            results.value("python-plain-call" + mode, ResultLines.Role.FLOOR, "mean_ns", baselineMean, "ns",
                    Map.of("calls", 1_000_000, "timed", false));
            floorResults(results, floors.toJava(), "bridge-python-to-java" + mode, params);
            floorResults(results, python, "floor_java_to_python_batch", "bridge-java-to-python-batch" + mode, params);
            floorResults(results, python, "floor_java_to_python_inline", "bridge-java-to-python-inline" + mode,
                    params);
            floorResults(results, python, "floor_python_to_python", "bridge-python-to-python" + mode, params);
            results.value("bridge-python-publish-throughput" + mode, ResultLines.Role.FLOOR, "msgs_per_s",
                    1e9 / floorBulkNanos, "msg/s", Map.of("messages", throughputN, "size", 64));
            ratio(results, "python-publish-to-java" + mode, "bridge-python-to-java" + mode, toJava, floorToJava,
                    params);
            ratio(results, "java-to-python" + mode, "bridge-java-to-python-batch" + mode, fromJava, floorBatch,
                    params);
            ratio(results, "java-to-python" + mode, "java-to-python-inline" + mode, fromJava, fromJavaInline, params);
            ratio(results, "java-to-python-paced" + mode, "java-to-python-inline" + mode, fromJavaPaced,
                    fromJavaInline, params);
            ratio(results, "python-to-python" + mode, "bridge-python-to-python" + mode, fromPython, floorPyToPy,
                    params);
            ratio(results, "java-to-python-inline" + mode, "bridge-java-to-python-inline" + mode, fromJavaInline,
                    floorInline, params);
            ratio(results, "python-to-python-inline" + mode, "bridge-python-to-python" + mode, fromPythonInline,
                    floorPyToPy, params);
            results.value("python-publish-throughput" + mode + "/bridge-python-publish-throughput" + mode,
                    ResultLines.Role.SUBJECT,
                    "ns_per_msg_ratio", bulkNanos / (floorBulkNanos * throughputN), "x", Map.of("messages",
                            throughputN, "size", 64, "base", "bridge-python-publish-throughput" + mode));
        } finally {
            python.close();
            bus.close();
        }
    }

    /**
     * One round of every row. The dispatcher rows go one message at a time: the next is published after the callback
     * acknowledged the last and the pause passed, so no message waits behind another (the inline rows are that by
     * construction). The paced row publishes every {@code paceNanos} whether or not the last one arrived.
     *
     * @return how often the dispatcher parked during the Java to Python and the Python to Python rows
     */
    private static Parks run(final StandalonePythonHost python, final MessageBusImpl bus, final AtomicLong acks,
                             final PythonFloors floors, final ByteBuffer payload, final int n,
                             final long paceNanos) {
        for (int block = 0; block < n; block += BLOCK) {
            final int end = Math.min(n, block + BLOCK);
            for (int i = block; i < end; i++) {
                python.call("__main__", "publish_to_java");
            }
            for (int i = block; i < end; i++) {
                floors.toJavaOnce(python);
            }
        }
        final long parksBefore = python.defaultDispatcherParks();
        for (int i = 0; i < n; i++) {
            final long expected = acks.get() + 1;
            payload.putLong(0, System.nanoTime());
            bus.publishRaw(TO_PYTHON, payload);
            awaitAck(acks, expected, "Java -> Python");
            pause(paceNanos);
        }
        final long parksJavaToPython = python.defaultDispatcherParks() - parksBefore;
        for (int i = 0; i < n; i++) {
            final long expected = acks.get() + 1;
            python.call("__main__", "publish_to_python");
            awaitAck(acks, expected, "Python -> Python");
            pause(paceNanos);
        }
        final long parksPythonToPython = python.defaultDispatcherParks() - parksBefore - parksJavaToPython;
        publishPaced(bus, TO_PYTHON_INLINE, payload, n, paceNanos);
        callPaced(python, "publish_to_python_inline", n, paceNanos);
        publishPaced(bus, TO_PYTHON_PACED, payload, n, paceNanos);
        // let the last paced messages arrive before counting
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && pyCount(python, "from_java_paced") < n) {
            LockSupport.parkNanos(1_000_000);
        }
        return new Parks(parksJavaToPython, parksPythonToPython);
    }

    /** Spins until the callback acknowledged message number {@code expected}; a lost message fails the run. */
    private static void awaitAck(final AtomicLong acks, final long expected, final String row) {
        final long start = System.nanoTime();
        while (acks.get() < expected) {
            if (System.nanoTime() - start > ACK_TIMEOUT_NANOS) {
                throw new IllegalStateException(row + ": message " + expected + " was not acknowledged within "
                        + ACK_TIMEOUT_NANOS / 1_000_000_000 + " s (lost, or its callback failed: see the log above)");
            }
            Thread.onSpinWait();
        }
    }

    /** How often the dispatcher parked during the one-message-at-a-time rows (the measured round's). */
    private record Parks(long javaToPython, long pythonToPython) {
    }

    /** Java publishes {@code n} stamped messages of {@code typeId}, {@code paceNanos} apart. */
    private static void publishPaced(final MessageBusImpl bus, final int typeId, final ByteBuffer payload, final int n,
                                     final long paceNanos) {
        for (int i = 0; i < n; i++) {
            payload.putLong(0, System.nanoTime());
            bus.publishRaw(typeId, payload);
            pause(paceNanos);
        }
    }

    /** Calls the Python function {@code n} times, {@code paceNanos} apart. */
    private static void callPaced(final StandalonePythonHost python, final String function, final int n,
                                  final long paceNanos) {
        for (int i = 0; i < n; i++) {
            python.call("__main__", function);
            pause(paceNanos);
        }
    }

    /** Busy-waits short pauses (a park would oversleep by tens of microseconds here), parks long ones. */
    static void pause(final long nanos) {
        if (nanos >= 50_000) {
            LockSupport.parkNanos(nanos);
            return;
        }
        final long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    private static void checkSameClock(final StandalonePythonHost python) {
        final long before = System.nanoTime();
        final long py = ((Number) python.call("__main__", "now")).longValue();
        final long after = System.nanoTime();
        if (py < before || py > after) {
            throw new IllegalStateException("time.perf_counter_ns() (" + py + ") is not System.nanoTime()'s clock ["
                    + before + ", " + after + "]; the cross-language latencies would be wrong on this platform");
        }
    }

    static long stamp(final ByteBuffer payload) {
        final long raw = payload.getLong(payload.position());
        return payload.order() == ByteOrder.LITTLE_ENDIAN ? raw : Long.reverseBytes(raw);
    }

    private static long pyPercentile(final StandalonePythonHost python, final String name, final double q) {
        return ((Number) python.call("__main__", "percentile", name, q)).longValue();
    }

    /** The p50/p99/p99.9/mean and the curve of latencies collected in a Python array, in the result contract. */
    private static void pyLatency(final ResultLines results, final StandalonePythonHost python, final String name,
                                  final String array, final Map<String, ?> params) {
        final String levels = Arrays.stream(CURVE_LEVELS).mapToObj(Double::toString)
                .reduce((a, b) -> a + "," + b).orElseThrow();
        final String text = (String) python.call("__main__", "curve", array, levels);
        if (text.isEmpty()) {
            throw new IllegalStateException("no samples in " + array + " for " + name);
        }
        final long[] values = Arrays.stream(text.split(",")).mapToLong(Long::parseLong).toArray();
        results.value(name, ResultLines.Role.SUBJECT, "p50_ns", values[3], "ns", params);
        results.value(name, ResultLines.Role.SUBJECT, "p99_ns", values[7], "ns", params);
        results.value(name, ResultLines.Role.SUBJECT, "p999_ns", values[9], "ns", params);
        results.curve(name, ResultLines.Role.SUBJECT, CURVE_LEVELS, values, params);
    }

    private static long pyCount(final StandalonePythonHost python, final String name) {
        return ((Number) python.call("__main__", "count", name)).longValue();
    }

    private static void row(final String what, final long p50, final long p99, final long count, final long value,
                            final long floor, final String floorName) {
        System.out.printf(Locale.ROOT, "| %s | %,d ns | %,d ns | %,d | %.2fx %s |%n", what, p50, p99, count,
                (double) value / floor, floorName);
    }

    private static void floorRow(final String what, final long p50, final long p99, final long count) {
        System.out.printf(Locale.ROOT, "| floor: %s | %,d ns | %,d ns | %,d | |%n", what, p50, p99, count);
    }

    /** The p50/p99/p99.9 RESULT lines of a floor whose samples Java recorded. */
    private static void floorResults(final ResultLines results, final Histogram histogram, final String name, final Map<String, ?> params) {
        results.value(name, ResultLines.Role.FLOOR, "p50_ns", histogram.getValueAtPercentile(50), "ns", params);
        results.value(name, ResultLines.Role.FLOOR, "p99_ns", histogram.getValueAtPercentile(99), "ns", params);
        results.value(name, ResultLines.Role.FLOOR, "p999_ns", histogram.getValueAtPercentile(99.9), "ns", params);
    }

    /** The p50/p99/p99.9 RESULT lines of a floor whose samples Python recorded in {@code array}. */
    private static void floorResults(final ResultLines results, final StandalonePythonHost python, final String array, final String name,
                                     final Map<String, ?> params) {
        results.value(name, ResultLines.Role.FLOOR, "p50_ns", pyPercentile(python, array, 0.5), "ns", params);
        results.value(name, ResultLines.Role.FLOOR, "p99_ns", pyPercentile(python, array, 0.99), "ns", params);
        results.value(name, ResultLines.Role.FLOOR, "p999_ns", pyPercentile(python, array, 0.999), "ns", params);
    }

    /** A RESULT line {@code SUBJECT/BASE} with metric {@code p50_ratio}: how many times its base the subject takes. */
    private static void ratio(final ResultLines results, final String subject, final String base, final double value, final double baseValue,
                              final Map<String, ?> params) {
        final Map<String, Object> withBase = new TreeMap<>(params);
        withBase.put("base", base);
        results.value(subject + "/" + base, ResultLines.Role.SUBJECT, "p50_ratio", value / baseValue, "x",
                withBase);
    }
}
