/**
 * The console's read model of a whole node: immutable records of what the node runs and counts (overview, topology,
 * links, types, subscriptions, Python services), built at read time by {@link
 * io.mycelium.console.impl.model.NodeSnapshots} from the node's stats services. The Web Console page, the Gogo
 * commands and the metrics endpoint all show this one model, so they agree.
 *
 * <p>Conventions of every record: counters are totals since they began and only grow; rates ({@code ...PerSecond})
 * are computed from two reads of the same {@link io.mycelium.console.impl.model.NodeSnapshots.Sampler}; {@code -1}
 * means unknown (never {@code null}); strings are never {@code null} (empty when absent); lists are immutable and
 * ordered as documented on each record. Private to the console bundle.
 */
package io.mycelium.console.impl.model;
