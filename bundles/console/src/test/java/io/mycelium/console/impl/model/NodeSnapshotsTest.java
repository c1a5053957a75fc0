package io.mycelium.console.impl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mycelium.api.Delivery;
import io.mycelium.bus.impl.BusSettings;
import io.mycelium.bus.impl.MessageBusImpl;
import io.mycelium.python.PythonInterpreterInfo;
import io.mycelium.python.PythonServiceInfo;
import io.mycelium.python.PythonServiceMonitor;
import io.mycelium.testsupport.RawSchema;
import io.mycelium.transport.stream.LinkState;
import io.mycelium.transport.stream.LinkStats;
import io.mycelium.transport.stream.PeerLinkState;
import io.mycelium.transport.stream.TransportCounter;
import io.mycelium.transport.stream.TransportStats;
import io.mycelium.transport.stream.TransportStatsSource;

class NodeSnapshotsTest {

    private static final int TICK = 7;
    private final MessageBusImpl bus = new MessageBusImpl(BusSettings.defaults());

    @AfterEach
    void closeBus() {
        bus.close();
    }

    @Test
    void shouldReadTypesAndSubscriptionsWhenTheBusCounts() {
        bus.addSchema(new RawSchema("ticks", new byte[32], Map.of(TICK, 16)));
        bus.forService("sink").subscribeRaw(TICK, (typeId, payload) -> { },
                Delivery.queued(4, Delivery.Overflow.DROP_NEWEST));
        for (int i = 0; i < 10; i++) {
            bus.publishRaw(TICK, ByteBuffer.allocate(16));
        }
        final NodeSnapshot snapshot = new NodeSnapshots(bus.stats(), null, null, null, null).sampler().read();

        final TypeRow tick = snapshot.types().stream().filter(t -> t.typeId() == TICK).findFirst().orElseThrow();
        assertEquals(10, tick.published());
        assertEquals(16, tick.sizeBytes());
        assertTrue(tick.publishedPerSecond() > 0, "first read averages over the uptime");
        assertEquals(tick.publishedPerSecond() * 16, tick.bytesPerSecond(), 1e-6);
        final SubscriptionRow sub = snapshot.subscriptions().get(0);
        assertEquals("sink", sub.service());
        assertEquals("queued", sub.delivery());
        assertEquals("drop_newest", sub.policy());
        assertEquals(4, sub.capacity());
        assertEquals(1, snapshot.overview().schemas().size());
        assertFalse(snapshot.topology().available());
        assertFalse(snapshot.python().available());
    }

    @Test
    void shouldShowDialedPeerWithItsErrorWhenItIsNotConnected() {
        final TransportStatsSource tcp = () -> new TransportStats("tcp", "feed", "127.0.0.1:7400",
                Map.of(TransportCounter.FRAMES_RECEIVED.key(), 3L),
                List.of(new LinkStats("sink", "/127.0.0.1:5555", false, false, 3, 4, 2, 0, 1, 1_500_000, 100, 200, "TLSv1.3")),
                List.of(new PeerLinkState("ui", "127.0.0.2:7400", LinkState.FAILING, 5, 4, "connection refused")));
        final NodeSnapshot snapshot = new NodeSnapshots(null, null, List.of(tcp), null, null).sampler().read();

        assertEquals("feed", snapshot.overview().nodeName(), "the transport names the node without a topology");
        assertEquals(2, snapshot.links().size());
        final LinkRow accepted = snapshot.links().get(0);
        assertEquals("accepted", accepted.direction());
        assertEquals("v1 over TLSv1.3", accepted.protocol());
        assertEquals(1.5, accepted.rttMillis(), 1e-9);
        assertEquals(Map.of(NodeSnapshots.QUEUE_FULL, 2L), accepted.dropsByReason());
        assertEquals(100, accepted.bytesIn());
        final LinkRow failing = snapshot.links().get(1);
        assertEquals("failing", failing.state());
        assertEquals(4, failing.reconnects());
        assertEquals("connection refused", failing.lastError());
    }

    @Test
    void shouldReportPythonServiceInErrorAndHealthProblemsWhenPresent() {
        final PythonServiceMonitor monitor = new PythonServiceMonitor() {
            @Override
            public List<PythonServiceInfo> services() {
                return List.of(new PythonServiceInfo("scorer", "failed", 1, 0, 0, 0, "deploy/scorer.py", 0,
                        "Traceback (most recent call last):\nValueError: bad", 0, 64));
            }

            @Override
            public PythonInterpreterInfo interpreter() {
                return new PythonInterpreterInfo("3.11.7", "/usr/bin/python3");
            }
        };
        final PythonSource python = new PythonMonitorSource(monitor);
        final NodeSnapshot snapshot = new NodeSnapshots(null, null, null, python,
                () -> Map.of("problems", List.of("transport tcp is not installed"))).sampler().read();

        assertEquals(List.of("transport tcp is not installed", "Python service scorer is failed: ValueError: bad"),
                snapshot.overview().problems());
        assertEquals("3.11.7", snapshot.python().version());
    }
}
