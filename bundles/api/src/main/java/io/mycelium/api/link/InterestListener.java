package io.mycelium.api.link;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Learns when a type id gains its first or loses its last local subscriber (one that is not a transport link), so
 * that a transport can tell peer nodes which frames this node wants.
 *
 * <p>Calls for one bus are made one at a time, in the order the changes happened, on the thread that subscribed or
 * closed, while the bus holds its interest lock: an implementation must return quickly and must not call back into
 * the bus's subscribe or close methods.
 */
@ConsumerType
@FunctionalInterface
public interface InterestListener {

    /**
     * @param typeId     the type id
     * @param interested {@code true} when the type now has a local subscriber, {@code false} when it has none left
     */
    void interestChanged(int typeId, boolean interested);
}
