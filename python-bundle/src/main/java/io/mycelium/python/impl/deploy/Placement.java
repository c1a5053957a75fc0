package io.mycelium.python.impl.deploy;

import java.util.Optional;

/**
 * Where the topology places a Python service: on this node, or elsewhere (then the service is held, not started).
 * A deployed file's service name is the file name without its extension ({@code market_consumer.py},
 * {@code market_consumer/}, {@code market_consumer.zip}: {@code market_consumer}), the name the topology lists it
 * under. Implementations are safe for any number of threads.
 */
public interface Placement {

    /** Places every service on this node: a host without a topology (tests, the standalone host). */
    Placement EVERYWHERE = new Placement() {
        @Override
        public Optional<String> held(final String service) {
            return Optional.empty();
        }

        @Override
        public void request(final String service) {
            // nothing to ask: everything is placed here
        }
    };

    /**
     * @param service a service name
     * @return empty when the service is placed on this node; otherwise why it is held, e.g.
     *         {@code placed on node 'feed' by /etc/mycelium/topology.toml}
     */
    Optional<String> held(String service);

    /**
     * Says that a file of this service is deployed here, so a topology that places services on demand (the embedded
     * default) places it on this node. The answer arrives later, as a change of {@link #held}.
     *
     * @param service a service name
     */
    void request(String service);

    /**
     * @param reason a reason returned by {@link #held}
     * @return whether the reason is a short wait rather than a placement decision (not worth a log line)
     */
    static boolean isTransient(final String reason) {
        return reason.startsWith(WAITING);
    }

    /** How every transient reason starts. */
    String WAITING = "waiting";
}
