package io.mycelium.python;

/**
 * A snapshot of one Python service of the node, for consoles and metrics.
 *
 * @param name          the service name (the deployed file's name without extension; {@code python} for code not
 *                      started from {@code deploy/})
 * @param state         {@code running}, {@code finished} (the script returned, its callbacks live on),
 *                      {@code exited(n)}, {@code failed}, {@code stopped}, or {@code held: <reason>} for a deployed
 *                      file the topology does not place on this node (e.g. {@code held: placed on node 'feed' by
 *                      deploy/topology.toml (this node is 'sink')}; its counts are zero); {@code stuck} while one of
 *                      its callbacks runs longer than {@code callback.stuck.seconds}; {@code left-behind} for a
 *                      stopped service whose callback never returned (its thread is still blocked);
 *                      {@code waiting for protocol package '<name>'} for a deployed file whose protocol is not
 *                      deployed yet (it starts when it is), and {@code failed: protocol package '<name>' is not
 *                      deployed} (one error) once it waited longer than {@code protocol.wait.seconds}
 * @param errors        exceptions raised at import or in callbacks
 * @param subscriptions open subscriptions
 * @param delivered     messages handed to its callbacks
 * @param dropped       messages dropped because its queue was full
 */
public record PythonServiceInfo(String name, String state, long errors, int subscriptions, long delivered,
                                long dropped) {
}
