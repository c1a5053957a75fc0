package io.mycelium.python;

/**
 * A snapshot of one Python service of the node, for consoles and metrics.
 *
 * @param name          the service name (the deployed file's name without extension; {@code python} for code not
 *                      started from {@code deploy/})
 * @param state         {@code running}, {@code finished} (the script returned, its callbacks live on),
 *                      {@code exited(n)}, {@code failed} or {@code stopped}; {@code stuck} while one of its callbacks
 *                      runs longer than {@code callback.stuck.seconds}; {@code left-behind} for a stopped service
 *                      whose callback never returned (its thread is still blocked)
 * @param errors        exceptions raised at import or in callbacks
 * @param subscriptions open subscriptions
 * @param delivered     messages handed to its callbacks
 * @param dropped       messages dropped because its queue was full
 */
public record PythonServiceInfo(String name, String state, long errors, int subscriptions, long delivered,
                                long dropped) {
}
