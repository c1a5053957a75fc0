package io.mycelium.benchmarks.bus;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.mycelium.api.MessageHandler;
import io.mycelium.bus.impl.BusSettings;
import io.mycelium.bus.impl.MessageBusImpl;

/**
 * Inline publish of a pre-built 64-byte message to 1 or 10 inline subscribers, beside the floor: a loop over a
 * volatile array of the same handlers (what any bus must at least do). {@link #busPublishRawInline} is the shape of
 * a link's publish path: a raw 64-byte payload to inline raw handlers (a link's tap is one).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class InProcessPublishBenchmark {

    @Param({"1", "10"})
    int subscribers;

    private MessageBusImpl bus;
    private volatile Sink[] sinks;
    private final BenchTick tick = new BenchTick(42);
    private final java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate(64);
    private RawSink[] rawSinks;

    /** A raw handler that reads the payload, as a link's tap copies it. */
    static final class RawSink implements io.mycelium.api.RawMessageHandler {
        long sum;

        @Override
        public void onMessage(final int typeId, final java.nio.ByteBuffer payload) {
            sum += payload.get(payload.position());
        }
    }

    /** A handler that reads the message, so delivery cannot be optimised away. */
    static final class Sink implements MessageHandler<BenchTick> {
        long count;
        long sum;

        @Override
        public void onMessage(final BenchTick m) {
            count++;
            sum += m.seq();
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        bus = new MessageBusImpl(BusSettings.defaults());
        final Sink[] s = new Sink[subscribers];
        for (int i = 0; i < subscribers; i++) {
            s[i] = new Sink();
            bus.subscribe(BenchTick.TYPE, s[i]);
        }
        sinks = s;
        rawSinks = new RawSink[subscribers];
        for (int i = 0; i < subscribers; i++) {
            rawSinks[i] = new RawSink();
            bus.subscribeRaw(RAW_TYPE, rawSinks[i], io.mycelium.api.Delivery.INLINE);
        }
    }

    /** A type id of raw payloads only (no schema), apart from the typed benchmark's. */
    private static final int RAW_TYPE = 4242;

    @TearDown(Level.Trial)
    public void tearDown() {
        bus.close();
    }

    /** The bus: topic lookup, counters, copy-on-write subscriber array, isolation try/catch. */
    @Benchmark
    public void busPublishInline() {
        bus.publish(tick);
    }

    /** The bus, raw: topic lookup, counters, routes, the lent read-only view, each inline raw handler. */
    @Benchmark
    public void busPublishRawInline() {
        bus.publishRaw(RAW_TYPE, raw);
    }

    /** The floor: direct calls over a volatile array. */
    @Benchmark
    public void directDispatch() {
        for (final Sink s : sinks) {
            s.onMessage(tick);
        }
    }
}
