package io.mycelium.topology;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reports the topology this node runs with. Registered by the topology bundle; the console reads it.
 *
 * <p>Safe for any thread: each call returns an immutable snapshot.
 */
@ProviderType
public interface TopologyStatus {

    /** @return the current state; never null (with no topology file it describes the embedded default) */
    TopologyState state();
}
