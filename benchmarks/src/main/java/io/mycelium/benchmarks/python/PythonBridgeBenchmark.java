package io.mycelium.benchmarks.python;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.mycelium.api.Delivery;
import io.mycelium.bus.impl.BusSettings;
import io.mycelium.bus.impl.MessageBusImpl;
import io.mycelium.python.impl.host.StandalonePythonHost;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-message cost of the embedded CPython bridge (python-embedding.md measured the spike's bridge: Java to Python
 * 100-190 ns, Python to Java 320 ns, round trip 470 ns on this 2-core machine).
 *
 * <ul>
 *   <li>{@code javaPublishToPythonCallback}: Java {@code publishRaw} of a 64-byte message, through the service
 *       dispatcher (batched, one GIL acquisition per batch), to {@code callback(Ping.from_bytes(payload))}.</li>
 *   <li>{@code pythonRawPublishToJava}: {@code _mycelium.publish(type_id, bytes)} in a Python loop, to a no-op Java
 *       subscriber: the bridge alone, GIL released around the upcall.</li>
 *   <li>{@code pythonRuntimePublishToJava}: the seed's {@code runtime.publish(msg)} including {@code to_bytes()}.</li>
 *   <li>{@code javaCallsPythonFunction}: one generic {@code call(module, function)} through JNI.</li>
 *   <li>{@code javaPublishToPythonInlineCallback}: one message to a Python callback subscribed with
 *       {@code inline=True}, which runs on the publishing thread before {@code publishRaw} returns.</li>
 *   <li>{@code javaPythonRoundTrip}: one message to a Python callback that replies, then the next: latency including
 *       the dispatcher thread's wake-up.</li>
 * </ul>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar PythonBridgeBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PythonBridgeBenchmark {

    /** How long an idle dispatcher spins before parking: 0 (the default) or 50 us. */
    @Param({"0", "50000"})
    public long spinNanos;

    private static final int BATCH = 10_000;
    private static final int PING = 1001;
    private static final int TICK = 1002;
    private static final int DONE = 1003;
    private static final int ECHO = 1004;
    private static final int ECHO_REPLY = 1005;
    private static final int INLINE_PING = 1006;
    private static final String SETUP = """
            import struct
            import _mycelium
            from mycelium_native import Runtime

            class Ping:
                TYPE_ID = 1001
                __slots__ = ("value",)
                def __init__(self, value):
                    self.value = value
                def to_bytes(self):
                    return struct.pack("<q56x", self.value)
                @classmethod
                def from_bytes(cls, payload):
                    return cls(struct.unpack_from("<q", payload)[0])

            class Tick(Ping):
                TYPE_ID = 1002
                __slots__ = ()

            DONE = struct.pack("<q", 0)
            PAYLOAD = bytes(64)
            runtime = Runtime()

            def on_ping(msg):
                if msg.value < 0:
                    _mycelium.publish(1003, DONE)

            def on_echo(msg):
                _mycelium.publish(1005, ECHO)

            ECHO = struct.pack("<q56x", 1)

            class Echo(Ping):
                TYPE_ID = 1004
                __slots__ = ()

            runtime.subscribe(Echo, on_echo)

            runtime.subscribe(Ping, on_ping)

            class InlinePing(Ping):
                TYPE_ID = 1006
                __slots__ = ()

            inline_seen = [0]

            def on_inline_ping(msg):
                inline_seen[0] += 1

            runtime.subscribe(InlinePing, on_inline_ping, inline=True)

            def noop():
                return None

            def raw_publish_loop(n):
                publish = _mycelium.publish
                for _ in range(n):
                    publish(1002, PAYLOAD)

            def runtime_publish_loop(n):
                msg = Tick(1)
                publish = runtime.publish
                for _ in range(n):
                    publish(msg)
            """;

    private final AtomicReference<CountDownLatch> done = new AtomicReference<>();
    private volatile long replies;
    private MessageBusImpl bus;
    private StandalonePythonHost python;
    private ByteBuffer ping;
    private ByteBuffer last;

    /** Starts CPython, subscribes Python to pings and Java to the done signal. */
    @Setup(Level.Trial)
    public void start() {
        bus = new MessageBusImpl(BusSettings.defaults()); // the real bus: gc.alloc.rate.norm is the product's
        bus.subscribeRaw(DONE, (type, payload) -> done.get().countDown(), Delivery.INLINE);
        bus.subscribeRaw(TICK, (type, payload) -> { }, Delivery.INLINE); // Python publishes ticks to a no-op Java handler
        bus.subscribeRaw(ECHO_REPLY, (type, payload) -> replies++, Delivery.INLINE);
        python = StandalonePythonHost.start(bus, List.of(), List.of(), spinNanos);
        python.exec(SETUP, "<benchmark>");
        ping = ByteBuffer.allocateDirect(64).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1);
        last = ByteBuffer.allocateDirect(64).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1);
    }

    /** Finalises CPython. */
    @TearDown(Level.Trial)
    public void stop() {
        python.close();
        bus.close();
    }

    /**
     * Publishes a batch from Java and waits until Python's callback saw the last message.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void javaPublishToPythonCallback() throws InterruptedException {
        final CountDownLatch latch = new CountDownLatch(1);
        done.set(latch);
        for (int i = 1; i < BATCH; i++) {
            bus.publishRaw(PING, ping); // read from position to limit, never moved: no duplicate needed
        }
        bus.publishRaw(PING, last);
        latch.await();
    }

    /**
     * One message at a time: Java publishes, the Python callback publishes a reply, Java spins until it arrives.
     * Measures the round trip including the dispatcher's wake-up.
     */
    /** Java publishes to a Python callback subscribed with {@code inline=True}: it runs before publishRaw returns. */
    @Benchmark
    public void javaPublishToPythonInlineCallback() {
        bus.publishRaw(INLINE_PING, ping);
    }

    @Benchmark
    public void javaPythonRoundTrip() {
        final long expected = replies + 1;
        bus.publishRaw(ECHO, ping);
        while (replies < expected) {
            Thread.onSpinWait();
        }
    }

    /** Python publishes a batch of raw 64-byte payloads to a no-op Java subscriber. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void pythonRawPublishToJava() {
        python.call("__main__", "raw_publish_loop", BATCH);
    }

    /** Python publishes a batch through the seed API, {@code to_bytes()} included. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void pythonRuntimePublishToJava() {
        python.call("__main__", "runtime_publish_loop", BATCH);
    }

    /** @return the result of one generic Java to Python call */
    @Benchmark
    public Object javaCallsPythonFunction() {
        return python.call("__main__", "noop");
    }
}
