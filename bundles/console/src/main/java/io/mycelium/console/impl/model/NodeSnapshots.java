package io.mycelium.console.impl.model;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.mycelium.api.BusStats;
import io.mycelium.api.Delivery;
import io.mycelium.api.SchemaStatus;
import io.mycelium.api.SubscriptionStats;
import io.mycelium.api.TypeStats;
import io.mycelium.topology.Node;
import io.mycelium.topology.Route;
import io.mycelium.topology.TopologyState;
import io.mycelium.topology.TopologyStatus;
import io.mycelium.transport.stream.LinkState;
import io.mycelium.transport.stream.LinkStats;
import io.mycelium.transport.stream.PeerLinkState;
import io.mycelium.transport.stream.TransportCounter;
import io.mycelium.transport.stream.TransportStats;
import io.mycelium.transport.stream.TransportStatsSource;

/**
 * Reads the node's stats services ({@link BusStats}, registered by the bus bundle; each stream transport, the topology, the node health, the Python
 * monitor through {@link PythonSource}) into a {@link NodeSnapshot}. Every source is optional and dynamic: a missing one reads as empty or
 * unavailable, never as an error.
 *
 * <p>Nothing is counted here and nothing runs between reads: each {@link Sampler} keeps its own previous sample and
 * computes rates from the counters when it reads, so the hot paths pay nothing for the console. Thread-safe: the
 * references are volatile fields; each sampler serialises its own reads.
 */
@Component(service = NodeSnapshots.class)
public final class NodeSnapshots {

    /** Drop reason of a link whose outbound queue was full. */
    public static final String QUEUE_FULL = "queue.full";
    private static final String HELD = "held:";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BusStats bus;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TopologyStatus topology;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<TransportStatsSource> transports;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PythonSource python;

    @Reference(service = Supplier.class, target = "(mycelium.health=node)",
            cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Supplier<Map<String, Object>> health;

    /** For DS. */
    public NodeSnapshots() {
    }

    /**
     * For tests: a collector over fixed sources; any may be {@code null}.
     */
    NodeSnapshots(final BusStats bus, final TopologyStatus topology, final List<TransportStatsSource> transports,
            final PythonSource python, final Supplier<Map<String, Object>> health) {
        this.bus = bus;
        this.topology = topology;
        this.transports = transports;
        this.python = python;
        this.health = health;
    }

    /** @return a new reader with no previous sample: its first read averages rates over the node's uptime */
    public Sampler sampler() {
        return new Sampler();
    }

    /**
     * One reader of the node (a console page's session, a Gogo session, the metrics endpoint): it keeps its previous
     * sample so that its rates are per second since its last read. Thread-safe (reads are serialised).
     */
    public final class Sampler {

        private final RateBook rates = new RateBook();

        private Sampler() {
        }

        /** @return the node now, with rates since this sampler's previous read */
        public synchronized NodeSnapshot read() {
            final long uptimeMillis = ManagementFactory.getRuntimeMXBean().getUptime();
            rates.begin(System.nanoTime(), Math.max(uptimeMillis, 1) / 1000.0);
            try {
                return NodeSnapshots.this.read(rates, uptimeMillis);
            } finally {
                rates.end();
            }
        }
    }

    private NodeSnapshot read(final RateBook book, final long uptimeMillis) {
        final BusStats stats = bus;
        final TopologyState state = readTopology();
        final List<SchemaRow> schemas = new ArrayList<>();
        final List<TypeRow> types = new ArrayList<>();
        final List<SubscriptionRow> subscriptions = new ArrayList<>();
        final Map<Integer, String> typeNames = new HashMap<>();
        long published = 0;
        long delivered = 0;
        long dropped = 0;
        long errors = 0;
        final List<String> problems = new ArrayList<>();
        if (stats != null) {
            for (SchemaStatus s : stats.schemas()) {
                schemas.add(new SchemaRow(s.id(), s.digestHex(), s.types(), s.active(), s.problem()));
                if (!s.active()) {
                    problems.add("schema " + s.id() + " is not used: " + s.problem());
                }
            }
            for (TypeStats t : stats.types()) {
                final TypeRow row = typeRow(book, t);
                types.add(row);
                typeNames.put(row.typeId(), row.name());
                published += row.published();
                delivered += row.delivered();
                dropped += row.dropped();
                errors += row.handlerErrors();
            }
            for (SubscriptionStats s : stats.subscriptions()) {
                subscriptions.add(subscriptionRow(book, s, typeNames.getOrDefault(s.typeId(), "")));
            }
        }
        final List<TransportRow> transportRows = new ArrayList<>();
        final List<LinkRow> links = new ArrayList<>();
        long framesIn = 0;
        long framesOut = 0;
        String transportNode = "";
        final List<TransportStatsSource> sources = transports;
        if (sources != null) {
            for (TransportStatsSource source : sources) {
                final TransportStats ts;
                try {
                    ts = source.stats();
                } catch (RuntimeException e) {
                    problems.add("a transport's stats could not be read: " + e);
                    continue;
                }
                transportNode = ts.node();
                transportRows.add(new TransportRow(ts.kind(), ts.listenAddress(), ts.counters(), ts.links().size()));
                framesIn += ts.counter(TransportCounter.FRAMES_RECEIVED);
                framesOut += ts.counter(TransportCounter.FRAMES_SENT);
                dropped += ts.counter(TransportCounter.FRAMES_DROPPED);
                errors += ts.counter(TransportCounter.PROTOCOL_ERRORS) + ts.counter(TransportCounter.DELIVERY_ERRORS);
                addLinks(book, ts, links);
            }
        }
        final PythonView pythonView = readPython(book);
        for (PythonServiceRow p : pythonView.services()) {
            errors += p.errors();
            if (p.inError()) {
                problems.add("Python service " + p.name() + " is " + p.state()
                        + (p.lastTraceback().isEmpty() ? "" : ": " + lastLine(p.lastTraceback())));
            }
        }
        final TopologyView topologyView = topologyView(state, pythonView);
        if (!topologyView.lastError().isEmpty()) {
            problems.add("topology rejected: " + topologyView.lastError());
        }
        problems.addAll(0, healthProblems());
        final String nodeName = state != null ? state.nodeName() : transportNode;
        final NodeOverview overview = new NodeOverview(nodeName, schemas, uptimeMillis,
                book.rate("node.published", published), book.rate("node.delivered", delivered),
                book.rate("node.frames.in", framesIn), book.rate("node.frames.out", framesOut),
                book.rate("node.dropped", dropped), book.rate("node.errors", errors), problems);
        return new NodeSnapshot(System.currentTimeMillis(), overview, topologyView, transportRows, links, types,
                subscriptions, pythonView);
    }

    private static TypeRow typeRow(final RateBook book, final TypeStats t) {
        final String key = "type." + t.typeId() + ".";
        final int size = t.size();
        final double publishedRate = book.rate(key + "published", t.published());
        return new TypeRow(t.typeId(), t.name(), t.schemaId(), size, t.published(), t.delivered(), t.dropped(),
                t.unrouted(), t.handlerErrors(), t.subscribers(), publishedRate,
                book.rate(key + "delivered", t.delivered()), book.rate(key + "dropped", t.dropped()),
                book.rate(key + "unrouted", t.unrouted()), size < 0 ? -1 : publishedRate * size);
    }

    private static SubscriptionRow subscriptionRow(final RateBook book, final SubscriptionStats s,
            final String typeName) {
        final Delivery d = s.delivery();
        final boolean queued = d.mode() == Delivery.Mode.QUEUED;
        return new SubscriptionRow(s.id(), s.serviceName(), s.typeId(), typeName, s.raw(), lower(d.mode().name()),
                queued ? lower(d.overflow().name()) : "", queued ? s.queueCapacity() : 0, s.queueDepth(),
                s.queueHighWaterMark(), s.delivered(), s.dropped(), s.handlerErrors(),
                book.rate("sub." + s.id() + ".delivered", s.delivered()));
    }

    private static void addLinks(final RateBook book, final TransportStats ts, final List<LinkRow> links) {
        final Map<String, PeerLinkState> dialedPeers = new LinkedHashMap<>();
        for (PeerLinkState p : ts.peers()) {
            dialedPeers.put(p.peer(), p);
        }
        for (LinkStats l : ts.links()) {
            final PeerLinkState peer = l.dialed() ? dialedPeers.remove(l.peer()) : null;
            final String key = "link." + ts.kind() + "." + (l.dialed() ? "d." : "a.") + l.peer() + "."
                    + l.remoteAddress() + ".";
            final Map<String, Long> drops = new LinkedHashMap<>();
            if (l.framesDropped() > 0) {
                drops.put(QUEUE_FULL, l.framesDropped());
            }
            final String protocol = (l.legacy() ? "legacy" : "v1") + (l.tls() ? " over " + l.tlsProtocol() : "");
            links.add(new LinkRow(l.peer(), ts.kind(), l.dialed() ? "dialed" : "accepted", protocol, "connected",
                    l.remoteAddress(),
                    l.lastRttNanos() < 0 ? -1 : l.lastRttNanos() / 1e6, l.framesReceived(), l.framesSent(),
                    book.rate(key + "in", l.framesReceived()), book.rate(key + "out", l.framesSent()),
                    l.bytesReceived(), l.bytesSent(), l.queued(), drops,
                    peer == null ? 0 : Math.max(0, peer.attempts() - 1), peer == null ? "" : peer.lastError()));
        }
        for (PeerLinkState p : dialedPeers.values()) {
            // Dialed peers without an open link: show them, so a link that cannot connect is seen with its error.
            links.add(new LinkRow(p.peer(), ts.kind(), "dialed", "", lower(p.state().name()), p.address(), -1, 0, 0,
                    0, 0, -1, -1, 0, Map.of(), Math.max(0, p.attempts() - 1), p.lastError()));
        }
    }

    private PythonView readPython(final RateBook book) {
        final PythonSource source = python;
        if (source == null) {
            return new PythonView(false, "", "", List.of());
        }
        final List<PythonServiceRow> rows = new ArrayList<>();
        for (PythonServiceRow i : source.services()) {
            rows.add(new PythonServiceRow(i.name(), i.file(), i.state(), i.sinceMillis(), i.callbacks(),
                    book.rate("py." + i.name() + ".callbacks", i.callbacks()), i.errors(), i.lastTraceback(),
                    i.subscriptions(), i.dropped(), i.queueDepth(), i.queueCapacity()));
        }
        return new PythonView(true, source.version(), source.executable(), rows);
    }

    private TopologyState readTopology() {
        final TopologyStatus status = topology;
        return status == null ? null : status.state();
    }

    private static TopologyView topologyView(final TopologyState state, final PythonView pythonView) {
        if (state == null) {
            return new TopologyView(false, "", "", List.of(), List.of(), List.of(), List.of(), -1, "");
        }
        final List<NodeRow> nodes = new ArrayList<>();
        final List<ServiceRow> services = new ArrayList<>();
        for (Node n : state.topology().nodes()) {
            final boolean here = n.name().equals(state.nodeName());
            nodes.add(new NodeRow(n.name(), n.host().orElse(""),
                    n.endpoint().map(e -> e.kind().tomlName() + ":" + e.address()).orElse(""), here, n.services()));
            for (String s : n.services()) {
                services.add(new ServiceRow(s, n.name(),
                        here ? ServiceRow.Placement.RUNNING_HERE : ServiceRow.Placement.PLACED_ELSEWHERE, ""));
            }
        }
        for (PythonServiceRow p : pythonView.services()) {
            if (p.state().startsWith(HELD)) {
                final String node = state.topology().nodeOfService(p.name()).map(Node::name).orElse("");
                services.removeIf(s -> s.name().equals(p.name()));
                services.add(new ServiceRow(p.name(), node, ServiceRow.Placement.HELD,
                        p.state().substring(HELD.length()).trim()));
            }
        }
        final List<RouteRow> routes = new ArrayList<>();
        for (Map.Entry<String, Route> e : state.routes().entrySet()) {
            routes.add(new RouteRow(e.getKey(), lower(e.getValue().name())));
        }
        return new TopologyView(true, state.topology().source(), state.nodeName(), nodes, services, routes,
                state.warnings(), state.appliedAt().toEpochMilli(), state.lastError().orElse(""));
    }

    private List<String> healthProblems() {
        final Supplier<Map<String, Object>> supplier = health;
        if (supplier == null) {
            return List.of();
        }
        final Map<String, Object> h;
        try {
            h = supplier.get();
        } catch (RuntimeException e) {
            return List.of("the node's health could not be read: " + e);
        }
        final List<String> problems = new ArrayList<>();
        Optional.ofNullable(h.get("fatal")).ifPresent(f -> problems.add(String.valueOf(f)));
        if (h.get("problems") instanceof List<?> list) {
            list.forEach(p -> problems.add(String.valueOf(p)));
        }
        return problems;
    }

    private static String lastLine(final String text) {
        final String trimmed = text.strip();
        final int nl = trimmed.lastIndexOf('\n');
        return nl < 0 ? trimmed : trimmed.substring(nl + 1);
    }

    private static String lower(final String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
