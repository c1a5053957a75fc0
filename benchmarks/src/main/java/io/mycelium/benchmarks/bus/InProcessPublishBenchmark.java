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
 * volatile array of the same handlers (what any bus must at least do).
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
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bus.close();
    }

    /** The bus: topic lookup, counters, copy-on-write subscriber array, isolation try/catch. */
    @Benchmark
    public void busPublishInline() {
        bus.publish(tick);
    }

    /** The floor: direct calls over a volatile array. */
    @Benchmark
    public void directDispatch() {
        for (final Sink s : sinks) {
            s.onMessage(tick);
        }
    }
}
