package io.mycelium.transport.stream;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The OSGi service every stream transport component (Unix, TCP) registers so that consoles and tests can read its
 * counters, open links and dialed peers without touching the transport itself. Service properties:
 * {@value #KIND} (the transport's kind) and {@value #NODE} (this node's name).
 *
 * <p>Reading costs one snapshot per call and nothing per message; any thread.
 */
@ProviderType
public interface TransportStatsSource {

    /** Service property: the transport's kind, {@code unix} or {@code tcp}. */
    String KIND = "mycelium.transport.kind";
    /** Service property: this node's name (the component configuration's {@code node}). */
    String NODE = "node";

    /** Returns a snapshot of the counters, the open links and the dialed peers' states. */
    TransportStats stats();
}
