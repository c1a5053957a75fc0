package io.mycelium.console.impl.model;

import java.util.List;
import java.util.Objects;

/**
 * The node at a glance. Immutable.
 *
 * <p>"In" and "out" are seen from the node: {@code linkFramesInPerSecond} are frames received from peers over every
 * link, {@code linkFramesOutPerSecond} frames written to peers; {@code publishedPerSecond} counts every publish on
 * the bus (local services and frames arriving from peers alike) and {@code deliveredPerSecond} every message handed
 * to a handler (Java or Python).
 *
 * @param nodeName               this node's name in the topology
 * @param schemas                every schema the bus has seen, active or refused, in arrival order
 * @param uptimeMillis           how long this node's JVM has run
 * @param publishedPerSecond     publishes on the bus per second, all types
 * @param deliveredPerSecond     messages handed to handlers per second, all types
 * @param linkFramesInPerSecond  frames received from peers per second, all links
 * @param linkFramesOutPerSecond frames written to peers per second, all links
 * @param droppedPerSecond       messages dropped per second: subscription queues full plus link queues full
 * @param errorsPerSecond        errors per second: handler errors (Java and Python) plus transport protocol and
 *                               delivery errors
 * @param problems               what is wrong now, one readable line each: transports that could not start, a
 *                               rejected topology (with its file:line), a refused schema, Python services in error;
 *                               empty when healthy
 */
public record NodeOverview(String nodeName, List<SchemaRow> schemas, long uptimeMillis, double publishedPerSecond,
        double deliveredPerSecond, double linkFramesInPerSecond, double linkFramesOutPerSecond,
        double droppedPerSecond, double errorsPerSecond, List<String> problems) {

    /** Checks the components and copies the lists. */
    public NodeOverview {
        Objects.requireNonNull(nodeName, "nodeName");
        schemas = List.copyOf(schemas);
        problems = List.copyOf(problems);
    }
}
