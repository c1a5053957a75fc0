package io.mycelium.api;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives messages as encoded payload bytes: for consumers that forward bytes (transports, the Python host)
 * rather than use Java objects.
 *
 * <p>The payload is read-only and valid only for the duration of the call; copy what must outlive it.
 */
@ConsumerType
@FunctionalInterface
public interface RawMessageHandler {

    /**
     * @param typeId  the message type id
     * @param payload the encoded payload, positioned at its first byte with its limit at its end
     */
    void onMessage(int typeId, ByteBuffer payload);
}
