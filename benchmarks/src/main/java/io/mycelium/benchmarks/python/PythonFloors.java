package io.mycelium.benchmarks.python;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.HdrHistogram.Histogram;

import io.mycelium.api.MessageBus;
import io.mycelium.python.impl.host.StandalonePythonHost;
import io.mycelium.python.impl.jni.NativeBridge;

/**
 * The bare-bridge floors of {@link PythonInProcessHarness}'s rows, measured in the same run the same way (a send
 * time in the 64-byte payload, read on the other side), so each row can be shown as a ratio to its floor — ratios
 * hold across machines where absolute nanoseconds do not.
 *
 * <ul>
 *   <li>{@code bridge-python-to-java}: Python stamps a payload and calls {@code _mycelium.publish}; the bridge copies
 *       it to the thread's scratch buffer, releases the GIL and calls {@code BusUpcalls.publishScratch}, which hands
 *       it to the bus — here a {@link FloorBus} that records the latency instead of dispatching.</li>
 *   <li>{@code bridge-java-to-python-batch}: Java stamps one ring record and calls {@code NativeBridge.deliverBatch}
 *       (what a service dispatcher calls) with a callback table whose callback records the latency: no bus, no
 *       queue, no thread hand-off.</li>
 *   <li>{@code bridge-java-to-python-inline}: the same through {@code NativeBridge.deliverInline} (what an
 *       {@code inline=True} subscription calls).</li>
 *   <li>{@code bridge-python-to-python}: the first then the third, on one thread: Python publish, Java, back into
 *       Python inline; no bus.</li>
 *   <li>{@code bridge-python-publish-throughput}: {@code _mycelium.publish} in a loop to a no-op Java handler.</li>
 * </ul>
 * The entry points are the production ones ({@code _mycelium.publish}, {@code NativeBridge}); only the bus and the
 * callback table are the benchmark's, so nothing here is reachable from a node's services. Not thread-safe: one
 * harness thread.
 */
final class PythonFloors {

    /** The {@link FloorBus} bypass types: to Java, back into Python, and the no-op throughput sink. */
    static final int FLOOR_TO_JAVA = 2001;
    static final int FLOOR_ROUND_TRIP = 2002;
    static final int FLOOR_SINK = 2003;
    private static final long BATCH_KEY = 1;
    private static final long INLINE_KEY = 2;
    private static final long ROUND_TRIP_KEY = 3;
    private static final int RECORD_HEADER = 16;
    private static final int PAYLOAD = 64;
    private static final String SETUP = """
            import array
            import struct
            import time
            import _mycelium

            _floor_stamp = struct.Struct("<q")
            floor_to_java_payload = bytearray(64)
            floor_round_trip_payload = bytearray(64)
            floor_java_to_python_batch = array.array("q")
            floor_java_to_python_inline = array.array("q")
            floor_python_to_python = array.array("q")

            def _floor_recorder(samples, unpack=_floor_stamp.unpack_from, perf=time.perf_counter_ns):
                append = samples.append
                def record(payload):
                    append(perf() - unpack(payload)[0])
                return record

            # {subscription id: (decode, callback)} as a service's table; decode None: the callback gets the bytes
            floor_table = {
                1: (None, _floor_recorder(floor_java_to_python_batch)),
                2: (None, _floor_recorder(floor_java_to_python_inline)),
                3: (None, _floor_recorder(floor_python_to_python)),
            }

            def floor_table_address():
                return id(floor_table)  # CPython: the object's address, what NativeBridge takes as a table

            def floor_to_java(publish=_mycelium.publish, stamp=_floor_stamp.pack_into,
                              payload=floor_to_java_payload, perf=time.perf_counter_ns):
                stamp(payload, 0, perf())
                publish(2001, payload)

            def floor_round_trip(publish=_mycelium.publish, stamp=_floor_stamp.pack_into,
                                 payload=floor_round_trip_payload, perf=time.perf_counter_ns):
                stamp(payload, 0, perf())
                publish(2002, payload)

            def floor_throughput(n, publish=_mycelium.publish, payload=bytes(64), perf=time.perf_counter_ns):
                start = perf()
                for _ in range(n):
                    publish(2003, payload)
                return perf() - start

            def floor_reset():
                for samples in (floor_java_to_python_batch, floor_java_to_python_inline, floor_python_to_python):
                    del samples[:]
            """;

    private final Histogram toJava = new Histogram(3);
    private final ByteBuffer ring = ByteBuffer.allocateDirect(RECORD_HEADER + PAYLOAD).order(ByteOrder.nativeOrder());
    private final ByteBuffer payload = ByteBuffer.allocateDirect(PAYLOAD).order(ByteOrder.LITTLE_ENDIAN);
    private long table;
    private long ringAddress;
    private int errors;

    PythonFloors() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("the floors write ring records in native order and Python reads the "
                    + "stamp little-endian: this harness runs on little-endian machines only");
        }
        ring.putInt(0, RECORD_HEADER + PAYLOAD).putInt(4, FLOOR_ROUND_TRIP).putLong(8, BATCH_KEY);
    }

    /**
     * @param bus the real bus
     * @return the bus to give the Python host: the floor types bypass {@code bus}
     */
    MessageBus wrap(final MessageBus bus) {
        return new FloorBus(bus, FLOOR_TO_JAVA,
                (type, message) -> toJava.recordValue(Math.max(0, System.nanoTime()
                        - PythonInProcessHarness.stamp(message))),
                (type, message) -> errors += NativeBridge.deliverInline(table, ROUND_TRIP_KEY, message,
                        message.position(), message.remaining(), 0),
                (type, message) -> { });
    }

    /**
     * Defines the floors' Python side; call once after the host started.
     *
     * @param python the host started on {@link #wrap}'s bus
     */
    void install(final StandalonePythonHost python) {
        python.exec(SETUP, "<python-floors>");
        table = ((Number) python.call("__main__", "floor_table_address")).longValue();
        ringAddress = NativeBridge.directAddress(ring);
    }

    /**
     * Measures every latency floor but {@code bridge-python-to-java} {@code n} times, {@code paceNanos} apart like
     * the harness's rows. The harness measures that one ({@link #toJavaOnce}) in blocks alternating with its row.
     */
    void run(final StandalonePythonHost python, final int n, final long paceNanos) {
        for (int i = 0; i < n; i++) {
            ring.putLong(RECORD_HEADER, System.nanoTime());
            errors += NativeBridge.deliverBatch(table, ringAddress, ring.capacity(), 0, RECORD_HEADER + PAYLOAD, 0);
            PythonInProcessHarness.pause(paceNanos);
        }
        for (int i = 0; i < n; i++) {
            payload.putLong(0, System.nanoTime());
            errors += NativeBridge.deliverInline(table, INLINE_KEY, payload, 0, PAYLOAD, 0);
            PythonInProcessHarness.pause(paceNanos);
        }
        for (int i = 0; i < n; i++) {
            python.call("__main__", "floor_round_trip");
            PythonInProcessHarness.pause(paceNanos);
        }
        if (errors != 0) {
            throw new IllegalStateException(errors + " floor callbacks raised (logged above)");
        }
    }

    /** One {@code bridge-python-to-java} message, recorded in {@link #toJava()}. */
    void toJavaOnce(final StandalonePythonHost python) {
        python.call("__main__", "floor_to_java");
    }

    /** Forgets the samples taken so far (after the warm-up). */
    void reset(final StandalonePythonHost python) {
        toJava.reset();
        python.call("__main__", "floor_reset");
    }

    /** @return ns per message of {@code _mycelium.publish} in a loop of {@code n} to a no-op Java handler */
    double throughputNanos(final StandalonePythonHost python, final long n) {
        return ((Number) python.call("__main__", "floor_throughput", n)).doubleValue() / n;
    }

    Histogram toJava() {
        return toJava;
    }
}
