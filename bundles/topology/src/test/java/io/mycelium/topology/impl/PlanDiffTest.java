package io.mycelium.topology.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import io.mycelium.topology.Endpoint.Kind;
import io.mycelium.topology.Topology;

import org.junit.jupiter.api.Test;

class PlanDiffTest {

    private final TopologyParser parser = new TopologyParser();

    @Test
    void shouldRegisterEverythingWhenStartingFromEmpty() {
        final NodePlan plan = NodePlan.of(TopologyFixtures.parse("topologies/two-nodes-one-host.toml"), "strategy");
        final PlanDiff diff = PlanDiff.between(NodePlan.EMPTY, plan);
        assertEquals(Set.of(), diff.unregister());
        assertEquals(Set.of("java-strategy", "python-ml-model"), diff.register());
        assertEquals(plan.transports(), diff.put());
        assertEquals(Set.of(), diff.delete());
    }

    @Test
    void shouldChangeNothingWhenSameTopologyReapplied() {
        final NodePlan a = NodePlan.of(TopologyFixtures.parse("topologies/two-hosts.toml"), "adapters");
        final NodePlan b = NodePlan.of(TopologyFixtures.parse("topologies/two-hosts.toml"), "adapters");
        assertTrue(PlanDiff.between(a, b).isEmpty());
    }

    @Test
    void shouldTouchOnlyChangedServicesAndTransportsWhenServiceMovesAway() {
        final NodePlan before = plan("""
                [[nodes]]
                name = "me"
                services = ["keep", "move"]
                [[nodes]]
                name = "other"
                services = []
                """, "me");
        final NodePlan after = plan("""
                [[nodes]]
                name = "me"
                services = ["keep", "new"]
                [[nodes]]
                name = "other"
                services = ["move"]
                """, "me");
        final PlanDiff diff = PlanDiff.between(before, after);
        assertEquals(Set.of("move"), diff.unregister());
        assertEquals(Set.of("new"), diff.register());
        assertTrue(diff.put().isEmpty(), "unix transport unchanged: " + diff.put());
        assertTrue(diff.delete().isEmpty());
    }

    @Test
    void shouldSwapTransportsWhenPeerMovesToAnotherHost() {
        final NodePlan before = plan("""
                [[nodes]]
                name = "me"
                services = ["a"]
                [[nodes]]
                name = "peer"
                services = ["b"]
                """, "me");
        final NodePlan after = plan("""
                [[nodes]]
                name = "me"
                services = ["a"]
                host = "10.0.0.1"
                port = 9000
                [[nodes]]
                name = "peer"
                services = ["b"]
                host = "10.0.0.2"
                port = 9000
                """, "me");
        final PlanDiff diff = PlanDiff.between(before, after);
        assertTrue(diff.register().isEmpty() && diff.unregister().isEmpty());
        assertEquals(Set.of(Kind.TCP), diff.put().keySet());
        assertEquals(Set.of(Kind.UNIX), diff.delete());
        assertTrue(PlanDiff.between(after, NodePlan.EMPTY).put().isEmpty());
        assertEquals(Set.of(Kind.TCP), PlanDiff.between(after, NodePlan.EMPTY).delete());
    }

    @Test
    void shouldUpdateTransportWhenPeerAddressChanges() {
        final String twoNodes = """
                socket_dir = "%s"
                [[nodes]]
                name = "me"
                services = ["a"]
                [[nodes]]
                name = "peer"
                services = ["b"]
                """;
        final PlanDiff diff = PlanDiff.between(plan(twoNodes.formatted("/run/a"), "me"),
                plan(twoNodes.formatted("/run/b"), "me"));
        assertEquals(Set.of(Kind.UNIX), diff.put().keySet());
        assertEquals("/run/b/me.sock", diff.put().get(Kind.UNIX).listen().orElseThrow());
        assertTrue(diff.delete().isEmpty() && diff.register().isEmpty());
    }

    @Test
    void shouldReRegisterEveryContextWhenNodeRenamed() {
        final NodePlan before = plan("[[nodes]]\nname = \"x\"\nservices = [\"a\", \"b\"]\n", "x");
        final NodePlan after = plan("[[nodes]]\nname = \"y\"\nservices = [\"a\", \"b\"]\n", "y");
        final PlanDiff diff = PlanDiff.between(before, after);
        assertEquals(Set.of("a", "b"), diff.unregister());
        assertEquals(Set.of("a", "b"), diff.register());
        assertEquals(Map.of(), diff.put());
    }

    private NodePlan plan(final String toml, final String node) {
        final Topology t = parser.parse("topology.toml", toml);
        return NodePlan.of(t, node);
    }
}
