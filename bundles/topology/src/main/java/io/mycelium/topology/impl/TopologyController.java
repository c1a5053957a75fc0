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
 * the running topology stays. Only the differences between the running and the new {@link NodePlan} are applied.
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
    // Replaced (never mutated) under the lock; read without it.
    private volatile TopologyState state;

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
        fileProperty.flatMap(this::apply).ifPresent(this::applyDefault);
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
        apply(file);
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
        if (demanded.addAll(services) && DEFAULT_SOURCE.equals(appliedSource)) {
            LOG.info("no topology file: placing requested services {} on node '{}'", services, state.nodeName());
            applyDefault(state.lastError().orElse(null));
        }
    }

    /** Unregisters every service context and deletes every transport configuration (the node stops). */
    public synchronized void stop() {
        applyPlan(NodePlan.EMPTY, new ArrayList<>());
        plan = NodePlan.EMPTY;
        appliedText = null;
    }

    /** @return the current state; never blocks */
    public TopologyState state() {
        return state;
    }

    /** @return the topology used when no file is given: one node with every demanded service, no transports */
    public synchronized Topology defaultTopology() {
        return new Topology(DEFAULT_SOURCE, Topology.DEFAULT_SOCKET_DIR, List.of(new Node(
                nodeProperty.orElse(DEFAULT_NODE), List.copyOf(demanded), Optional.empty(), OptionalInt.empty(),
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
            node = NodeSelector.select(topology, nodeProperty);
        } catch (ConfigurationException e) {
            LOG.error("rejected topology " + source + "; still running " + state.topology().source()
                    + " as node '" + state.nodeName() + "':\n" + e.getMessage());
            state = state.withLastError(Optional.of(e.getMessage()));
            return Optional.of(e.getMessage());
        }
        install(topology, node, text, null);
        return Optional.empty();
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
        appliedSource = topology.source();
        appliedText = text;
        warnings.forEach(w -> LOG.warn("{}: {}", topology.source(), w));
        LOG.info("topology {} applied: node '{}', services {}, transports {}", topology.source(), node,
                next.services(), next.transports().keySet());
        state = new TopologyState(topology, node, Router.routesFrom(topology, node), warnings,
                Optional.ofNullable(error), clock.instant());
    }

    private void applyPlan(final NodePlan next, final List<String> warnings) {
        final PlanDiff diff = PlanDiff.between(plan, next);
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
