package io.mycelium.topology.impl;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mycelium.api.ConfigurationException;
import io.mycelium.topology.Endpoint;
import io.mycelium.topology.Node;
import io.mycelium.topology.Topology;
import io.mycelium.topology.TopologyState;

/**
 * Decides which topology a node runs with and applies it through {@link Effects}, with no OSGi in sight.
 *
 * <p>Sources, highest first: a {@code topology.toml} deployed in {@code deploy/}, the {@code --topology} file
 * (framework property {@code mycelium.topology}), and the embedded default: one node, named by {@code --node} or
 * {@value #DEFAULT_NODE}, with no transports, hosting every service a component asks for (see {@link #demand}), so
 * with no topology everything runs in one process like the original's monolith mode. A topology that fails to read,
 * parse or select a node is rejected: its full error is logged and kept in {@link TopologyState#lastError()}, and
 * the running topology stays. A {@code --topology} file rejected at {@link #start()}, or a deployed one rejected
 * before {@link #markStarted()} while only the default runs, is a {@link #startError()}: the launcher refuses to
 * start the node, and until then the default places no service (it must not run everything).
 * Only the differences between the running and the new {@link NodePlan} are applied.
 *
 * <p>Thread-safe: every change runs under this object's lock (FileInstall's thread and the file watcher both call
 * in); {@link #state()} reads a volatile snapshot and never blocks.
 */
public final class TopologyController {

    /** The node name of the embedded default when {@code --node} is not given. */
    public static final String DEFAULT_NODE = "local";
    /** The source name of the embedded default. */
    public static final String DEFAULT_SOURCE = "embedded default";

    private static final Logger LOG = LoggerFactory.getLogger(TopologyController.class);

    /**
     * What applying a plan does to the outside world. Called under the controller's lock, one change at a time; a
     * method may throw, which is logged and reported as a warning without stopping the other changes.
     */
    public interface Effects {

        /**
         * Registers the context of a service placed on this node.
         *
         * @param service the service name
         * @param node    this node's name
         */
        void register(String service, String node);

        /** @param service the service whose context must be unregistered */
        void unregister(String service);

        /** @param plan the transport plan whose configuration to create, or update when it differs */
        void putConfig(TransportPlan plan);

        /** @param kind the transport whose configuration must be deleted, if it exists */
        void deleteConfig(Endpoint.Kind kind);
    }

    private final TopologyParser parser;
    private final Optional<String> nodeProperty;
    private final Optional<Path> fileProperty;
    private final Effects effects;
    private final Clock clock;

    // Guarded by this; written only under the lock.
    private Optional<Path> deployed = Optional.empty();
    private NodePlan plan = NodePlan.EMPTY;
    private String appliedSource = "";
    private String appliedText;
    private final Set<String> demanded = new TreeSet<>();
    private Optional<String> startError = Optional.empty();
    private Map<String, Integer> lines = Map.of();
    private boolean starting;
    private boolean startPhase = true;
    // Replaced (never mutated) under the lock; read without it.
    private volatile TopologyState state;
    private volatile Map<Endpoint.Kind, TransportHealth.Need> needs = Map.of();

    /**
     * @param parser       the parser
     * @param nodeProperty the {@code --node} value, if given
     * @param fileProperty the {@code --topology} file, if given
     * @param effects      what applying does
     * @param clock        for {@link TopologyState#appliedAt()}
     */
    public TopologyController(final TopologyParser parser, final Optional<String> nodeProperty,
                              final Optional<Path> fileProperty, final Effects effects, final Clock clock) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.nodeProperty = Objects.requireNonNull(nodeProperty, "nodeProperty");
        this.fileProperty = Objects.requireNonNull(fileProperty, "fileProperty");
        this.effects = Objects.requireNonNull(effects, "effects");
        this.clock = Objects.requireNonNull(clock, "clock");
        final Topology def = defaultTopology();
        this.state = new TopologyState(def, def.nodes().get(0).name(), Map.of(), List.of(), Optional.empty(),
                clock.instant());
    }

    /**
     * Applies the {@code --topology} file, or the embedded default when there is none or it is invalid, and deletes
     * transport configurations this node does not need (left from an earlier run).
     */
    public synchronized void start() {
        starting = true;
        try {
            startError = fileProperty.flatMap(this::apply);
        } finally {
            starting = false;
        }
        startError.ifPresent(this::applyDefault);
        if (fileProperty.isEmpty()) {
            applyDefault(null);
        }
        for (Endpoint.Kind kind : Endpoint.Kind.values()) {
            if (!plan.transports().containsKey(kind)) {
                run(() -> effects.deleteConfig(kind), "delete the " + kind.tomlName() + " transport configuration",
                        new ArrayList<>());
            }
        }
    }

    /**
     * A {@code topology.toml} was dropped into (or changed in) the deploy folder: it takes precedence while present.
     *
     * @param file the deployed file
     */
    public synchronized void deployed(final Path file) {
        deployed = Optional.of(file);
        final boolean refusesStart = startPhase && DEFAULT_SOURCE.equals(appliedSource);
        final Optional<String> error;
        starting = refusesStart;
        try {
            error = apply(file);
        } finally {
            starting = false;
        }
        if (error.isPresent() && refusesStart) {
            // Present at start (FileInstall's first scan) with nothing but the default to fall back on: the
            // default must not run every service in place of the topology the operator deployed.
            startError = error;
            applyDefault(error.get());
        }
    }

    /**
     * The node has started (the launcher asked for its health): from now on a rejected {@code deploy/topology.toml}
     * only keeps the running plan, it no longer stops the start.
     */
    public synchronized void markStarted() {
        startPhase = false;
    }

    /**
     * The deployed {@code topology.toml} was removed: reverts to the {@code --topology} file, else (or when that is
     * invalid) to the embedded default.
     *
     * @param file the removed file
     */
    public synchronized void undeployed(final Path file) {
        if (!deployed.filter(file::equals).isPresent()) {
            return;
        }
        deployed = Optional.empty();
        if (fileProperty.isEmpty()) {
            startError = Optional.empty();
        }
        fileProperty.flatMap(this::apply).ifPresent(this::applyDefault);
        if (fileProperty.isEmpty()) {
            applyDefault(null);
        }
    }

    /** The {@code --topology} file changed on disk: re-applies it unless a deployed topology takes precedence. */
    public synchronized void fileChanged() {
        if (fileProperty.isPresent() && deployed.isEmpty()) {
            apply(fileProperty.get());
        }
    }

    /**
     * Components wait for the contexts of these services. While the embedded default runs they are granted (placed
     * on this node); with a topology file only the file decides, and the names are remembered for a later revert.
     *
     * @param services service names
     */
    public synchronized void demand(final Collection<String> services) {
        if (demanded.addAll(services) && DEFAULT_SOURCE.equals(appliedSource) && startError.isEmpty()) {
            LOG.info("no topology file: placing requested services {} on node '{}'", services, state.nodeName());
            applyDefault(state.lastError().orElse(null));
        }
    }

    /** Unregisters every service context and deletes every transport configuration (the node stops). */
    public synchronized void stop() {
        applyPlan(NodePlan.EMPTY, new ArrayList<>());
        plan = NodePlan.EMPTY;
        needs = Map.of();
        appliedText = null;
    }

    /** @return the current state; never blocks */
    public TopologyState state() {
        return state;
    }

    /**
     * @return the error of the {@code --topology} file rejected at {@link #start()} (or of a deployed topology
     *         rejected before {@link #markStarted()} while the default ran) when no topology file has been applied
     *         since: the node must not run (it has no plan the operator asked for)
     */
    public synchronized Optional<String> startError() {
        return startError;
    }

    /** @return the transports the running plan needs, with where the topology asks for each; never blocks */
    Map<Endpoint.Kind, TransportHealth.Need> needs() {
        return needs;
    }

    /** @return the topology used when no file is given: one node with every demanded service, no transports */
    public synchronized Topology defaultTopology() {
        return new Topology(DEFAULT_SOURCE, Topology.DEFAULT_SOCKET_DIR, List.of(new Node(
                nodeProperty.orElse(DEFAULT_NODE), startError.isEmpty() ? List.copyOf(demanded) : List.of(),
                Optional.empty(), OptionalInt.empty(),
                Optional.empty())));
    }

    /** @return the error when the file was rejected, empty when it was applied (or already running) */
    private Optional<String> apply(final Path file) {
        final String source = file.toString();
        final Topology topology;
        final String node;
        final String text;
        try {
            text = TopologyParser.read(file);
            if (source.equals(appliedSource) && text.equals(appliedText)) {
                // Back to what runs already (e.g. an invalid edit was reverted): nothing to change but the error.
                state = state.withLastError(Optional.empty());
                return Optional.empty();
            }
            topology = parser.parse(source, text);
        } catch (ConfigurationException e) {
            return Optional.of(reject(source, e.getMessage()));
        }
        try {
            node = NodeSelector.select(topology, nodeProperty);
        } catch (ConfigurationException e) {
            return Optional.of(reject(source, e.getMessage()));
        }
        lines = TopologyParser.endpointLines(text);
        install(topology, node, text, null);
        startError = Optional.empty();
        return Optional.empty();
    }

    /**
     * Logs a rejected topology at ERROR, saying that the last good plan keeps running, and records the error.
     *
     * @param source the rejected file
     * @param error  the error, logged and kept in the state
     * @return {@code error}
     */
    private String reject(final String source, final String error) {
        final TopologyState running = state;
        if (starting) {
            LOG.error("rejected topology " + source + ": " + error + "\nThe node does not start with it: the "
                    + "launcher exits with status 1 (embedded, the node places no service until a valid topology "
                    + "is applied).");
            state = running.withLastError(Optional.of(error));
            return error;
        }
        LOG.error("rejected topology " + source + ": " + error + "\nThis node keeps running its last good plan: "
                + running.topology().source() + " as node '" + running.nodeName() + "' (services "
                + plan.services().stream().sorted().toList() + ", transports " + plan.transports().keySet()
                + "); it changes only when a valid topology is applied.");
        state = running.withLastError(Optional.of(error));
        return error;
    }

    /** @param error the error that made the node fall back to the default, or null */
    private void applyDefault(final String error) {
        final Topology topology = defaultTopology();
        install(topology, topology.nodes().get(0).name(), null, error);
    }

    private void install(final Topology topology, final String node, final String text, final String error) {
        final NodePlan next = NodePlan.of(topology, node);
        final List<String> warnings = new ArrayList<>(next.warnings());
        // The new state is visible before the contexts change, so whoever reacts to a context leaving (the python
        // host says why it holds a service) reads the topology that removed it; warnings of applying follow below.
        state = new TopologyState(topology, node, Router.routesFrom(topology, node), warnings,
                Optional.ofNullable(error), clock.instant());
        applyPlan(next, warnings);
        plan = next;
        needs = needsOf(topology, next);
        appliedSource = topology.source();
        appliedText = text;
        warnings.forEach(w -> LOG.warn("{}: {}", topology.source(), w));
        LOG.info("topology {} applied: node '{}', services {}, transports {}", topology.source(), node,
                next.services(), next.transports().keySet());
        state = new TopologyState(topology, node, Router.routesFrom(topology, node), warnings,
                Optional.ofNullable(error), clock.instant());
    }

    /** Where the topology asks for each transport: the endpoint line of a node that declares the kind, if any. */
    private Map<Endpoint.Kind, TransportHealth.Need> needsOf(final Topology topology, final NodePlan next) {
        final Map<Endpoint.Kind, TransportHealth.Need> result = new java.util.EnumMap<>(Endpoint.Kind.class);
        for (TransportPlan transport : next.transports().values()) {
            final Endpoint.Kind kind = transport.kind();
            final Optional<Node> declaring = topology.nodes().stream()
                    .filter(n -> n.endpointKind().filter(kind::equals).isPresent())
                    .filter(n -> n.name().equals(next.nodeName()) || transport.peers().stream()
                            .anyMatch(p -> p.startsWith(n.name() + "=")))
                    .findFirst();
            final String origin = declaring.map(n -> topology.source()
                    + Optional.ofNullable(lines.get(n.name())).map(l -> ":" + l).orElse("") + ": node '" + n.name()
                    + "' has endpoint.kind = \"" + kind.tomlName() + "\"" + (n.name().equals(next.nodeName())
                    ? "" : " and node '" + next.nodeName() + "' reaches it"))
                    .orElse(topology.source() + ": node '" + next.nodeName() + "' needs the " + kind.tomlName()
                            + " transport");
            result.put(kind, new TransportHealth.Need(transport, origin));
        }
        return Map.copyOf(result);
    }

    private void applyPlan(final NodePlan next, final List<String> warnings) {
        final PlanDiff diff = PlanDiff.between(plan, next);
        ListenChanges.between(plan, next).forEach(LOG::info);
        for (String service : diff.unregister()) {
            run(() -> effects.unregister(service), "unregister the context of service '" + service + "'", warnings);
        }
        for (Endpoint.Kind kind : diff.delete()) {
            run(() -> effects.deleteConfig(kind), "delete the " + kind.tomlName() + " transport configuration",
                    warnings);
        }
        for (TransportPlan plan : diff.put().values()) {
            run(() -> effects.putConfig(plan), "configure the " + plan.kind().tomlName() + " transport",
                    warnings);
        }
        for (String service : diff.register()) {
            run(() -> effects.register(service, next.nodeName()), "register the context of service '" + service
                    + "'", warnings);
        }
    }

    private static void run(final Runnable change, final String what, final List<String> warnings) {
        try {
            change.run();
        } catch (RuntimeException e) {
            LOG.error("failed to " + what, e);
            warnings.add("failed to " + what + ": " + e);
        }
    }

}
