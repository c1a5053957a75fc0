package io.mycelium.console.impl.web;

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

import java.util.List;
import java.util.Locale;

import static io.mycelium.console.impl.web.Cells.count;
import static io.mycelium.console.impl.web.Cells.rate;
import static io.mycelium.console.impl.web.Column.number;
import static io.mycelium.console.impl.web.Column.pre;
import static io.mycelium.console.impl.web.Column.text;

/**
 * Lays out a {@link NodeSnapshot} as the page's tabs: Overview, Topology, Links, Types, Subscriptions, Python. The
 * table ids and column keys are the page's contract with its script, the browser test and users' scrapers of
 * {@code data.json} (docs/running.md): keep them stable. Stateless.
 */
final class SnapshotPage {

    private SnapshotPage() {
    }

    /**
     * @param snapshot the node's figures
     * @return the page
     */
    static Page of(final NodeSnapshot snapshot) {
        return new Page(snapshot.overview().nodeName(), Cells.instant(snapshot.takenAtMillis()), List.of(
                new Section("overview", "Overview", overview(snapshot.overview())),
                new Section("topology", "Topology", topology(snapshot.topology())),
                new Section("links", "Links", List.of(transports(snapshot.transports()), links(snapshot.links()))),
                new Section("types", "Types", List.of(types(snapshot.types()))),
                new Section("subscriptions", "Subscriptions", List.of(subscriptions(snapshot.subscriptions()))),
                new Section("python", "Python", python(snapshot.python()))));
    }

    private static List<Table> overview(final NodeOverview overview) {
        final Table node = Table.fields("overview", "Node", List.of(
                List.of("Node", overview.nodeName()),
                List.of("Uptime", Cells.uptime(overview.uptimeMillis())),
                List.of("Messages published/s (all types, local and from peers)",
                        rate(overview.publishedPerSecond())),
                List.of("Messages delivered/s (to Java and Python handlers)", rate(overview.deliveredPerSecond())),
                List.of("Frames in/s (from peers)", rate(overview.linkFramesInPerSecond())),
                List.of("Frames out/s (to peers)", rate(overview.linkFramesOutPerSecond())),
                List.of("Drops/s (subscription and link queues full)", rate(overview.droppedPerSecond())),
                List.of("Errors/s (handlers, Python callbacks, transports)", rate(overview.errorsPerSecond()))));
        final Table schemas = new Table("schemas", "Schemas",
                List.of(text("schema", "Schema"), text("digest", "Digest"), number("types", "Types"),
                        text("state", "State")),
                overview.schemas().stream().map(SnapshotPage::schema).toList(), "no schema deployed");
        final Table problems = new Table("problems", "Problems", List.of(text("problem", "Problem")),
                overview.problems().stream().map(List::of).toList(), "none");
        return List.of(node, problems, schemas);
    }

    private static List<String> schema(final SchemaRow row) {
        return List.of(row.id(), row.digestHex(), count(row.types()),
                row.active() ? "active" : "refused: " + row.problem());
    }

    private static List<Table> topology(final TopologyView topology) {
        final Table status = Table.fields("topology-status", "Topology", topology.available() ? List.of(
                List.of("Source", topology.source()),
                List.of("This node", topology.nodeName()),
                List.of("Last reload", Cells.instant(topology.lastReloadMillis())),
                List.of("Last error", topology.lastError().isEmpty() ? "none" : topology.lastError()),
                List.of("Warnings", topology.warnings().isEmpty() ? "none" : String.join("\n", topology.warnings())))
                : List.of(List.of("Source", "no topology reported (the topology bundle is not running)")));
        final Table nodes = new Table("topology-nodes", "Nodes",
                List.of(text("node", "Node"), text("host", "Host"), text("endpoint", "Endpoint"),
                        text("this_node", "This node"), text("services", "Services")),
                topology.nodes().stream().map(SnapshotPage::node).toList(), "no nodes");
        final Table services = new Table("topology-services", "Services",
                List.of(text("service", "Service"), text("node", "Node"), text("placement", "Placement"),
                        text("detail", "Detail")),
                topology.services().stream().map(SnapshotPage::service).toList(), "no services");
        final Table routes = new Table("topology-routes", "Routes from this node",
                List.of(text("node", "To node"), text("route", "Route")),
                topology.routes().stream().map(SnapshotPage::route).toList(), "no other nodes");
        return List.of(status, nodes, services, routes);
    }

    private static List<String> node(final NodeRow row) {
        return List.of(row.name(), row.host().isEmpty() ? "this host" : row.host(), row.endpoint(),
                Cells.yes(row.thisNode()), String.join(", ", row.services()));
    }

    private static List<String> service(final ServiceRow row) {
        return List.of(row.name(), row.node(), row.placement().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                row.detail());
    }

    private static List<String> route(final RouteRow row) {
        return List.of(row.node(), row.route());
    }

    private static Table transports(final List<TransportRow> transports) {
        return new Table("transports", "Transports",
                List.of(text("transport", "Transport"), text("listen", "Listens on"),
                        number("open_links", "Open links"), text("counters", "Counters")),
                transports.stream().map(row -> List.of(row.kind(), row.listenAddress(), count(row.openLinks()),
                        Cells.counts(row.counters()))).toList(),
                "no transport runs");
    }

    private static Table links(final List<LinkRow> links) {
        return new Table("links", "Links",
                List.of(text("peer", "Peer"), text("transport", "Transport"), text("direction", "Direction"),
                        text("protocol", "Protocol"), text("state", "State"), text("address", "Address"),
                        number("rtt_ms", "RTT (ms)"), number("frames_in_rate", "Frames in/s"),
                        number("frames_out_rate", "Frames out/s"), number("frames_in", "Frames in"),
                        number("frames_out", "Frames out"), number("bytes_in", "Bytes in"),
                        number("bytes_out", "Bytes out"), number("queued", "Queued"),
                        text("drops", "Drops by reason"), number("reconnects", "Reconnects"),
                        text("last_error", "Last error")),
                links.stream().map(SnapshotPage::link).toList(), "no links");
    }

    private static List<String> link(final LinkRow row) {
        return List.of(row.peer(), row.transport(), row.direction(), row.protocol(), row.state(),
                row.remoteAddress(), Cells.millis(row.rttMillis()), rate(row.framesInPerSecond()),
                rate(row.framesOutPerSecond()), count(row.framesIn()), count(row.framesOut()), count(row.bytesIn()),
                count(row.bytesOut()), count(row.queued()),
                row.dropsByReason().isEmpty() ? "none" : Cells.counts(row.dropsByReason()), count(row.reconnects()),
                row.lastError());
    }

    private static Table types(final List<TypeRow> types) {
        return new Table("types", "Types",
                List.of(text("type", "Type"), number("type_id", "Id"), text("schema", "Schema"),
                        number("published_rate", "Published/s"), number("delivered_rate", "Delivered/s"),
                        number("dropped_rate", "Dropped/s"), number("unrouted_rate", "No subscriber/s"),
                        number("bytes_rate", "Bytes/s"), number("published", "Published"),
                        number("delivered", "Delivered"), number("dropped", "Dropped"),
                        number("unrouted", "No subscriber"), number("handler_errors", "Handler errors"),
                        number("subscribers", "Subscribers")),
                types.stream().map(SnapshotPage::type).toList(), "no types on the bus");
    }

    private static List<String> type(final TypeRow row) {
        return List.of(row.label(), String.valueOf(row.typeId()), row.schemaId(), rate(row.publishedPerSecond()),
                rate(row.deliveredPerSecond()), rate(row.droppedPerSecond()), rate(row.unroutedPerSecond()),
                rate(row.bytesPerSecond()), count(row.published()), count(row.delivered()), count(row.dropped()),
                count(row.unrouted()), count(row.handlerErrors()), count(row.subscribers()));
    }

    private static Table subscriptions(final List<SubscriptionRow> subscriptions) {
        return new Table("subscriptions", "Subscriptions",
                List.of(number("id", "Id"), text("service", "Service"), text("type", "Type"),
                        text("delivery", "Delivery"), text("policy", "Policy"), number("capacity", "Capacity"),
                        number("depth", "Depth"), number("high_water", "High-water mark"),
                        number("delivered_rate", "Delivered/s"), number("delivered", "Delivered"),
                        number("drops", "Drops"), number("handler_errors", "Handler errors")),
                subscriptions.stream().map(SnapshotPage::subscription).toList(), "no subscriptions");
    }

    private static List<String> subscription(final SubscriptionRow row) {
        final String type = row.typeName().isEmpty() ? "type " + row.typeId() : row.typeName();
        return List.of(String.valueOf(row.id()), row.service(), row.raw() ? type + " (raw)" : type, row.delivery(),
                row.policy(), count(row.capacity()), count(row.depth()), count(row.highWaterMark()),
                rate(row.deliveredPerSecond()), count(row.delivered()), count(row.dropped()),
                count(row.handlerErrors()));
    }

    private static List<Table> python(final PythonView python) {
        final Table interpreter = Table.fields("python-interpreter", "Interpreter", python.available() ? List.of(
                List.of("Version", python.version()),
                List.of("Executable", python.executable()))
                : List.of(List.of("Python", "CPython does not run in this node (no python bundle, or it failed to "
                        + "start: see the node's log)")));
        final Table services = new Table("python-services", "Services",
                List.of(text("service", "Service"), text("file", "File"), text("state", "State"),
                        text("since", "Since"), number("callbacks_rate", "Callbacks/s"),
                        number("callbacks", "Callbacks"), number("errors", "Errors"),
                        number("subscriptions", "Subscriptions"), number("queue_bytes", "Queue (bytes)"),
                        number("queue_capacity_bytes", "Queue size (bytes)"), number("dropped", "Dropped"),
                        pre("last_traceback", "Last traceback")),
                python.services().stream().map(SnapshotPage::pythonService).toList(), "no Python services");
        return List.of(interpreter, services);
    }

    private static List<String> pythonService(final PythonServiceRow row) {
        return List.of(row.name(), row.file(), row.state(), Cells.instant(row.sinceMillis()),
                rate(row.callbacksPerSecond()), count(row.callbacks()), count(row.errors()),
                count(row.subscriptions()), count(row.queueDepth()), count(row.queueCapacity()), count(row.dropped()),
                row.lastTraceback());
    }
}
