package io.mycelium.transport.aeron.impl;

import io.mycelium.protocol.frame.FrameDescriptor;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * What one Aeron message of a link carries: exactly one WIRE frame (docs/wire.md: u16 LE type id, u32 LE payload
 * length, payload), so a recording of the stream is a sequence of ordinary frames.
 *
 * <pre>
 *   type id 1..5        control frames (SUBSCRIBE, UNSUBSCRIBE, PING, PONG, GOODBYE), as on stream links
 *   type id 990         HELLO: the payload is a v1 HELLO of docs/wire.md (prefix, magic, version, digest, name)
 *   type id 991         reply: the payload is a v1 ACCEPT or REJECT
 *   type id 1000..65535 application frames
 * </pre>
 *
 * Stream links carry the handshake before any frame; an Aeron image has no "before", so the handshake travels in
 * frames of two core-range ids that no stream link uses.
 */
final class AeronLinkDescriptor {

    /** Frame type id of a HELLO (core range, unused by stream links). */
    static final int HELLO_TYPE_ID = 990;
    /** Frame type id of an ACCEPT or REJECT answering a HELLO. */
    static final int REPLY_TYPE_ID = 991;
    /** Length of the frame header. */
    static final int HEADER_LENGTH = FrameDescriptor.HEADER_LENGTH;

    private AeronLinkDescriptor() {
    }

    /**
     * Writes a frame header.
     *
     * @param buffer        where
     * @param index         at which index
     * @param typeId        the frame's type id
     * @param payloadLength the payload length
     */
    static void putHeader(final MutableDirectBuffer buffer, final int index, final int typeId,
            final int payloadLength) {
        buffer.putShort(index + FrameDescriptor.TYPE_ID_OFFSET, (short) typeId, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(index + FrameDescriptor.LENGTH_OFFSET, payloadLength, ByteOrder.LITTLE_ENDIAN);
    }
}
