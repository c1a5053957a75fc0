package io.mycelium.topology.impl;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.mycelium.topology.Endpoint;

/** Effects that keep the registered contexts and configurations in maps and log every call, for tests. */
class RecordingEffects implements TopologyController.Effects {

    final Map<String, String> contexts = new TreeMap<>();
    final Map<Endpoint.Kind, TransportPlan> configs = new EnumMap<>(Endpoint.Kind.class);
    final List<String> calls = new ArrayList<>();

    @Override
    public void register(final String service, final String node) {
        calls.add("register " + service);
        contexts.put(service, node);
    }

    @Override
    public void unregister(final String service) {
        calls.add("unregister " + service);
        contexts.remove(service);
    }

    @Override
    public void putConfig(final TransportPlan config) {
        calls.add("put " + config.kind());
        configs.put(config.kind(), config);
    }

    @Override
    public void deleteConfig(final Endpoint.Kind kind) {
        calls.add("delete " + kind);
        configs.remove(kind);
    }
}
