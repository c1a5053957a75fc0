package io.mycelium.console.impl.model;

import java.util.List;
import java.util.Map;

/** A fixed snapshot of a two-node deployment, for the tests of what the console prints and exports. */
public final class SampleSnapshots {

    private SampleSnapshots() {
    }

    /** @return node {@code feed}: one accepted and one failing link, two types, one subscription, two Python services */
    public static NodeSnapshot node() {
        final NodeOverview overview = new NodeOverview("feed",
                List.of(new SchemaRow("examples", "ab".repeat(32), 5, true, "")), 3_723_000, 1500, 1400, 10, 20,
                0.5, 0, List.of("transport shm is not installed"));
        final TopologyView topology = new TopologyView(true, "deploy/topology.toml", "feed",
                List.of(new NodeRow("feed", "", "tcp:127.0.0.1:7400", true, List.of("market-feed")),
                        new NodeRow("sink", "127.0.0.2", "", false, List.of("recorder"))),
                List.of(new ServiceRow("market-feed", "feed", ServiceRow.Placement.RUNNING_HERE, ""),
                        new ServiceRow("recorder", "sink", ServiceRow.Placement.PLACED_ELSEWHERE, ""),
                        new ServiceRow("scorer", "sink", ServiceRow.Placement.HELD, "placed on node 'sink'")),
                List.of(new RouteRow("sink", "tcp")), List.of(), 0, "");
        final List<LinkRow> links = List.of(
                new LinkRow("sink", "tcp", "accepted", "v1", "connected", "/127.0.0.2:40000", 0.25, 100, 200, 10,
                        20, 4096, 8192, 0, Map.of("queue.full", 3L), 0, ""),
                new LinkRow("ui", "tcp", "dialed", "", "failing", "127.0.0.3:7400", -1, 0, 0, 0, 0, -1, -1, 0,
                        Map.of(), 4, "connection refused"));
        final List<TypeRow> types = List.of(
                new TypeRow(1001, "MarketData", "examples", 48, 9000, 8000, 2, 0, 1, 3, 1000, 900, 0.2, 0, 48000),
                new TypeRow(77, "", "", -1, 5, 0, 0, 5, 0, 0, 0.5, 0, 0, 0.5, -1));
        final List<SubscriptionRow> subs = List.of(new SubscriptionRow(1, "recorder", 1001, "MarketData", false,
                "queued", "drop_oldest", 8192, 3, 17, 8000, 2, 1, 900));
        final PythonView python = new PythonView(true, "3.11.7", "/usr/bin/python3", List.of(
                new PythonServiceRow("python", "", "running", 0, 0, 0, 0, "", 0, 0, 0, 65536),
                new PythonServiceRow("scorer", "deploy/scorer.py", "finished", 60_000, 42, 2.5, 1,
                        "Traceback (most recent call last):\n  File \"scorer.py\", line 3\nValueError: bad", 1, 0,
                        64, 65536)));
        return new NodeSnapshot(0, overview, topology,
                List.of(new TransportRow("tcp", "127.0.0.1:7400", Map.of("links.opened", 1L, "frames.dropped", 0L),
                        1)), links, types, subs, python);
    }

}
