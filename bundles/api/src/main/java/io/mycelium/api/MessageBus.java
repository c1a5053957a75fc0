package io.mycelium.api;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The one publish/subscribe bus of a node: every Java service and the Python host share this service object.
 *
 * <p>All methods are safe for any number of threads. Messages published by one thread reach each subscriber in
 * publish order. A publish with no subscriber is counted, not an error.
 *
 * <h2>How messages and bytes are shared</h2>
 * <ul>
 *   <li>A Java subscriber whose {@link MessageType} is the publisher's receives the published object by reference;
 *       nothing is encoded or copied.</li>
 *   <li>Bytes are produced at most once per publish: the first consumer of a publish that needs bytes (a raw
 *       subscriber, a queued subscriber of a raw publish, a subscriber compiled against another copy of the type)
 *       makes the publish encode the object once into a per-publish buffer, and every other such consumer of the
 *       same publish shares that buffer.</li>
 *   <li>A raw payload ({@link #publishRaw}) goes to inline raw subscribers as the caller's buffer (no copy); it is
 *       copied once if a queued subscriber needs it after the call returns, and decoded at most once per publish,
 *       lazily, for Java subscribers.</li>
 * </ul>
 *
 * <p>A service obtains a view attributed to its name with {@link #forService(String)}; the view shares this bus's
 * topics and subscribers, and its subscriptions and publishes are counted and logged under that name.
 */
@ProviderType
public interface MessageBus {

    /**
     * Publishes a generated message to every subscriber of its type.
     *
     * @param message the message
     * @throws NullPointerException if {@code message} is {@code null}
     * @throws MyceliumException    if a queued subscriber with {@link Delivery.Overflow#FAIL} is full (every other
     *                              subscriber still receives the message), or a {@link Delivery.Overflow#BLOCK}ed
     *                              publish was interrupted
     */
    void publish(Message message);

    /**
     * Publishes a value of {@code type}. Allocates nothing when every subscriber is a typed subscriber of the same
     * {@code type}.
     *
     * @param type    the descriptor
     * @param message the value
     * @param <T>     the message class
     * @throws NullPointerException if an argument is {@code null}
     * @throws MyceliumException    as for {@link #publish(Message)}
     */
    <T> void publish(MessageType<T> type, T message);

    /**
     * Publishes an encoded payload; Java subscribers get it decoded once, lazily.
     *
     * @param typeId  the type id, in {@code [0, 65535]}
     * @param payload the payload from its position to its limit; read during the call only, position unchanged
     * @throws IllegalArgumentException if {@code typeId} is out of range, or the payload size does not match the
     *                                  size of the type registered for {@code typeId} by an active schema
     * @throws MyceliumException        as for {@link #publish(Message)}
     */
    void publishRaw(int typeId, ByteBuffer payload);

    /**
     * Subscribes a typed handler.
     *
     * @param type     the type to receive
     * @param handler  the handler
     * @param delivery inline or queued
     * @param <T>      the message class
     * @return the open subscription
     * @throws SchemaException   if an active schema registers {@code type.typeId()} with a different size
     * @throws MyceliumException if the bus is closed
     */
    <T> Subscription subscribe(MessageType<T> type, MessageHandler<? super T> handler, Delivery delivery);

    /**
     * Subscribes a typed handler inline.
     *
     * @param type    the type to receive
     * @param handler the handler
     * @param <T>     the message class
     * @return the open subscription
     * @throws SchemaException   as for {@link #subscribe(MessageType, MessageHandler, Delivery)}
     * @throws MyceliumException if the bus is closed
     */
    default <T> Subscription subscribe(final MessageType<T> type, final MessageHandler<? super T> handler) {
        return subscribe(type, handler, Delivery.INLINE);
    }

    /**
     * Subscribes a byte consumer (the Python host, a bridge that forwards bytes) to a type id.
     *
     * @param typeId   the type id, in {@code [0, 65535]}
     * @param handler  the handler
     * @param delivery inline or queued
     * @return the open subscription
     * @throws IllegalArgumentException if {@code typeId} is out of range
     * @throws MyceliumException        if the bus is closed
     */
    Subscription subscribeRaw(int typeId, RawMessageHandler handler, Delivery delivery);

    /**
     * A view of this bus attributed to one service: same topics and subscribers; the view's subscriptions carry
     * {@code serviceName} in stats and log lines and its publishes are counted for the service.
     *
     * @param serviceName the service name as in the topology; not blank
     * @return the view; the same counters are used for every view of one name
     * @throws IllegalArgumentException if {@code serviceName} is blank
     */
    MessageBus forService(String serviceName);

    /** @return the service this view is attributed to, or the empty string for the node's bus itself */
    String serviceName();

    /**
     * Live counters of the whole bus (not only this view), for consoles and tests.
     *
     * @return the counters
     */
    BusStats stats();
}
