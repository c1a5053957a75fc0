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
import org.openjdk.jmh.infra.Blackhole;

import io.mycelium.examples.protocol.CounterUpdate;
import io.mycelium.examples.protocol.MarketData;
import io.mycelium.examples.protocol.MarketDataView;

/**
 * Cost of the generated codecs: encode and decode of the 64-byte {@link MarketData} (a String(16) and five 8-byte
 * fields) into heap and direct buffers, with the 16-byte all-primitive {@link CounterUpdate} as a floor, and the
 * zero-copy {@link MarketDataView}: wrap plus a read of every field (the symbol compared or copied in place).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MessageCodec -prof gc}. Encode and the view benchmarks
 * must allocate 0 B/op; decode allocates the message (and its String) by design.
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
    private final MarketDataView view = MarketData.newView();
    private final byte[] symbolBytes = new byte[16];
    // a field, not a constant, so the comparison cannot be folded
    private String symbol = "BTC-USD";

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

    /** Wraps the view and reads every field in place, comparing the symbol without decoding it. */
    @Benchmark
    public void viewMarketDataHeap(final Blackhole blackhole) {
        readAll(view.wrap(heap, 0), blackhole);
    }

    /** As {@link #viewMarketDataHeap} on a direct buffer. */
    @Benchmark
    public void viewMarketDataDirect(final Blackhole blackhole) {
        readAll(view.wrap(direct, 0), blackhole);
    }

    /** Wraps the view and reads every field in place, copying the symbol's UTF-8 bytes into a reused array. */
    @Benchmark
    public void viewCopyMarketDataHeap(final Blackhole blackhole) {
        final MarketDataView wrapped = view.wrap(heap, 0);
        blackhole.consume(wrapped.symbolCopyTo(symbolBytes));
        blackhole.consume(symbolBytes);
        readNumbers(wrapped, blackhole);
    }

    private void readAll(final MarketDataView wrapped, final Blackhole blackhole) {
        blackhole.consume(wrapped.symbolEquals(symbol));
        readNumbers(wrapped, blackhole);
    }

    private static void readNumbers(final MarketDataView wrapped, final Blackhole blackhole) {
        blackhole.consume(wrapped.bid());
        blackhole.consume(wrapped.ask());
        blackhole.consume(wrapped.last());
        blackhole.consume(wrapped.volume());
        blackhole.consume(wrapped.timestamp());
    }
}
