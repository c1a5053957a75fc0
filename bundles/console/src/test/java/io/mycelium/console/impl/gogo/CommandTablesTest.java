package io.mycelium.console.impl.gogo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.mycelium.console.impl.model.LinkRow;
import io.mycelium.console.impl.model.NodeOverview;
import io.mycelium.console.impl.model.NodeRow;
import io.mycelium.console.impl.model.NodeSnapshot;
import io.mycelium.console.impl.model.PythonServiceRow;
import io.mycelium.console.impl.model.PythonView;
import io.mycelium.console.impl.model.RouteRow;
import io.mycelium.console.impl.model.SchemaRow;
import io.mycelium.console.impl.model.ServiceRow;
import io.mycelium.console.impl.model.SubscriptionRow;
import io.mycelium.console.impl.model.TopologyView;
import io.mycelium.console.impl.model.TransportRow;
import io.mycelium.console.impl.model.TypeRow;

class CommandTablesTest {

    private final CommandTables tables = new CommandTables(ZoneOffset.UTC);

    private static NodeSnapshot snapshot() {
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

    @Test
    void shouldPrintTypesWithRatesAndTotalsWhenAsked() {
        assertEquals("""
                  ID  TYPE        SIZE   PUB/S  DELIV/S  DROP/S  NOSUB/S  BYTES/S  PUBLISHED  DELIVERED  DROPPED  \
                NO_SUBSCRIBER  ERRORS  SUBS
                1001  MarketData    48  1000.0    900.0     0.2      0.0  48000.0       9000       8000        2  \
                            0       1     3
                  77  type 77        -     0.5      0.0     0.0      0.5        -          5          0        0  \
                            5       0     0
                """, tables.types(snapshot()));
    }

    @Test
    void shouldPrintLinksWithTransportCountersAndFailingPeerWhenAsked() {
        final String text = tables.links(snapshot());

        assertTrue(text.startsWith("transport tcp, listening on 127.0.0.1:7400, 1 open; links.opened=1\n"), text);
        assertTrue(text.contains("sink  tcp        accepted   v1        connected  /127.0.0.2:40000   0.250"), text);
        assertTrue(text.contains("queue.full=3"), text);
        assertTrue(text.contains("ui    tcp        dialed     -         failing    127.0.0.3:7400         -"), text);
        assertTrue(text.stripTrailing().endsWith("4  connection refused"), text);
    }

    @Test
    void shouldPrintPlacementAndRoutesWhenTopologyAsked() {
        final String text = tables.topology(snapshot());

        assertTrue(text.startsWith("topology deploy/topology.toml, this node 'feed', applied 1970-01-01 00:00:00\n"
                + "last error: none\n"), text);
        assertTrue(text.contains("feed *  (this host)  tcp:127.0.0.1:7400  market-feed"), text);
        assertTrue(text.contains("recorder     sink  placed elsewhere\n"), text);
        assertTrue(text.contains("scorer       sink  held              placed on node 'sink'"), text);
        assertTrue(text.contains("TO NODE  ROUTE\nsink     tcp\n"), text);
    }

    @Test
    void shouldPrintSubscriptionPolicyAndQueueWhenSubsAsked() {
        assertEquals("""
                ID  SERVICE   TYPE               KIND   DELIVERY  POLICY       CAPACITY  DEPTH  HIGH_WATER  DELIV/S  \
                DELIVERED  DROPPED  ERRORS
                 1  recorder  MarketData (1001)  typed  queued    drop_oldest      8192      3          17    900.0  \
                     8000        2       1
                """, tables.subscriptions(snapshot()));
    }

    @Test
    void shouldPrintInterpreterServicesAndLastTracebackWhenPythonAsked() {
        final String text = tables.python(snapshot());

        assertTrue(text.startsWith("CPython 3.11.7, /usr/bin/python3\n"), text);
        assertTrue(text.contains("scorer   finished  1970-01-01 00:01:00          2.5         42       1        0"
                + "  64/65536 B     1  deploy/scorer.py"), text);
        assertTrue(text.endsWith("last error of scorer:\n  Traceback (most recent call last):\n"
                + "    File \"scorer.py\", line 3\n  ValueError: bad\n"), text);
    }

    @Test
    void shouldPrintProblemsAndUptimeWhenOverviewAsked() {
        final String text = tables.overview(snapshot());

        assertTrue(text.startsWith("node feed, up 01:02:03\npublished/s 1500.0, delivered/s 1400.0, link frames"
                + " in/s 10.0, out/s 20.0, dropped/s 0.5, errors/s 0.0\n"), text);
        assertTrue(text.endsWith("problems:\n  transport shm is not installed\n"), text);
    }

    @Test
    void shouldSayWhyWhenSourcesAreMissing() {
        final NodeSnapshot s = snapshot();
        final NodeSnapshot empty = new NodeSnapshot(0, s.overview(),
                new TopologyView(false, "", "", List.of(), List.of(), List.of(), List.of(), -1, ""), List.of(),
                List.of(), List.of(), List.of(), new PythonView(false, "", "", List.of()));

        assertEquals("no topology: the topology bundle is not running\n", tables.topology(empty));
        assertTrue(tables.python(empty).startsWith("no Python host"));
        assertEquals("no stream transport runs on this node\n" + "PEER  TRANSPORT  DIRECTION  PROTOCOL  STATE  "
                + "ADDRESS  RTT_MS  IN/S  OUT/S  FRAMES_IN  FRAMES_OUT  BYTES_IN  BYTES_OUT  QUEUED  DROPS  "
                + "RECONNECTS  LAST_ERROR\n(none)\n", tables.links(empty));
        assertEquals("ID  TYPE  SIZE  PUB/S  DELIV/S  DROP/S  NOSUB/S  BYTES/S  PUBLISHED  DELIVERED  DROPPED  "
                + "NO_SUBSCRIBER  ERRORS  SUBS\n(none)\n", tables.types(empty));
    }
}
