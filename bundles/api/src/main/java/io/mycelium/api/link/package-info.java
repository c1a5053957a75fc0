/**
 * The contract between the node's bus and its transport bundles: what links call on the bus, and the configuration
 * the topology bundle writes for transports. Service authors never use this package.
 */
@Export
@Version("1.2.0")
package io.mycelium.api.link;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
