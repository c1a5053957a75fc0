package io.mycelium.api;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The one publish/subscribe bus of a node: every Java service and the Python host share this service object.
 *
 * <p>All methods are safe for any number of threads. Messages published by one thread reach each subscriber in
 * publish order. A publish with no subscriber is counted, not an error. Java subscribers receive the published
 * object by reference; bytes are produced at most once per publish for consumers that need them.
 */
@ProviderType
public interface MessageBus {

    /**
     * Publishes a generated message to every subscriber of its type.
     *
     * @param message the message
     * @throws MyceliumException if a queued subscriber with {@link Delivery.Overflow#FAIL} is full, or the type is
     *                           not part of a registered schema
     */
    void publish(Message message);

    /**
     * Publishes a value of {@code type}.
     *
     * @param type    the descriptor
     * @param message the value
     * @param <T>     the message class
     * @throws MyceliumException as for {@link #publish(Message)}
     */
    <T> void publish(MessageType<T> type, T message);

    /**
     * Publishes an encoded payload; Java subscribers get it decoded once, lazily.
     *
     * @param typeId  the type id
     * @param payload the payload from its position to its limit; read during the call only
     * @throws IllegalArgumentException if the payload size does not match the registered type's size
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
     */
    <T> Subscription subscribe(MessageType<T> type, MessageHandler<? super T> handler, Delivery delivery);

    /**
     * Subscribes a typed handler inline.
     *
     * @param type    the type to receive
     * @param handler the handler
     * @param <T>     the message class
     * @return the open subscription
     */
    default <T> Subscription subscribe(final MessageType<T> type, final MessageHandler<? super T> handler) {
        return subscribe(type, handler, Delivery.INLINE);
    }

    /**
     * Subscribes a byte consumer (a transport link, the Python host) to a type id.
     *
     * @param typeId   the type id
     * @param handler  the handler
     * @param delivery inline or queued
     * @return the open subscription
     */
    Subscription subscribeRaw(int typeId, RawMessageHandler handler, Delivery delivery);
}
