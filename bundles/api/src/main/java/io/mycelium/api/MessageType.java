package io.mycelium.api;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Describes one fixed-layout message type of a schema: its type id, topic and C-layout size, and how to move a
 * value of it to and from bytes.
 *
 * <p>Implementations are generated from {@code contracts.yaml}. They are stateless and safe for use by any
 * number of threads. Encoding is little-endian regardless of the buffer's {@link ByteBuffer#order()}, and neither
 * method changes the buffer's position, limit or order.
 *
 * @param <T> the Java class of the message
 */
@ConsumerType
public interface MessageType<T> {

    /** @return the type id (the TLV type of the frame), unique within a schema and outside the core range */
    int typeId();

    /** @return the message name as written in {@code contracts.yaml}, for example {@code TradeSignal} */
    String name();

    /** @return the topic derived from the message's domain (lower-case; {@code marketdata} becomes {@code market-data}) */
    String topic();

    /** @return the exact payload size in bytes, padding included */
    int size();

    /** @return the Java class of the message values */
    Class<T> javaType();

    /**
     * Writes {@code message} into {@code buffer} at {@code offset} in the schema's C layout, padding zeroed.
     * Allocates nothing.
     *
     * @param message the value to encode
     * @param buffer  the destination; {@code size()} bytes from {@code offset} are overwritten
     * @param offset  absolute index of the first payload byte
     * @throws IndexOutOfBoundsException if fewer than {@link #size()} bytes remain at {@code offset}
     * @throws IllegalArgumentException  if a field exceeds its declared capacity
     */
    void encode(T message, ByteBuffer buffer, int offset);

    /**
     * Reads a value of this type from {@code buffer} at {@code offset}.
     *
     * @param buffer the source
     * @param offset absolute index of the first payload byte
     * @return a new message value
     * @throws IndexOutOfBoundsException if fewer than {@link #size()} bytes remain at {@code offset}
     * @throws IllegalArgumentException  if a count field exceeds its capacity or a string is not valid UTF-8
     */
    T decode(ByteBuffer buffer, int offset);
}
