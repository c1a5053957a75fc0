package io.mycelium.topology.impl;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.mycelium.topology.Endpoint;

/**
 * The changes that take a node from one {@link NodePlan} to another: which service contexts to unregister and
 * register, which transport configurations to create or update, and which to delete. Unchanged services and
 * transports are left alone so a reconfiguration does not restart what it does not touch. Immutable.
 *
 * @param unregister services whose context must go (removed, or the node was renamed)
 * @param register   services whose context must be registered
 * @param put        transport configurations to create or update
 * @param delete     transports whose configuration must be deleted
 */
public record PlanDiff(Set<String> unregister, Set<String> register, Map<Endpoint.Kind, TransportPlan> put,
                       Set<Endpoint.Kind> delete) {

    /**
     * Copies the collections.
     *
     * @throws NullPointerException if any component is null
     */
    public PlanDiff {
        unregister = Collections.unmodifiableSet(new TreeSet<>(unregister));
        register = Collections.unmodifiableSet(new TreeSet<>(register));
        put = put.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(put));
        delete = delete.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(delete));
    }

    /**
     * @param from the running plan ({@link NodePlan#EMPTY} at start)
     * @param to   the new plan
     * @return the changes; {@link #isEmpty()} when the plans are equal
     */
    public static PlanDiff between(final NodePlan from, final NodePlan to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        final boolean renamed = !from.nodeName().equals(to.nodeName());
        // A context carries its node name, so a renamed node re-registers every context.
        final Set<String> unregister = new TreeSet<>(from.services());
        final Set<String> register = new TreeSet<>(to.services());
        if (!renamed) {
            unregister.removeAll(to.services());
            register.removeAll(from.services());
        }
        final Map<Endpoint.Kind, TransportPlan> put = new EnumMap<>(Endpoint.Kind.class);
        to.transports().forEach((kind, config) -> {
            if (!config.equals(from.transports().get(kind))) {
                put.put(kind, config);
            }
        });
        final Set<Endpoint.Kind> delete = EnumSet.noneOf(Endpoint.Kind.class);
        for (Endpoint.Kind kind : from.transports().keySet()) {
            if (!to.transports().containsKey(kind)) {
                delete.add(kind);
            }
        }
        return new PlanDiff(unregister, register, put, delete);
    }

    /** @return whether nothing changes */
    public boolean isEmpty() {
        return unregister.isEmpty() && register.isEmpty() && put.isEmpty() && delete.isEmpty();
    }
}
