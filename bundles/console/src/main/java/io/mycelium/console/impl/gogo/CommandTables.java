package io.mycelium.console.impl.gogo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.stream.Collectors;

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

/**
 * Renders a {@link NodeSnapshot} as the text the Gogo commands print: one function per command, same data as the
 * console page. Pure functions of the snapshot (the zone only formats times), so they are unit-tested on fixed
 * snapshots.
 */
final class CommandTables {

    private static final String UNKNOWN = "-";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ZoneId zone;

    /** @param zone the time zone times are shown in */
    CommandTables(final ZoneId zone) {
        this.zone = zone;
    }

    /** @return the node at a glance: name, uptime, schemas, aggregate rates and problems */
    String overview(final NodeSnapshot snapshot) {
        final NodeOverview o = snapshot.overview();
        final StringBuilder out = new StringBuilder();
        out.append("node ").append(o.nodeName().isEmpty() ? "(unnamed)" : o.nodeName()).append(", up ")
                .append(duration(o.uptimeMillis())).append('\n');
        out.append("published/s ").append(rate(o.publishedPerSecond())).append(", delivered/s ")
                .append(rate(o.deliveredPerSecond())).append(", link frames in/s ")
                .append(rate(o.linkFramesInPerSecond())).append(", out/s ").append(rate(o.linkFramesOutPerSecond()))
                .append(", dropped/s ").append(rate(o.droppedPerSecond())).append(", errors/s ")
                .append(rate(o.errorsPerSecond())).append('\n');
        final TextTable schemas = new TextTable("SCHEMA", "DIGEST", "TYPES", "ACTIVE", "PROBLEM");
        for (SchemaRow s : o.schemas()) {
            schemas.row(s.id(), s.digestHex(), s.types(), s.active() ? "yes" : "no", s.problem());
        }
        out.append(schemas);
        if (o.problems().isEmpty()) {
            out.append("problems: none\n");
        } else {
            out.append("problems:\n");
            o.problems().forEach(p -> out.append("  ").append(p).append('\n'));
        }
        return out.toString();
    }

    /** @return the topology: source and reload, nodes, where each service is placed, routes, warnings */
    String topology(final NodeSnapshot snapshot) {
        final TopologyView t = snapshot.topology();
        if (!t.available()) {
            return "no topology: the topology bundle is not running\n";
        }
        final StringBuilder out = new StringBuilder();
        out.append("topology ").append(t.source()).append(", this node '").append(t.nodeName()).append("', applied ")
                .append(time(t.lastReloadMillis())).append('\n');
        out.append("last error: ").append(t.lastError().isEmpty() ? "none" : t.lastError()).append('\n');
        final TextTable nodes = new TextTable("NODE", "HOST", "ENDPOINT", "SERVICES");
        for (NodeRow n : t.nodes()) {
            nodes.row(n.name() + (n.thisNode() ? " *" : ""), n.host().isEmpty() ? "(this host)" : n.host(),
                    n.endpoint().isEmpty() ? UNKNOWN : n.endpoint(), String.join(",", n.services()));
        }
        out.append(nodes);
        final TextTable services = new TextTable("SERVICE", "NODE", "PLACEMENT", "DETAIL");
        for (ServiceRow s : t.services()) {
            services.row(s.name(), s.node().isEmpty() ? UNKNOWN : s.node(), placement(s.placement()), s.detail());
        }
        out.append(services);
        final TextTable routes = new TextTable("TO NODE", "ROUTE");
        for (RouteRow r : t.routes()) {
            routes.row(r.node(), r.route());
        }
        out.append(routes);
        t.warnings().forEach(w -> out.append("warning: ").append(w).append('\n'));
        return out.toString();
    }

    /** @return the transports' listen addresses and non-zero counters, then one row per link */
    String links(final NodeSnapshot snapshot) {
        final StringBuilder out = new StringBuilder();
        if (snapshot.transports().isEmpty()) {
            out.append("no stream transport runs on this node\n");
        }
        for (TransportRow t : snapshot.transports()) {
            out.append("transport ").append(t.kind()).append(t.listenAddress().isEmpty() ? ", dialing only"
                    : ", listening on " + t.listenAddress()).append(", ").append(t.openLinks()).append(" open")
                    .append(nonZero(t.counters())).append('\n');
        }
        final TextTable table = new TextTable("PEER", "TRANSPORT", "DIRECTION", "PROTOCOL", "STATE", "ADDRESS",
                "RTT_MS", "IN/S", "OUT/S", "FRAMES_IN", "FRAMES_OUT", "BYTES_IN", "BYTES_OUT", "QUEUED", "DROPS",
                "RECONNECTS", "LAST_ERROR");
        for (LinkRow l : snapshot.links()) {
            table.row(l.peer(), l.transport(), l.direction(), l.protocol().isEmpty() ? UNKNOWN : l.protocol(),
                    l.state(), l.remoteAddress(), l.rttMillis() < 0 ? UNKNOWN : decimals(l.rttMillis(), 3),
                    rate(l.framesInPerSecond()), rate(l.framesOutPerSecond()), l.framesIn(), l.framesOut(),
                    count(l.bytesIn()), count(l.bytesOut()), l.queued(), drops(l), l.reconnects(),
                    l.lastError());
        }
        return out.append(table).toString();
    }

    /** @return one row per type: rates, then totals */
    String types(final NodeSnapshot snapshot) {
        final TextTable table = new TextTable("ID", "TYPE", "SIZE", "PUB/S", "DELIV/S", "DROP/S", "NOSUB/S",
                "BYTES/S", "PUBLISHED", "DELIVERED", "DROPPED", "NO_SUBSCRIBER", "ERRORS", "SUBS");
        for (TypeRow t : snapshot.types()) {
            table.row(t.typeId(), t.label(), count(t.sizeBytes()), rate(t.publishedPerSecond()),
                    rate(t.deliveredPerSecond()), rate(t.droppedPerSecond()), rate(t.unroutedPerSecond()),
                    t.bytesPerSecond() < 0 ? UNKNOWN : rate(t.bytesPerSecond()), t.published(), t.delivered(),
                    t.dropped(), t.unrouted(), t.handlerErrors(), t.subscribers());
        }
        return table.toString();
    }

    /** @return one row per open subscription */
    String subscriptions(final NodeSnapshot snapshot) {
        final TextTable table = new TextTable("ID", "SERVICE", "TYPE", "KIND", "DELIVERY", "POLICY", "CAPACITY",
                "DEPTH", "HIGH_WATER", "DELIV/S", "DELIVERED", "DROPPED", "ERRORS");
        for (SubscriptionRow s : snapshot.subscriptions()) {
            table.row(s.id(), s.service().isEmpty() ? UNKNOWN : s.service(),
                    s.typeName().isEmpty() ? "type " + s.typeId() : s.typeName() + " (" + s.typeId() + ")",
                    s.raw() ? "raw" : "typed", s.delivery(), s.policy().isEmpty() ? UNKNOWN : s.policy(),
                    s.capacity(), s.depth(), s.highWaterMark(), rate(s.deliveredPerSecond()), s.delivered(),
                    s.dropped(), s.handlerErrors());
        }
        return table.toString();
    }

    /** @return the interpreter, one row per Python service, then each last traceback */
    String python(final NodeSnapshot snapshot) {
        final PythonView p = snapshot.python();
        if (!p.available()) {
            return "no Python host: CPython does not run in this node (see the python bundle's log lines)\n";
        }
        final StringBuilder out = new StringBuilder();
        out.append("CPython ").append(p.version().isEmpty() ? "(version unknown)" : p.version())
                .append(p.executable().isEmpty() ? "" : ", " + p.executable()).append('\n');
        final TextTable table = new TextTable("SERVICE", "STATE", "SINCE", "CALLBACKS/S", "CALLBACKS", "ERRORS",
                "DROPPED", "QUEUE", "SUBS", "FILE");
        for (PythonServiceRow s : p.services()) {
            table.row(s.name(), s.state(), time(s.sinceMillis()), rate(s.callbacksPerSecond()), s.callbacks(),
                    s.errors(), s.dropped(), queue(s), s.subscriptions(), s.file().isEmpty() ? UNKNOWN : s.file());
        }
        out.append(table);
        for (PythonServiceRow s : p.services()) {
            if (!s.lastTraceback().isEmpty()) {
                out.append("last error of ").append(s.name()).append(":\n");
                s.lastTraceback().strip().lines().forEach(l -> out.append("  ").append(l).append('\n'));
            }
        }
        return out.toString();
    }

    private static String queue(final PythonServiceRow s) {
        if (s.queueCapacity() <= 0) {
            return UNKNOWN;
        }
        return s.queueDepth() + "/" + s.queueCapacity() + " B";
    }

    private static String drops(final LinkRow l) {
        if (l.dropsByReason().isEmpty()) {
            return "0";
        }
        return l.dropsByReason().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    private static String nonZero(final Map<String, Long> counters) {
        final String shown = counters.entrySet().stream().filter(e -> e.getValue() != 0)
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        return shown.isEmpty() ? "" : "; " + shown;
    }

    private static String placement(final ServiceRow.Placement placement) {
        return switch (placement) {
            case RUNNING_HERE -> "running here";
            case PLACED_ELSEWHERE -> "placed elsewhere";
            case HELD -> "held";
        };
    }

    private String time(final long epochMillis) {
        return epochMillis < 0 ? UNKNOWN : TIME.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }

    private static String duration(final long millis) {
        final Duration d = Duration.ofMillis(millis);
        return d.toDaysPart() > 0 ? String.format("%dd %02d:%02d:%02d", d.toDaysPart(), d.toHoursPart(),
                d.toMinutesPart(), d.toSecondsPart())
                : String.format("%02d:%02d:%02d", d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart());
    }

    private static Object count(final long value) {
        return value < 0 ? UNKNOWN : (Object) value;
    }

    private static BigDecimal rate(final double perSecond) {
        return decimals(perSecond, 1);
    }

    private static BigDecimal decimals(final double value, final int scale) {
        return BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_UP);
    }
}
