package io.mycelium.benchmarks.codec;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.mycelium.examples.protocol.CounterUpdate;
import io.mycelium.examples.protocol.MarketData;

/**
 * Cost of the generated codecs: encode and decode of the 64-byte {@link MarketData} (a String(16) and five 8-byte
 * fields) into heap and direct buffers, with the 16-byte all-primitive {@link CounterUpdate} as a floor.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MessageCodec -prof gc}. Encode must allocate 0 B/op;
 * decode allocates the message (and its String) by design.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MessageCodecBenchmark {

    private final MarketData marketData = new MarketData("BTC-USD", 64_000.25, 64_000.75, 64_000.5, 12.5,
        1_732_406_400_000_000_000L);
    private final CounterUpdate counterUpdate = new CounterUpdate(42L, 100, 5);
    private final ByteBuffer heap = ByteBuffer.allocate(MarketData.SIZE);
    private final ByteBuffer direct = ByteBuffer.allocateDirect(MarketData.SIZE);
    private final ByteBuffer heapCounter = ByteBuffer.allocate(CounterUpdate.SIZE);

    /** Fills the buffers so the decode benchmarks read valid payloads. */
    @Setup
    public void encodeOnce() {
        MarketData.TYPE.encode(marketData, heap, 0);
        MarketData.TYPE.encode(marketData, direct, 0);
        CounterUpdate.TYPE.encode(counterUpdate, heapCounter, 0);
    }

    /** @return the buffer, so the writes are not dead code */
    @Benchmark
    public ByteBuffer encodeMarketDataHeap() {
        MarketData.TYPE.encode(marketData, heap, 0);
        return heap;
    }

    /** @return the buffer, so the writes are not dead code */
    @Benchmark
    public ByteBuffer encodeMarketDataDirect() {
        MarketData.TYPE.encode(marketData, direct, 0);
        return direct;
    }

    /** @return the decoded message */
    @Benchmark
    public MarketData decodeMarketDataHeap() {
        return MarketData.TYPE.decode(heap, 0);
    }

    /** @return the decoded message */
    @Benchmark
    public MarketData decodeMarketDataDirect() {
        return MarketData.TYPE.decode(direct, 0);
    }

    /** @return the buffer, so the writes are not dead code */
    @Benchmark
    public ByteBuffer encodeCounterUpdateHeap() {
        CounterUpdate.TYPE.encode(counterUpdate, heapCounter, 0);
        return heapCounter;
    }

    /** @return the decoded message */
    @Benchmark
    public CounterUpdate decodeCounterUpdateHeap() {
        return CounterUpdate.TYPE.decode(heapCounter, 0);
    }
}
