package io.mycelium.python.impl.jni;

import java.nio.ByteBuffer;

/**
 * The Java side of the built-in Python module {@code _mycelium}: every call Python makes into the host arrives here
 * through JNI. Called on Python threads and dispatcher threads, always without the GIL, so implementations may block.
 * A {@link RuntimeException} thrown here reaches Python as {@code mycelium_native.JavaError} (a {@code RuntimeError};
 * {@code JavaArgumentError}, also a {@code ValueError}, for an {@link IllegalArgumentException}) carrying the Java
 * class name and {@code toString()}.
 */
public interface PythonUpcalls {

    /**
     * Publishes an encoded payload on the node's bus ({@code _mycelium.publish}).
     *
     * @param typeId  the message type id
     * @param payload the payload, valid during the call only (it is Python memory)
     */
    void publish(int typeId, ByteBuffer payload);

    /**
     * Publishes the first {@code length} bytes of the calling thread's {@link #scratchBuffer()} (the bridge copied
     * the payload there: no allocation per publish).
     *
     * @param typeId the message type id
     * @param length the payload size
     */
    void publishScratch(int typeId, int length);

    /**
     * The calling thread's scratch buffer: a direct buffer of at least 64 KiB that stays the same for the thread's
     * life. Called once per thread; the bridge caches its address.
     *
     * @return the buffer
     */
    ByteBuffer scratchBuffer();

    /**
     * Subscribes service {@code serviceId} to a type.
     *
     * @param serviceId the service id
     * @param typeId    the message type id
     * @param inline    true: the callback runs on the publisher's thread; false: on the service's dispatcher
     * @return the subscription id, the key of the callback in the service's callback table
     */
    long subscribe(int serviceId, int typeId, boolean inline);

    /**
     * Closes a subscription; idempotent.
     *
     * @param serviceId      the service id
     * @param subscriptionId the id {@link #subscribe} returned
     */
    void unsubscribe(int serviceId, long subscriptionId);

    /**
     * @param serviceId the service id
     * @return the address of the service's callback table ({@code dict}), owned by the service
     */
    long callbackTable(int serviceId);

    /**
     * Writes one line to the server log.
     *
     * @param level   a Python logging level (10 debug, 20 info, 30 warning, 40 error, 50 critical)
     * @param logger  the logger name
     * @param message the text
     */
    void log(int level, String logger, String message);

    /**
     * Logs and counts a failure of a Python service (an exception at import or in a callback).
     *
     * @param serviceId the service id
     * @param type      the Python exception type
     * @param message   {@code str(exception)}
     * @param traceback the formatted traceback
     */
    void reportError(int serviceId, String type, String message, String traceback);

    /** @return the hex digests of the node's registered schemas */
    String[] schemaDigests();
}
