package io.mycelium.console.impl.gogo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mycelium.console.impl.model.NodeSnapshot;
import io.mycelium.console.impl.model.PythonView;
import io.mycelium.console.impl.model.SampleSnapshots;
import io.mycelium.console.impl.model.TopologyView;

class CommandTablesTest {

    private final CommandTables tables = new CommandTables(ZoneOffset.UTC);

    @Test
    void shouldPrintTypesWithRatesAndTotalsWhenAsked() {
        assertEquals("""
                  ID  TYPE        SIZE   PUB/S  DELIV/S  DROP/S  NOSUB/S  BYTES/S  PUBLISHED  DELIVERED  DROPPED  \
                NO_SUBSCRIBER  ERRORS  SUBS
                1001  MarketData    48  1000.0    900.0     0.2      0.0  48000.0       9000       8000        2  \
                            0       1     3
                  77  type 77        -     0.5      0.0     0.0      0.5        -          5          0        0  \
                            5       0     0
                """, tables.types(SampleSnapshots.node()));
    }

    @Test
    void shouldPrintLinksWithTransportCountersAndFailingPeerWhenAsked() {
        final String text = tables.links(SampleSnapshots.node());

        assertTrue(text.startsWith("transport tcp, listening on 127.0.0.1:7400, 1 open; links.opened=1\n"), text);
        assertTrue(text.contains("sink  tcp        accepted   v1        connected  /127.0.0.2:40000   0.250"), text);
        assertTrue(text.contains("queue.full=3"), text);
        assertTrue(text.contains("ui    tcp        dialed     -         failing    127.0.0.3:7400         -"), text);
        assertTrue(text.stripTrailing().endsWith("4  connection refused"), text);
    }

    @Test
    void shouldPrintPlacementAndRoutesWhenTopologyAsked() {
        final String text = tables.topology(SampleSnapshots.node());

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
                """, tables.subscriptions(SampleSnapshots.node()));
    }

    @Test
    void shouldPrintInterpreterServicesAndLastTracebackWhenPythonAsked() {
        final String text = tables.python(SampleSnapshots.node());

        assertTrue(text.startsWith("CPython 3.11.7, /usr/bin/python3\n"), text);
        assertTrue(text.contains("scorer   finished  1970-01-01 00:01:00          2.5         42       1        0"
                + "  64/65536 B     1  deploy/scorer.py"), text);
        assertTrue(text.endsWith("last error of scorer:\n  Traceback (most recent call last):\n"
                + "    File \"scorer.py\", line 3\n  ValueError: bad\n"), text);
    }

    @Test
    void shouldPrintProblemsAndUptimeWhenOverviewAsked() {
        final String text = tables.overview(SampleSnapshots.node());

        assertTrue(text.startsWith("node feed, up 01:02:03\npublished/s 1500.0, delivered/s 1400.0, link frames"
                + " in/s 10.0, out/s 20.0, dropped/s 0.5, errors/s 0.0\n"), text);
        assertTrue(text.endsWith("problems:\n  transport shm is not installed\n"), text);
    }

    @Test
    void shouldSayWhyWhenSourcesAreMissing() {
        final NodeSnapshot s = SampleSnapshots.node();
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
