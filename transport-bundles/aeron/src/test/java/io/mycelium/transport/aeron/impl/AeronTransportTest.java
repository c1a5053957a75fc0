package io.mycelium.transport.aeron.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.Delivery;
import io.mycelium.api.Subscription;
import io.mycelium.bus.impl.BusSettings;
import io.mycelium.bus.impl.MessageBusImpl;
import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.FreePort;
import io.mycelium.testsupport.RawSchema;
import io.mycelium.testsupport.StderrCapture;
import io.mycelium.transport.stream.LinkProperties;
import io.mycelium.transport.stream.LinkState;
import io.mycelium.transport.stream.LinkStats;
import io.mycelium.transport.stream.TransportCounter;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Aeron links between transports of one JVM, through one embedded media driver, on 127.0.0.1 and 127.0.0.2: the
 * handshake, interest, delivery without echo, a digest mismatch, an unreachable channel, and the publish path's
 * allocation.
 */
class AeronTransportTest {

    private static final int TYPE_A = 1001;
    private static final int SIZE_A = 16;
    private static final int TYPE_B = 1002;
    private static final int SIZE_B = 8;
    /** Larger than one Aeron fragment (MTU 1408 less the 32-byte header): sent in three. */
    private static final int TYPE_BIG = 1003;
    private static final int SIZE_BIG = 4_000;
    private static final RawSchema SCHEMA = schema("tests");
    private static final RawSchema OTHER_SCHEMA = schema("other");

    @TempDir
    static Path dir;
    private static AeronDriver driver;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeAll
    static void startDriver() {
        driver = AeronDriver.embedded(dir.resolve("aeron"), "test", LoggerFactory.getLogger("test"));
    }

    @AfterAll
    static void stopDriver() {
        driver.close();
    }

    @org.junit.jupiter.api.AfterEach
    void closeAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void shouldCarryOnlySubscribedTypesWithoutEchoWhenLinked() throws Exception {
        final MessageBusImpl busA = bus();
        final MessageBusImpl busB = bus();
        final AeronTransport[] pair = pair(busA, busB);
        final AeronTransport a = pair[0];
        final AeronTransport b = pair[1];
        Await.until("linked", () -> open(a, "b") != null && open(b, "a") != null, () -> a.stats() + "\n" + b.stats());

        final AtomicInteger atB = new AtomicInteger();
        final Subscription subscription = busB.subscribeRaw(TYPE_A, (id, p) -> atB.incrementAndGet(),
                Delivery.INLINE);
        Await.until("b's interest reached a", () -> open(a, "b").peerTypeIds() == 1);
        final AtomicInteger atA = new AtomicInteger();
        busA.subscribeRaw(TYPE_A, (id, p) -> atA.incrementAndGet(), Delivery.INLINE);
        Await.until("a's interest reached b", () -> open(b, "a").peerTypeIds() == 1);

        busA.publishRaw(TYPE_A, ByteBuffer.allocate(SIZE_A));
        busA.publishRaw(TYPE_B, ByteBuffer.allocate(SIZE_B));
        Await.until("b's subscriber got it", () -> atB.get() == 1);
        Await.until("b counted it", () -> b.stats().counter(TransportCounter.FRAMES_RECEIVED) == 1);
        assertEquals(1, a.stats().counter(TransportCounter.FRAMES_SENT), "TYPE_B has no subscriber at b: not sent");
        assertEquals(0, b.stats().counter(TransportCounter.FRAMES_SENT), "no echo back to a");
        assertEquals(1, atA.get(), "a's own subscriber got its publish once");

        subscription.close();
        Await.until("b's lost interest reached a", () -> open(a, "b").peerTypeIds() == 0);
        busA.publishRaw(TYPE_A, ByteBuffer.allocate(SIZE_A));
        assertEquals(1, a.stats().counter(TransportCounter.FRAMES_SENT), "nothing sent once b unsubscribed");
    }

    @Test
    void shouldDeliverAMessageWholeWhenItIsLargerThanOneAeronFragment() throws Exception {
        final MessageBusImpl busA = bus();
        final MessageBusImpl busB = bus();
        final AeronTransport[] pair = pair(busA, busB);
        final List<byte[]> atB = new java.util.concurrent.CopyOnWriteArrayList<>();
        busB.subscribeRaw(TYPE_BIG, (id, p) -> {
            final byte[] bytes = new byte[p.remaining()];
            p.duplicate().get(bytes);
            atB.add(bytes);
        }, Delivery.INLINE);
        Await.until("b's interest reached a", () -> open(pair[0], "b") != null
                && open(pair[0], "b").peerTypeIds() == 1, () -> pair[0].stats().toString());
        final byte[] sent = new byte[SIZE_BIG];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = (byte) (i * 31);
        }
        busA.publishRaw(TYPE_BIG, ByteBuffer.wrap(sent));
        Await.until("b got it", () -> atB.size() == 1, () -> pair[1].stats().toString());
        assertTrue(java.util.Arrays.equals(sent, atB.get(0)), "the reassembled payload is the one sent");
        assertEquals(0, pair[1].stats().counter(TransportCounter.PROTOCOL_ERRORS), pair[1].stats()::toString);
    }

    @Test
    void shouldReachEverySubscriberWithOneOfferAndKeepInterestWhenFanningOut() throws Exception {
        final String channelA = channel("127.0.0.1");
        final String channelB = channel("127.0.0.2");
        final String channelC = channel("127.0.0.3");
        final MessageBusImpl busA = bus();
        final MessageBusImpl busB = bus();
        final MessageBusImpl busC = bus();
        final AeronTransport a = start("a", busA, SCHEMA, channelA, Map.of("b", channelB, "c", channelC), Map.of(),
                true);
        // b and c on drivers of their own, as nodes have by default
        final AeronTransport b = start("b", busB, SCHEMA, channelB, Map.of("a", channelA, "c", channelC), Map.of(),
                false, ownDriver("b"));
        final AeronTransport c = start("c", busC, SCHEMA, channelC, Map.of("a", channelA, "b", channelB), Map.of(),
                false, ownDriver("c"));
        final AtomicInteger aAtB = new AtomicInteger();
        final AtomicInteger aAtC = new AtomicInteger();
        final AtomicInteger bAtB = new AtomicInteger();
        final AtomicInteger bAtC = new AtomicInteger();
        busB.subscribeRaw(TYPE_A, (id, p) -> aAtB.incrementAndGet(), Delivery.INLINE);
        final Subscription cA = busC.subscribeRaw(TYPE_A, (id, p) -> aAtC.incrementAndGet(), Delivery.INLINE);
        busB.subscribeRaw(TYPE_B, (id, p) -> bAtB.incrementAndGet(), Delivery.INLINE);
        Await.until("b and c joined a's fan-out and subscribe", () -> counter(a, AeronCounters.FANOUT_JOINS) == 2
                && open(a, "b") != null && open(a, "b").peerTypeIds() == 2
                && open(a, "c") != null && open(a, "c").peerTypeIds() == 1, () -> a.stats().toString());

        for (int i = 0; i < 100; i++) {
            busA.publishRaw(TYPE_A, ByteBuffer.allocate(SIZE_A));
        }
        busA.publishRaw(TYPE_B, ByteBuffer.allocate(SIZE_B));
        Await.until("b and c got every TYPE_A, b its TYPE_B", () -> aAtB.get() == 100 && aAtC.get() == 100
                && bAtB.get() == 1, () -> aAtB + " " + aAtC + " " + bAtB + "\n" + a.stats());
        assertEquals(100, counter(a, AeronCounters.FANOUT_FRAMES_SENT), "one offer per TYPE_A for both peers");
        assertEquals(1, a.stats().counter(TransportCounter.FRAMES_SENT), "TYPE_B only to b, on b's own link");
        assertEquals(0, bAtC.get(), "c does not subscribe to TYPE_B");
        assertEquals(0, b.stats().counter(TransportCounter.FRAMES_SENT) + c.stats().counter(TransportCounter.FRAMES_SENT),
                "no echo");

        cA.close();
        Await.until("c's lost interest reached a", () -> open(a, "c").peerTypeIds() == 0);
        busA.publishRaw(TYPE_A, ByteBuffer.allocate(SIZE_A));
        Await.until("b got it on its own link", () -> aAtB.get() == 101, a.stats()::toString);
        assertEquals(100, aAtC.get(), "c unsubscribed: nothing more crosses to it");
        assertEquals(100, counter(a, AeronCounters.FANOUT_FRAMES_SENT), "not fanned out: only b wants it");
        assertEquals(2, a.stats().counter(TransportCounter.FRAMES_SENT), a.stats()::toString);
    }

    @Test
    void shouldKeepEveryLinkOpenBothWaysWhenTwoNodesShareOneDriverAndLinkToTheSamePeer() throws Exception {
        final List<MessageBusImpl> buses = List.of(bus(), bus(), bus());
        final MessageBusImpl busA = buses.get(0);
        final MessageBusImpl busB = buses.get(1);
        final MessageBusImpl busC = buses.get(2);
        final String channelA = channel("127.0.0.1");
        final String channelB = channel("127.0.0.2");
        final String channelC = channel("127.0.0.3");
        // a and b are two nodes of one host using one (external) driver; both publish to c and fan out to b or a and
        // c, so their link publications to c, and their fan-out publications, have the same channel and stream there
        final Map<String, Object> fastPings = Map.of(LinkProperties.HEARTBEAT_INTERVAL_MS, 50);
        final AeronTransport a = start("a", busA, SCHEMA, channelA, Map.of("b", channelB, "c", channelC), fastPings,
                true);
        final AeronTransport b = start("b", busB, SCHEMA, channelB, Map.of("a", channelA, "c", channelC), fastPings,
                true);
        final AeronTransport c = start("c", busC, SCHEMA, channelC, Map.of("a", channelA, "b", channelB), fastPings,
                false, ownDriver("c"));
        final AtomicIntegerArray[] typeAByOrigin = {new AtomicIntegerArray(2), new AtomicIntegerArray(2),
            new AtomicIntegerArray(2)};
        final AtomicInteger typeBAtA = new AtomicInteger();
        final AtomicInteger typeBAtB = new AtomicInteger();
        for (int i = 0; i < buses.size(); i++) {
            final AtomicIntegerArray byOrigin = typeAByOrigin[i];
            buses.get(i).subscribeRaw(TYPE_A, (id, p) -> byOrigin.incrementAndGet(p.get(p.position()) - 'a'),
                    Delivery.INLINE);
        }
        busA.subscribeRaw(TYPE_B, (id, p) -> typeBAtA.incrementAndGet(), Delivery.INLINE);
        busB.subscribeRaw(TYPE_B, (id, p) -> typeBAtB.incrementAndGet(), Delivery.INLINE);
        final java.util.function.Supplier<String> all = () -> a.stats() + "\n" + b.stats() + "\n" + c.stats();
        Await.until("linked, interest everywhere, b and c in a's fan-out, a and c in b's", () ->
                typeIds(a, "b") == 2 && typeIds(a, "c") == 1 && typeIds(b, "a") == 2 && typeIds(b, "c") == 1
                && typeIds(c, "a") == 2 && typeIds(c, "b") == 2 && counter(a, AeronCounters.FANOUT_JOINS) == 2
                && counter(b, AeronCounters.FANOUT_JOINS) == 2, all);

        final ByteBuffer fromA = ByteBuffer.allocate(SIZE_A).put(0, (byte) 'a');
        final ByteBuffer fromB = ByteBuffer.allocate(SIZE_A).put(0, (byte) 'b');
        for (int i = 0; i < 50; i++) {
            busA.publishRaw(TYPE_A, fromA.duplicate());
            busB.publishRaw(TYPE_A, fromB.duplicate());
            busC.publishRaw(TYPE_B, ByteBuffer.allocate(SIZE_B));
        }
        Await.until("c got 50 from a and 50 from b, a and b 50 from each other and 50 from c", () ->
                typeAByOrigin[2].get(0) == 50 && typeAByOrigin[2].get(1) == 50
                && typeAByOrigin[1].get(0) == 50 && typeAByOrigin[0].get(1) == 50 && typeBAtA.get() == 50
                && typeBAtB.get() == 50,
                () -> java.util.Arrays.toString(typeAByOrigin) + " " + typeBAtA + " " + typeBAtB + "\n"
                        + all.get());
        // a link that flaps closes within a few heartbeats: wait for a PING round trip on every link
        Await.until("every link measured an RTT", () -> rtt(a, "b") >= 0 && rtt(a, "c") >= 0 && rtt(b, "a") >= 0
                && rtt(b, "c") >= 0 && rtt(c, "a") >= 0 && rtt(c, "b") >= 0, all);
        for (final AeronTransport node : List.of(a, b, c)) {
            assertEquals(2, node.stats().counter(TransportCounter.LINKS_OPENED), node.stats()::toString);
            assertEquals(0, node.stats().counter(TransportCounter.LINKS_CLOSED), node.stats()::toString);
            assertEquals(0, node.stats().counter(TransportCounter.PROTOCOL_ERRORS), node.stats()::toString);
            assertEquals(0, node.stats().counter(TransportCounter.FRAMES_DROPPED), node.stats()::toString);
        }
        assertEquals(50, counter(a, AeronCounters.FANOUT_FRAMES_SENT), "a fanned out every TYPE_A once");
        assertEquals(50, counter(b, AeronCounters.FANOUT_FRAMES_SENT), "b fanned out every TYPE_A once");
        assertEquals(50, open(c, "a").framesReceived(), all);
        assertEquals(50, open(c, "b").framesReceived(), all);
    }

    @Test
    void shouldTellThePeerGoodbyeWhenANodeStopsTogetherWithItsOwnDriver() throws Exception {
        // As a node stops: its transport, then at once its embedded driver. The GOODBYE must have left by then, or the
        // peer sees the image vanish and reports a failure on a clean stop (AeronLinksIT failed so now and then).
        for (int stop = 1; stop <= 3; stop++) {
            final String channelA = channel("127.0.0.1");
            final String channelB = channel("127.0.0.2");
            final AeronTransport b = start("b", bus(), SCHEMA, channelB, Map.of("a", channelA), Map.of());
            final AeronDriver ownOfA = AeronDriver.embedded(dir.resolve("aeron-stopping-" + stop), "a",
                    LoggerFactory.getLogger("test"));
            try {
                final AeronTransport a = start("a", bus(), SCHEMA, channelA, Map.of("b", channelB), Map.of(), false,
                        ownOfA);
                Await.until("linked", () -> open(a, "b") != null && open(b, "a") != null,
                        () -> a.stats() + "\n" + b.stats());
                a.close();
            } finally {
                ownOfA.close();
            }

            final int attempt = stop;
            Await.until("b heard a's GOODBYE (stop " + attempt + ")",
                    () -> b.stats().counter(TransportCounter.GOODBYES_RECEIVED) == 1, () -> b.stats().toString());
            b.close();
        }
    }

    @Test
    void shouldRefuseWithBothDigestsOnBothSidesWhenSchemasDiffer() throws Exception {
        final String channelA = channel("127.0.0.1");
        final String channelC = channel("127.0.0.2");
        try (StderrCapture log = StderrCapture.start()) {
            final AeronTransport a = start("a", bus(), SCHEMA, channelA, Map.of("c", channelC),
                    Map.of(LinkProperties.CONNECT_TIMEOUT_MS, 100));
            // c starts late: a has warned that c is unreachable, which must not hide the refusals that follow
            Await.until("a reported c unreachable", () -> counter(a, AeronCounters.UNREACHABLE) > 0, log::text);
            final AeronTransport c = start("c", bus(), OTHER_SCHEMA, channelC, Map.of("a", channelA), Map.of());
            Await.until("both refused", () -> a.stats().counter(TransportCounter.HANDSHAKE_DIGEST_MISMATCH) > 0
                    && c.stats().counter(TransportCounter.HANDSHAKE_DIGEST_MISMATCH) > 0
                    && a.stats().counters().get(AeronCounters.REJECTS_RECEIVED) > 0
                    && c.stats().counters().get(AeronCounters.REJECTS_RECEIVED) > 0, () -> a.stats() + "\n"
                    + c.stats() + "\n" + log.text());
            final String ours = SchemaDigest.of(SCHEMA.digest()).toHex();
            final String theirs = SchemaDigest.of(OTHER_SCHEMA.digest()).toHex();
            for (final String node : List.of("a", "c")) {
                Await.until("node " + node + " logged both digests", () -> log.lines("aeron link " + node + " -> ")
                        .stream().anyMatch(l -> l.contains("mismatch") && l.contains(ours) && l.contains(theirs)),
                        log::text);
            }
            Await.until("a logged its refusal of c and c's rejection", () -> !log.lines(
                    "aeron link a -> c: refused node c:").isEmpty()
                    && !log.lines("aeron link a -> c: server c rejected").isEmpty(), log::text);
            assertEquals(LinkState.FAILING, a.stats().peers().get(0).state());
            assertTrue(a.stats().peers().get(0).lastError().contains(theirs), a.stats()::toString);
            assertTrue(a.stats().links().isEmpty(), "no open link");
        }
    }

    @Test
    void shouldReportUnreachableChannelWhenNoSubscriberAnswers() throws Exception {
        final String nowhere = channel("127.0.0.2");
        try (StderrCapture log = StderrCapture.start()) {
            final AeronTransport a = start("a", bus(), SCHEMA, channel("127.0.0.1"), Map.of("gone", nowhere),
                    Map.of(LinkProperties.CONNECT_TIMEOUT_MS, 300));
            Await.until("unreachable reported", () -> a.stats().counters().get(AeronCounters.UNREACHABLE) == 1,
                    () -> a.stats().toString());
            assertEquals(LinkState.FAILING, a.stats().peers().get(0).state());
            assertTrue(a.stats().peers().get(0).lastError().contains(nowhere + " unreachable"), a.stats()::toString);
            Await.until("warned", () -> log.lines("aeron link a -> gone: channel " + nowhere + " unreachable")
                    .size() == 1, log::text);
        }
    }

    @Test
    void shouldAllocateNothingPerFrameWhenPublishingToAPeer() throws Exception {
        final MessageBusImpl busA = bus();
        final MessageBusImpl busB = bus();
        final AeronTransport[] pair = pair(busA, busB);
        final AeronTransport a = pair[0];
        final AeronTransport b = pair[1];
        busB.subscribeRaw(TYPE_A, (id, p) -> { }, Delivery.INLINE);
        Await.until("b's interest reached a", () -> open(a, "b") != null && open(a, "b").peerTypeIds() == 1);
        final AeronTypeSender sender = new AeronTypeSender(TYPE_A, SIZE_A, null);
        sender.route(new AeronPeerLink[] {a.link("b")}, false);
        final ByteBuffer payload = ByteBuffer.allocate(SIZE_A);
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) {
            sender.onMessage(TYPE_A, payload);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20_000; i++) {
            sender.onMessage(TYPE_A, payload);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // under one byte per frame: nothing per frame (a rate-limited drop warning may be written once)
        assertTrue(allocated < 20_000, "publish path allocated " + allocated + " bytes for 20,000 frames");
        Await.until("b received frames", () -> b.stats().counter(TransportCounter.FRAMES_RECEIVED) > 0, () -> b.stats().toString());
    }

    /** Starts "a" on 127.0.0.1 and "b" on 127.0.0.2, each the other's peer, with the same schema. */
    private AeronTransport[] pair(final MessageBusImpl busA, final MessageBusImpl busB) throws Exception {
        final String channelA = channel("127.0.0.1");
        final String channelB = channel("127.0.0.2");
        return new AeronTransport[] {start("a", busA, SCHEMA, channelA, Map.of("b", channelB), Map.of()),
            start("b", busB, SCHEMA, channelB, Map.of("a", channelA), Map.of())};
    }

    private AeronTransport start(final String node, final MessageBusImpl bus, final RawSchema schema,
            final String listen, final Map<String, String> peers, final Map<String, Object> properties) {
        return start(node, bus, schema, listen, peers, properties, false);
    }

    private AeronTransport start(final String node, final MessageBusImpl bus, final RawSchema schema,
            final String listen, final Map<String, String> peers, final Map<String, Object> properties,
            final boolean fanOut) {
        return start(node, bus, schema, listen, peers, properties, fanOut, driver);
    }

    private AeronTransport start(final String node, final MessageBusImpl bus, final RawSchema schema,
            final String listen, final Map<String, String> peers, final Map<String, Object> properties,
            final boolean fanOut, final AeronDriver on) {
        final AeronTransport transport = new AeronTransport(LinkProperties.settings(AeronTransportComponent.PID, node,
                properties), on.directory(), AeronTransport.DEFAULT_STREAM_ID, bus, schema,
                LoggerFactory.getLogger("io.mycelium.transport.aeron"));
        transport.start(listen, peers, fanOut);
        closing.add(transport);
        return transport;
    }

    private AeronDriver ownDriver(final String node) {
        final AeronDriver own = AeronDriver.embedded(dir.resolve("aeron-" + node), node,
                LoggerFactory.getLogger("test"));
        closing.add(own);
        return own;
    }

    private MessageBusImpl bus() {
        final MessageBusImpl bus = new MessageBusImpl(BusSettings.defaults());
        closing.add(bus::close);
        return bus;
    }

    private static long counter(final AeronTransport transport, final String key) {
        return transport.stats().counters().getOrDefault(key, 0L);
    }

    /** The number of types {@code peer} subscribes to on its open link, or -1 when the link is not open. */
    private static int typeIds(final AeronTransport transport, final String peer) {
        final LinkStats link = open(transport, peer);
        return link == null ? -1 : link.peerTypeIds();
    }

    /** The last RTT measured on the open link to {@code peer}, or -1. */
    private static long rtt(final AeronTransport transport, final String peer) {
        final LinkStats link = open(transport, peer);
        return link == null ? -1 : link.lastRttNanos();
    }

    private static LinkStats open(final AeronTransport transport, final String peer) {
        return transport.stats().links().stream().filter(l -> l.peer().equals(peer)).findFirst().orElse(null);
    }

    private static String channel(final String host) throws Exception {
        return "aeron:udp?endpoint=" + host + ":" + FreePort.on(host);
    }

    private static RawSchema schema(final String name) {
        return new RawSchema(name, SchemaDigest.compute(name.getBytes(StandardCharsets.UTF_8)).toByteArray(),
                Map.of(TYPE_A, SIZE_A, TYPE_B, SIZE_B, TYPE_BIG, SIZE_BIG));
    }
}
