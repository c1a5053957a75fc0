package io.mycelium.topology.impl;

import io.mycelium.topology.Node;
import io.mycelium.topology.Recording;
import io.mycelium.topology.Topology;

import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The recording part of a node's Aeron transport configuration: what this node records ({@value #RECORD_TYPES},
 * {@value #RECORD_RETENTION}) and which of its Aeron peers record what ({@value #RECORDED_PEERS}, so it replays
 * them when it (re)joins). Stateless.
 */
final class RecordPlan {

    /** This node's recorded types' names, comma separated. */
    static final String RECORD_TYPES = "record.types";
    /** This node's retention as written in the topology. */
    static final String RECORD_RETENTION = "record.retention";
    /** {@code peer=TypeA,TypeB} entries separated by {@code ;}, for every other node that records. */
    static final String RECORDED_PEERS = "recorded.peers";

    private RecordPlan() {
    }

    /**
     * @param topology the topology
     * @param self     this node
     * @return the properties; empty when neither this node nor any other records
     */
    static Map<String, String> properties(final Topology topology, final Node self) {
        final Map<String, String> out = new TreeMap<>();
        self.record().ifPresent(r -> {
            out.put(RECORD_TYPES, String.join(",", r.types()));
            if (!r.retention().isEmpty()) {
                out.put(RECORD_RETENTION, r.retention());
            }
        });
        final StringJoiner peers = new StringJoiner(";");
        for (final Node other : topology.nodes()) {
            if (other != self && other.record().isPresent()) {
                final Recording r = other.record().get();
                peers.add(other.name() + "=" + String.join(",", r.types()));
            }
        }
        if (peers.length() > 0) {
            out.put(RECORDED_PEERS, peers.toString());
        }
        return out;
    }
}
