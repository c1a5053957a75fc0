package io.mycelium.topology.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.mycelium.topology.Endpoint.Kind;
import io.mycelium.topology.Topology;

import org.junit.jupiter.api.Test;

class NodePlanTest {

    @Test
    void shouldNeedNoTransportWhenSingleNode() {
        final NodePlan plan = NodePlan.of(TopologyFixtures.parse("topologies/single-node.toml"), "main");
        assertEquals(Set.of("java-strategy", "python-ml-model", "java-executor"), plan.services());
        assertEquals(Map.of(), plan.transports());
        assertEquals(List.of(), plan.warnings());
    }

    @Test
    void shouldListenAndDialUnixWhenTwoNodesOnOneHost() {
        final Topology t = TopologyFixtures.parse("topologies/two-nodes-one-host.toml");
        final NodePlan gateway = NodePlan.of(t, "gateway");
        assertEquals(Map.of(Kind.UNIX, new TransportPlan(Kind.UNIX, "gateway",
                Optional.of("/tmp/mycelium-example/gateway.sock"),
                List.of("strategy=/tmp/mycelium-example/strategy.sock"), "/tmp/mycelium-example")),
                gateway.transports());
        final NodePlan strategy = NodePlan.of(t, "strategy");
        assertEquals(Set.of("java-strategy", "python-ml-model"), strategy.services());
        assertEquals(Map.of(Kind.UNIX, new TransportPlan(Kind.UNIX, "strategy",
                Optional.of("/tmp/mycelium-example/strategy.sock"),
                List.of("gateway=/tmp/mycelium-example/gateway.sock"), "/tmp/mycelium-example")),
                strategy.transports());
    }

    @Test
    void shouldListenOnAddrAndDialHostPortWhenTwoHosts() {
        final Topology t = TopologyFixtures.parse("topologies/two-hosts.toml");
        assertEquals(Map.of(Kind.TCP, new TransportPlan(Kind.TCP, "strategies", Optional.of("0.0.0.0:9000"),
                List.of("adapters=10.0.1.10:9000"), "/tmp/mycelium")), NodePlan.of(t, "strategies").transports());
        assertEquals(Map.of(Kind.TCP, new TransportPlan(Kind.TCP, "adapters", Optional.of("10.0.1.10:9000"),
                List.of("strategies=10.0.1.20:9000"), "/tmp/mycelium")), NodePlan.of(t, "adapters").transports());
    }

    @Test
    void shouldUseShmOneWayAndUnixBackWhenTargetDeclaresShm() {
        final Topology t = TopologyFixtures.parse("topologies/shm-pair.toml");
        final NodePlan producer = NodePlan.of(t, "producer");
        assertEquals(Map.of(
                Kind.UNIX, new TransportPlan(Kind.UNIX, "producer", Optional.of("/tmp/mycelium/producer.sock"),
                        List.of(), "/tmp/mycelium"),
                Kind.SHM, new TransportPlan(Kind.SHM, "producer", Optional.empty(),
                        List.of("consumer=/dev/shm/mycelium/consumer.shm"), "/tmp/mycelium")),
                producer.transports());
        final NodePlan consumer = NodePlan.of(t, "consumer");
        assertEquals(Map.of(
                Kind.UNIX, new TransportPlan(Kind.UNIX, "consumer", Optional.empty(),
                        List.of("producer=/tmp/mycelium/producer.sock"), "/tmp/mycelium"),
                Kind.SHM, new TransportPlan(Kind.SHM, "consumer", Optional.of("/dev/shm/mycelium/consumer.shm"),
                        List.of(), "/tmp/mycelium")),
                consumer.transports());
    }

    @Test
    void shouldListenOnDeclaredEndpointWhenNoPeer() {
        final NodePlan plan = NodePlan.of(TopologyFixtures.parse("seed/endpoint-option3-tcp.toml"), "python-worker");
        assertEquals(Map.of(Kind.TCP, new TransportPlan(Kind.TCP, "python-worker", Optional.of("0.0.0.0:9091"),
                List.of(), "/tmp/mycelium")), plan.transports());
    }

    @Test
    void shouldWarnAndSkipWhenPeerHasNoAddressForItsRoute() {
        final Topology t = TopologyFixtures.parse("seed/mixed-deployment.toml");
        final NodePlan strategy = NodePlan.of(t, "strategy-node");
        // ml-node (this host, unix only) cannot be reached from 10.0.2.20; alerts-node can, at its endpoint.addr.
        assertEquals(List.of("alerts-node=0.0.0.0:9093"), strategy.transports().get(Kind.TCP).peers());
        assertEquals(Optional.of("10.0.2.20:9092"), strategy.transports().get(Kind.TCP).listen());
        assertEquals(2, strategy.warnings().size());
        assertTrue(strategy.warnings().get(0).startsWith("node 'ml-node' is reached over tcp but has no tcp address"),
                strategy.warnings().get(0));
        assertTrue(strategy.warnings().get(1).startsWith("node 'alerts-node' is dialled at 0.0.0.0:9093, a "
                + "listen-on-all address; add host and port"), strategy.warnings().get(1));
        final NodePlan ml = NodePlan.of(t, "ml-node");
        assertEquals(Optional.of("/tmp/mycelium/ml-node.sock"), ml.transports().get(Kind.UNIX).listen());
        assertEquals(List.of("alerts-node=/tmp/mycelium/alerts-node.sock"), ml.transports().get(Kind.UNIX).peers());
        assertEquals(List.of("strategy-node=10.0.2.20:9092"), ml.transports().get(Kind.TCP).peers());
        assertTrue(ml.warnings().get(0).startsWith("this node 'ml-node' is reached over tcp by strategy-node"),
                ml.warnings().toString());
    }

    @Test
    void shouldProduceTransportPropertiesWhenConverted() {
        final var props = new TransportPlan(Kind.TCP, "n", Optional.of("127.0.0.1:0"), List.of("p=1.2.3.4:5"),
                "/tmp/mycelium").toProperties();
        assertEquals("n", props.get("node"));
        assertEquals("127.0.0.1:0", props.get("listen"));
        assertEquals(List.of("p=1.2.3.4:5"), List.of((String[]) props.get("peers")));
        assertEquals("/tmp/mycelium", props.get("socket.dir"));
        assertEquals("io.mycelium.transport.tcp", TransportPlan.factoryPid(Kind.TCP));
        final var dialOnly = new TransportPlan(Kind.UNIX, "n", Optional.empty(), List.of(), "/d").toProperties();
        assertTrue(!dialOnly.containsKey("listen"));
    }
}
