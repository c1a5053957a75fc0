package io.mycelium.console.impl.metrics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.mycelium.console.impl.model.LinkRow;
import io.mycelium.console.impl.model.NodeSnapshot;
import io.mycelium.console.impl.model.PythonServiceRow;
import io.mycelium.console.impl.model.SchemaRow;
import io.mycelium.console.impl.model.SubscriptionRow;
import io.mycelium.console.impl.model.TopologyView;
import io.mycelium.console.impl.model.TransportRow;
import io.mycelium.console.impl.model.TypeRow;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The node's metric families, built from one {@link NodeSnapshot} per scrape: counters are the node's own totals
 * ({@code _total}), gauges its current values; rates are left to Prometheus ({@code rate()}). Names follow the
 * Prometheus conventions: prefix {@code mycelium_}, base units (seconds, bytes), one meaning per name, so that summing
 * a family over its labels never counts a message twice. Families without data (no Python host, no link) are left
 * out. The list of names is in docs/running.md.
 *
 * <p>Thread-safe if the snapshot supplier is (a {@link io.mycelium.console.impl.model.NodeSnapshots.Sampler} is).
 */
final class NodeMetrics implements MultiCollector {

    private final Supplier<NodeSnapshot> snapshots;

    /** @param snapshots reads the node, once per scrape */
    NodeMetrics(final Supplier<NodeSnapshot> snapshots) {
        this.snapshots = snapshots;
    }

    @Override
    public MetricSnapshots collect() {
        return metrics(snapshots.get());
    }

    /**
     * @param node the node
     * @return its metric families
     */
    static MetricSnapshots metrics(final NodeSnapshot node) {
        final List<MetricSnapshot> families = new ArrayList<>();
        final List<Series> series = new ArrayList<>();
        families.add(nodeInfo(node));
        node(node, series);
        types(node.types(), series);
        subscriptions(node.subscriptions(), series);
        links(node, series);
        if (node.python().available()) {
            families.add(InfoSnapshot.builder().name("mycelium_python").help("The node's embedded CPython")
                    .dataPoint(InfoDataPointSnapshot.builder().labels(Labels.of("version", node.python().version(),
                            "executable", node.python().executable())).build()).build());
            python(node.python().services(), series);
        }
        for (Series s : series) {
            if (!s.isEmpty()) {
                families.add(s.build());
            }
        }
        return new MetricSnapshots(families);
    }

    private static MetricSnapshot nodeInfo(final NodeSnapshot node) {
        final String name = node.overview().nodeName();
        final InfoSnapshot.Builder info = InfoSnapshot.builder().name("mycelium_node")
                .help("This node: its name, and one series per schema with the digest its peers must share");
        // a set: the client library refuses a family with the same labels twice (one schema seen twice)
        final Set<Labels> seen = new LinkedHashSet<>();
        for (SchemaRow s : node.overview().schemas()) {
            seen.add(Labels.of("node", name, "schema", s.id(), "digest", s.digestHex(), "active",
                    String.valueOf(s.active())));
        }
        if (seen.isEmpty()) {
            seen.add(Labels.of("node", name, "schema", "", "digest", "", "active", "false"));
        }
        seen.forEach(labels -> info.dataPoint(InfoDataPointSnapshot.builder().labels(labels).build()));
        return info.build();
    }

    private static void node(final NodeSnapshot node, final List<Series> series) {
        series.add(Series.gauge("mycelium_node_problems", "Problems the node runs despite (transports not started,"
                + " rejected topology, Python services in error)", Double::sum)
                .add(Labels.EMPTY, node.overview().problems().size()));
        final TopologyView t = node.topology();
        if (t.available()) {
            series.add(Series.gauge("mycelium_topology_rejected",
                    "1 when the last topology file was rejected (the node keeps the one it runs with)", Math::max)
                    .add(Labels.EMPTY, t.lastError().isEmpty() ? 0 : 1));
            if (t.lastReloadMillis() >= 0) {
                series.add(Series.gauge("mycelium_topology_last_reload_timestamp_seconds",
                        "When the topology the node runs with was applied (Unix time)", Math::max)
                        .unit(Unit.SECONDS).add(Labels.EMPTY, t.lastReloadMillis() / 1000.0));
            }
        }
    }

    private static void types(final List<TypeRow> types, final List<Series> series) {
        final Series published = Series.counter("mycelium_messages_published",
                "Messages published on the bus (local services and peers), by type");
        final Series delivered = Series.counter("mycelium_messages_delivered",
                "Messages handed to handlers (Java and Python), by type");
        final Series dropped = Series.counter("mycelium_messages_dropped",
                "Messages dropped by full subscription queues (overflow policy) or closing, by type");
        final Series unrouted = Series.counter("mycelium_messages_unrouted",
                "Messages published with no subscriber (counted, not an error), by type");
        final Series errors = Series.counter("mycelium_handler_errors", "Handler invocations that threw, by type");
        final Series bytes = Series.counter("mycelium_messages_published_bytes",
                "Bytes published (messages times the type's size), by type of known size").unit(Unit.BYTES);
        final Series subscribers = Series.gauge("mycelium_type_subscribers", "Open subscriptions, by type",
                Double::sum);
        for (TypeRow t : types) {
            final Labels labels = Labels.of("type", t.label(), "type_id", Integer.toString(t.typeId()));
            published.add(labels, t.published());
            delivered.add(labels, t.delivered());
            dropped.add(labels.add("reason", "subscription_overflow"), t.dropped());
            unrouted.add(labels, t.unrouted());
            errors.add(labels, t.handlerErrors());
            if (t.sizeBytes() >= 0) {
                bytes.add(labels, (double) t.published() * t.sizeBytes());
            }
            subscribers.add(labels, t.subscribers());
        }
        series.addAll(List.of(published, delivered, dropped, unrouted, errors, bytes, subscribers));
    }

    private static void subscriptions(final List<SubscriptionRow> subs, final List<Series> series) {
        final Series depth = Series.gauge("mycelium_subscription_queue_depth",
                "Messages waiting in a queued subscription's queue", Double::sum);
        final Series highWater = Series.gauge("mycelium_subscription_queue_high_water_mark",
                "Highest queue depth a queued subscription has seen", Math::max);
        final Series capacity = Series.gauge("mycelium_subscription_queue_capacity",
                "Queue capacity of a queued subscription, in messages", Math::max);
        final Series delivered = Series.counter("mycelium_subscription_messages_delivered",
                "Messages handed to a subscription's handler");
        final Series dropped = Series.counter("mycelium_subscription_messages_dropped",
                "Messages a subscription's overflow policy dropped");
        final Series errors = Series.counter("mycelium_subscription_handler_errors",
                "A subscription's handler invocations that threw, and payloads it could not decode");
        for (SubscriptionRow s : subs) {
            final Labels labels = Labels.of("service", s.service(), "type",
                    s.typeName().isEmpty() ? "type " + s.typeId() : s.typeName(), "subscription", Long.toString(s.id()),
                    "delivery", s.delivery());
            if ("queued".equals(s.delivery())) {
                depth.add(labels, s.depth());
                highWater.add(labels, s.highWaterMark());
                capacity.add(labels, s.capacity());
            }
            delivered.add(labels, s.delivered());
            dropped.add(labels, s.dropped());
            errors.add(labels, s.handlerErrors());
        }
        series.addAll(List.of(depth, highWater, capacity, delivered, dropped, errors));
    }

    private static void links(final NodeSnapshot node, final List<Series> series) {
        final Series up = Series.gauge("mycelium_link_up",
                "1 while the link to a peer is connected, 0 while it is dialing or failing", Math::max);
        final Series rtt = Series.gauge("mycelium_link_rtt_seconds", "Round trip of the link's last answered PING",
                Math::max).unit(Unit.SECONDS);
        final Series frames = Series.counter("mycelium_link_frames", "Application frames over a link, by direction");
        final Series bytes = Series.counter("mycelium_link_bytes", "Bytes over a link after its handshake, by"
                + " direction").unit(Unit.BYTES);
        final Series dropped = Series.counter("mycelium_link_frames_dropped",
                "Frames for a peer that this node dropped, by reason");
        final Series queued = Series.gauge("mycelium_link_queued_frames", "Frames waiting in a link's outbound queue",
                Double::sum);
        final Series reconnects = Series.counter("mycelium_link_reconnects",
                "Connect attempts to a dialed peer after the first");
        for (LinkRow l : node.links()) {
            final Labels labels = Labels.of("peer", l.peer(), "transport", l.transport(), "side", l.direction());
            up.add(labels, "connected".equals(l.state()) ? 1 : 0);
            if (l.rttMillis() >= 0) {
                rtt.add(labels, l.rttMillis() / 1000.0);
            }
            frames.add(labels.add("direction", "in"), l.framesIn());
            frames.add(labels.add("direction", "out"), l.framesOut());
            if (l.bytesIn() >= 0) {
                bytes.add(labels.add("direction", "in"), l.bytesIn());
                bytes.add(labels.add("direction", "out"), l.bytesOut());
            }
            for (Map.Entry<String, Long> e : l.dropsByReason().entrySet()) {
                dropped.add(labels.add("reason", e.getKey().replace('.', '_')), e.getValue());
            }
            queued.add(labels, l.queued());
            reconnects.add(labels, l.reconnects());
        }
        final Series events = Series.counter("mycelium_transport_events",
                "Events of a stream transport, by the counter names of docs/transports.md ('.' written '_')");
        for (TransportRow t : node.transports()) {
            for (Map.Entry<String, Long> e : t.counters().entrySet()) {
                events.add(Labels.of("transport", t.kind(), "event", e.getKey().replace('.', '_')), e.getValue());
            }
        }
        series.addAll(List.of(up, rtt, frames, bytes, dropped, queued, reconnects, events));
    }

    private static void python(final List<PythonServiceRow> services, final List<Series> series) {
        final Series state = Series.gauge("mycelium_python_service_state",
                "1 for a Python service's current state (running, finished, failed, exited(n), held, ...)",
                Double::sum);
        final Series callbacks = Series.counter("mycelium_python_callbacks",
                "Messages handed to a Python service's callbacks");
        final Series errors = Series.counter("mycelium_python_callback_errors",
                "Exceptions a Python service raised at import or in callbacks");
        final Series dropped = Series.counter("mycelium_python_messages_dropped",
                "Messages dropped because a Python service's dispatcher queue was full");
        final Series queue = Series.gauge("mycelium_python_queue_bytes",
                "Bytes waiting in a Python service's dispatcher queue", Double::sum).unit(Unit.BYTES);
        final Series queueCapacity = Series.gauge("mycelium_python_queue_capacity_bytes",
                "Size of a Python service's dispatcher queue", Math::max).unit(Unit.BYTES);
        for (PythonServiceRow s : services) {
            final Labels labels = Labels.of("service", s.name());
            final int colon = s.state().indexOf(':');
            state.add(labels.add("state", colon < 0 ? s.state() : s.state().substring(0, colon)), 1);
            callbacks.add(labels, s.callbacks());
            errors.add(labels, s.errors());
            dropped.add(labels, s.dropped());
            if (s.queueCapacity() > 0) {
                queue.add(labels, s.queueDepth());
                queueCapacity.add(labels, s.queueCapacity());
            }
        }
        series.addAll(List.of(state, callbacks, errors, dropped, queue, queueCapacity));
    }
}
