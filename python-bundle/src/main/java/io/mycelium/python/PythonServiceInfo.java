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
 * @param file          the deployed file ({@code deploy/<name>.py}), or the empty string for the default service
 * @param sinceMillis   when the service was started (epoch milliseconds), or -1 when unknown (held services)
 * @param lastTraceback the traceback of the last exception raised at import or in a callback, or the empty string
 * @param queueDepth    bytes waiting in its dispatcher queue now (the queue is a ring of bytes: records of 16 bytes
 *                      of header plus the payload)
 * @param queueCapacity its dispatcher queue's size in bytes ({@code dispatcher.queue.bytes}), or -1 when unknown
 */
public record PythonServiceInfo(String name, String state, long errors, int subscriptions, long delivered,
                                long dropped, String file, long sinceMillis, String lastTraceback, int queueDepth,
                                int queueCapacity) {

    /**
     * A snapshot without the details added in 1.1 (file, since, traceback, queue): they read as unknown.
     *
     * @param name          as for the canonical constructor
     * @param state         as for the canonical constructor
     * @param errors        as for the canonical constructor
     * @param subscriptions as for the canonical constructor
     * @param delivered     as for the canonical constructor
     * @param dropped       as for the canonical constructor
     */
    public PythonServiceInfo(final String name, final String state, final long errors, final int subscriptions,
                             final long delivered, final long dropped) {
        this(name, state, errors, subscriptions, delivered, dropped, "", -1, "", 0, -1);
    }
}
