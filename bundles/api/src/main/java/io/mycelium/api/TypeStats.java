package io.mycelium.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Live counters of one message type on a bus. Delivery counters include subscriptions that have been closed.
 */
@ProviderType
public interface TypeStats {

    /** @return the type id */
    int typeId();

    /** @return the type's name from its active schema or a typed subscriber, or the empty string when unknown */
    String name();

    /** @return the id of the active schema that registers the type, or the empty string */
    String schemaId();

    /** @return publishes of this type (typed and raw) */
    long published();

    /** @return publishes that found no subscriber (counted, not an error) */
    long unrouted();

    /** @return messages handed to handlers */
    long delivered();

    /** @return messages dropped by overflow policies or closing */
    long dropped();

    /** @return handler invocations that threw */
    long handlerErrors();

    /** @return open subscriptions now */
    int subscribers();

    /**
     * @return the encoded size of one message of this type in bytes, from the active schema that registers it or
     *         a typed subscriber's descriptor, or -1 when unknown; published bytes are {@code published() × size()}
     * @since 2.1
     */
    default int size() {
        return -1;
    }
}
