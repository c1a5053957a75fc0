/**
 * The topology model a node runs with: the nodes of {@code topology.toml}, their endpoints, the routing rule's
 * outcome, and the {@link io.mycelium.topology.TopologyStatus} service that reports what is applied.
 */
@Export
@Version("1.4.0")
package io.mycelium.topology;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
