package io.mycelium.bus.impl;

import java.nio.ByteBuffer;

import io.mycelium.api.MessageType;
import io.mycelium.api.MyceliumException;

/**
 * What one publish shares between the consumers that cannot take the published object by reference: the bytes,
 * produced at most once, and the decoded value, produced at most once per publish for the first decoding type.
 *
 * <p>Created lazily on the publisher's thread only when a consumer needs it, so a publish to same-type Java
 * subscribers allocates nothing. Thread contract: {@link #inlineView()} and {@link #endPublish()} are for the
 * publishing thread during the publish; {@link #bytes()}, {@link #decodedFor} and {@link #queuedView()} are safe for
 * any thread (the memo is guarded by this object's monitor). A queued consumer gets the envelope only after
 * {@link #sealForQueue()}, so it never reads the caller's transient buffer.
 */
final class Envelope {

    private final int typeId;
    private final MessageType<Object> sourceType;
    private final Object source;
    private ByteBuffer transientPayload;
    private final int payloadPosition;
    private final int payloadLength;
    private byte[] bytes;
    private ByteBuffer template;
    private ByteBuffer inlineView;
    private MessageType<?> decodedType;
    private Object decoded;
    private MyceliumException failure;

    private Envelope(final int typeId, final MessageType<Object> sourceType, final Object source,
                     final ByteBuffer transientPayload, final int payloadLength) {
        this.typeId = typeId;
        this.sourceType = sourceType;
        this.source = source;
        this.transientPayload = transientPayload;
        this.payloadPosition = transientPayload == null ? 0 : transientPayload.position();
        this.payloadLength = payloadLength;
    }

    /**
     * @param type    the published type
     * @param message the published object
     * @return an envelope that encodes {@code message} when bytes are first needed
     */
    @SuppressWarnings("unchecked")
    static Envelope ofObject(final MessageType<?> type, final Object message) {
        return new Envelope(type.typeId(), (MessageType<Object>) type, message, null, type.size());
    }

    /**
     * @param typeId  the published type id
     * @param payload the caller's payload, valid until {@link #endPublish()}
     * @return an envelope that copies the payload when a queued consumer needs it
     */
    static Envelope ofRaw(final int typeId, final ByteBuffer payload) {
        return new Envelope(typeId, null, null, payload, payload.remaining());
    }

    /** @return the type id of the publish */
    int typeId() {
        return typeId;
    }

    /**
     * The payload bytes, encoded or copied on first use and shared by every later consumer of this publish.
     *
     * @return the bytes; never modify them
     */
    synchronized byte[] bytes() {
        if (bytes == null) {
            final byte[] b = new byte[payloadLength];
            if (source != null) {
                sourceType.encode(source, ByteBuffer.wrap(b), 0);
            } else {
                transientPayload.get(payloadPosition, b);
            }
            bytes = b;
        }
        return bytes;
    }

    /**
     * Makes the envelope usable after the publish returns: produces the bytes and the read-only template that queued
     * raw consumers duplicate. Publisher thread.
     *
     * @return this envelope
     */
    synchronized Envelope sealForQueue() {
        if (template == null) {
            template = ByteBuffer.wrap(bytes()).asReadOnlyBuffer();
        }
        return this;
    }

    /**
     * The payload for an inline raw consumer: the caller's payload (read-only view, no copy) for a raw publish, or
     * the shared bytes. Position and limit are reset for each consumer. Publisher thread, during the publish.
     *
     * @return the view, positioned at the payload's first byte
     */
    ByteBuffer inlineView() {
        if (inlineView == null) {
            inlineView = transientPayload != null ? transientPayload.asReadOnlyBuffer()
                : ByteBuffer.wrap(bytes()).asReadOnlyBuffer();
        }
        final int start = transientPayload != null ? payloadPosition : 0;
        inlineView.limit(start + payloadLength).position(start);
        return inlineView;
    }

    /** @return a fresh read-only view of the shared bytes for one queued raw delivery; any thread, after sealing */
    ByteBuffer queuedView() {
        final ByteBuffer t;
        synchronized (this) {
            t = template;
        }
        return t.duplicate();
    }

    /**
     * The message as {@code type}: the published object itself when {@code type} is the publisher's type (or has the
     * same Java class), otherwise decoded from the bytes; the first decoded value is memoised and shared.
     *
     * @param type the consumer's type
     * @return the value
     * @throws IllegalArgumentException if the payload size is not {@code type.size()}, or decoding rejects it
     */
    synchronized Object decodedFor(final MessageType<?> type) {
        if (source != null && (type == sourceType || type.javaType() == sourceType.javaType())) {
            return source;
        }
        if (decoded != null && decodedType == type) {
            return decoded;
        }
        if (payloadLength != type.size()) {
            throw new IllegalArgumentException("payload of " + payloadLength + " bytes for type id " + typeId
                + " but the subscriber's type " + type.name() + " has size " + type.size()
                + "; publisher and subscriber were built from different contracts");
        }
        final Object value;
        if (bytes == null && transientPayload != null) {
            value = type.decode(transientPayload, payloadPosition);
        } else {
            value = type.decode(ByteBuffer.wrap(bytes()), 0);
        }
        if (decoded == null) {
            decoded = value;
            decodedType = type;
        }
        return value;
    }

    /** Forgets the caller's buffer once the publish returns. Publisher thread. */
    synchronized void endPublish() {
        transientPayload = null;
    }

    /**
     * Records a failure to report to the publisher after every subscriber has been offered the message.
     * Publisher thread.
     *
     * @param e the failure
     */
    void addFailure(final MyceliumException e) {
        if (failure == null) {
            failure = e;
        } else {
            failure.addSuppressed(e);
        }
    }

    /**
     * Throws the recorded failure, if any. Publisher thread.
     *
     * @throws MyceliumException the first failure, the others suppressed in it
     */
    void throwFailure() {
        if (failure != null) {
            throw failure;
        }
    }
}
