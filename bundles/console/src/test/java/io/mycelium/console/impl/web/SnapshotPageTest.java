package io.mycelium.console.impl.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mycelium.console.impl.model.LinkRow;
import io.mycelium.console.impl.model.NodeOverview;
import io.mycelium.console.impl.model.NodeSnapshot;
import io.mycelium.console.impl.model.PythonServiceRow;
import io.mycelium.console.impl.model.PythonView;
import io.mycelium.console.impl.model.SchemaRow;
import io.mycelium.console.impl.model.TopologyView;
import io.mycelium.console.impl.model.TypeRow;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class SnapshotPageTest {

    private static final NodeSnapshot SNAPSHOT = new NodeSnapshot(0,
            new NodeOverview("sink", List.of(new SchemaRow("examples", "ab".repeat(32), 5, true, "")), 3_723_000,
                    1234.56, 10, 5, 0, 0.25, 0.5, List.of("Python service 'bad' failed")),
            new TopologyView(false, "", "sink", List.of(), List.of(), List.of(), List.of(), -1, ""),
            List.of(),
            List.of(new LinkRow("feed", "unix", "dialed", "v1", "connected", "/tmp/feed.sock", 0.123, 10, 20, 1.5,
                    2.5, -1, 4096, 0, Map.of("queue.full", 3L), 1, "")),
            List.of(new TypeRow(7, "", "examples", -1, 1_000_000, 5, 0, 2, 0, 1, 99.95, 1, 0, 0, -1)),
            List.of(),
            new PythonView(true, "3.11.7", "/usr/bin/python3", List.of(new PythonServiceRow("raises", "/d/raises.py",
                    "running", -1, 40, 2, 40, "Traceback ...\nValueError: x", 1, 0, 0, 1024))));

    private static Map<String, Table> tables(final Page page) {
        return page.sections().stream().flatMap(section -> section.tables().stream())
                .collect(Collectors.toMap(Table::id, table -> table));
    }

    private static Map<String, String> row(final Table table, final int index) {
        return table.columns().stream().collect(Collectors.toMap(Column::key,
                column -> table.rows().get(index).get(table.columns().indexOf(column))));
    }

    @Test
    void shouldLayOutTheSixTabsWhenSnapshotIsRead() {
        final Page page = SnapshotPage.of(SNAPSHOT);

        assertEquals(List.of("overview", "topology", "links", "types", "subscriptions", "python"),
                page.sections().stream().map(Section::id).toList());
        assertEquals("sink", page.node());
        assertEquals("1970-01-01T00:00:00Z", page.taken());
    }

    @Test
    void shouldFormatRatesCountsAndUnknownsWhenRenderingTypes() {
        final Map<String, String> type = row(tables(SnapshotPage.of(SNAPSHOT)).get("types"), 0);

        assertEquals("type 7", type.get("type"));
        assertEquals("100.0", type.get("published_rate"));
        assertEquals("1,000,000", type.get("published"));
        assertEquals(Cells.UNKNOWN, type.get("bytes_rate"));
        assertEquals("2", type.get("unrouted"));
    }

    @Test
    void shouldShowLinkAndPythonFiguresWhenPresent() {
        final Map<String, Table> tables = tables(SnapshotPage.of(SNAPSHOT));
        final Map<String, String> link = row(tables.get("links"), 0);
        final Map<String, String> python = row(tables.get("python-services"), 0);

        assertEquals("0.12", link.get("rtt_ms"));
        assertEquals(Cells.UNKNOWN, link.get("bytes_in"));
        assertEquals("queue.full=3", link.get("drops"));
        assertEquals("40", python.get("errors"));
        assertEquals("Traceback ...\nValueError: x", python.get("last_traceback"));
        assertEquals("Python service 'bad' failed", tables.get("problems").rows().get(0).get(0));
        assertEquals("1 h 02 min 03 s", tables.get("overview").rows().get(1).get(1));
        assertEquals(1, tables.get("topology-status").rows().size(), "an unavailable topology says so");
    }
}
