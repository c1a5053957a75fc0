/**
 * Prometheus {@code /metrics} of a node: the console's read model as metric families named by Prometheus conventions,
 * plus the JVM's basics, in the text exposition format written by the official Prometheus Java client (embedded in
 * this bundle), served through the HTTP whiteboard of the node's HTTP service (the one the Web Console uses).
 */
package io.mycelium.console.impl.metrics;
