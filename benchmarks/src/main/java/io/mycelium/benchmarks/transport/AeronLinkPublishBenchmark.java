package io.mycelium.benchmarks.transport;

import io.mycelium.api.Delivery;
import io.mycelium.bus.impl.BusSettings;
import io.mycelium.bus.impl.MessageBusImpl;
import io.mycelium.testsupport.FreePort;
import io.mycelium.testsupport.RawSchema;
import io.mycelium.transport.aeron.impl.AeronDriver;
import io.mycelium.transport.aeron.impl.AeronTransport;
import io.mycelium.transport.aeron.impl.AeronTransportComponent;
import io.mycelium.transport.stream.LinkProperties;
import io.mycelium.transport.stream.TransportCounter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.LoggerFactory;

/**
 * A local publish of a 64-byte message that one Aeron peer subscribes to: the bus's tap, the link's offer to the
 * peer's publication (the payload offered in one piece, its type id in the Aeron header's reserved value, no copy
 * into a queue), through one embedded media driver on
 * 127.0.0.1/127.0.0.2. Run with {@code -prof gc}: the publish path must show 0 B/op. Frames the peer's window cannot
 * take are dropped and counted (also allocation-free); the teardown prints how many were sent and dropped.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar AeronLinkPublishBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class AeronLinkPublishBenchmark {

    private static final int TYPE = 1001;
    private static final int SIZE = 64;

    private Path dir;
    private AeronDriver driver;
    private MessageBusImpl busA;
    private MessageBusImpl busB;
    private AeronTransport a;
    private AeronTransport b;
    private final ByteBuffer payload = ByteBuffer.allocate(SIZE);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("aeron-bench");
        driver = AeronDriver.embedded(dir.resolve("aeron"), "bench", LoggerFactory.getLogger("bench"));
        final RawSchema schema = new RawSchema("bench", MessageDigest.getInstance("SHA-256")
                .digest("bench".getBytes(StandardCharsets.UTF_8)), Map.of(TYPE, SIZE));
        busA = new MessageBusImpl(BusSettings.defaults());
        busB = new MessageBusImpl(BusSettings.defaults());
        busB.subscribeRaw(TYPE, (id, p) -> { }, Delivery.INLINE);
        final String channelA = "aeron:udp?endpoint=127.0.0.1:" + FreePort.on("127.0.0.1");
        final String channelB = "aeron:udp?endpoint=127.0.0.2:" + FreePort.on("127.0.0.2");
        a = transport("a", busA, schema);
        b = transport("b", busB, schema);
        a.start(channelA, Map.of("b", channelB));
        b.start(channelB, Map.of("a", channelA));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (a.stats().links().isEmpty() || a.stats().links().get(0).peerTypeIds() != 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no Aeron link with b's interest within 30 s: " + a.stats());
            }
            Thread.sleep(10);
        }
    }

    private AeronTransport transport(final String node, final MessageBusImpl bus, final RawSchema schema) {
        return new AeronTransport(LinkProperties.settings(AeronTransportComponent.PID, node, Map.of()),
                driver.directory(), AeronTransport.DEFAULT_STREAM_ID, bus, schema,
                LoggerFactory.getLogger("io.mycelium.transport.aeron"));
    }

    @Benchmark
    public void publishToOneAeronPeer() {
        payload.clear();
        busA.publishRaw(TYPE, payload);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println("aeron link a -> b: frames sent " + a.stats().counter(TransportCounter.FRAMES_SENT)
                + ", dropped " + a.stats().counter(TransportCounter.FRAMES_DROPPED) + " (back-pressured "
                + a.stats().counters().get("aeron.back.pressured") + ")");
        a.close();
        b.close();
        busA.close();
        busB.close();
        driver.close();
    }
}
