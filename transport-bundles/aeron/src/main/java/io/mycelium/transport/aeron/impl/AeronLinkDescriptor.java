package io.mycelium.transport.aeron.impl;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.ReservedValueSupplier;
import io.mycelium.protocol.frame.FrameDescriptor;

import org.agrona.DirectBuffer;


/**
 * What one Aeron message of a link carries: one frame of docs/wire.md without its 6-byte header. The message is the
 * payload (Aeron knows its length) and the frame's type id travels in the Aeron data header's 8-byte reserved value,
 * {@link #MARKER} in the upper 32 bits and the type id in the lower 16. So a 64-byte message takes 96 bytes of term
 * and datagram (32 Aeron header + 64), as with bare Aeron, not 128 (a 102-byte frame rounds up to Aeron's 32-byte
 * alignment), and the payload is offered from the publisher's buffer in one piece.
 *
 * <pre>
 *   type id 1..5        control frames (SUBSCRIBE, UNSUBSCRIBE, PING, PONG, GOODBYE): their payload as on stream links
 *   type id 990         HELLO: the payload is a v1 HELLO of docs/wire.md (prefix, magic, version, digest, name)
 *   type id 991         reply: the payload is a v1 ACCEPT or REJECT
 *   type id 992         FANOUT: the session id (i32 LE) of the sender's fan-out publication ({@link AeronFanOut})
 *   type id 993         FANOUT_READY: the receiver reads that session's image (empty payload)
 *   type id 1000..65535 application frames
 * </pre>
 *
 * Stream links carry the handshake before any frame; an Aeron image has no "before", so the handshake travels in
 * frames of two core-range ids that no stream link uses. Messages larger than one Aeron fragment are reassembled
 * before they are read (every fragment carries the same reserved value).
 */
final class AeronLinkDescriptor {

    /** Frame type id of a HELLO (core range, unused by stream links). */
    static final int HELLO_TYPE_ID = 990;
    /** Frame type id of an ACCEPT or REJECT answering a HELLO. */
    static final int REPLY_TYPE_ID = 991;
    /** Frame type id of FANOUT: the payload is the session id (i32 LE) of the sender's fan-out publication. */
    static final int FANOUT_TYPE_ID = 992;
    /** Frame type id of FANOUT_READY: the receiver has the image of the announced fan-out session (no payload). */
    static final int FANOUT_READY_TYPE_ID = 993;
    /** Length of a WIRE frame header: what a link counts per frame in its byte stats, as stream links do. */
    static final int HEADER_LENGTH = FrameDescriptor.HEADER_LENGTH;
    /** Upper 32 bits of a link message's reserved value ("MYLK"): a message without it is not a link frame. */
    static final long MARKER = 0x4D594C4BL;

    private AeronLinkDescriptor() {
    }

    /**
     * Returns the reserved value that marks a message as a frame of {@code typeId}.
     *
     * @param typeId the frame's type id, 0..65535
     * @return the value for the Aeron data header
     */
    static long reservedValue(final int typeId) {
        return MARKER << 32 | (typeId & 0xFFFF);
    }

    /**
     * Returns the type id a reserved value carries, or -1 when the value lacks the {@link #MARKER}.
     *
     * @param reservedValue the Aeron data header's reserved value
     * @return the type id, or -1
     */
    static int typeId(final long reservedValue) {
        return reservedValue >>> 32 == MARKER && (reservedValue & 0xFFFF0000L) == 0 ? (int) reservedValue : -1;
    }

    /**
     * Returns a supplier of the reserved value of {@code typeId}, made once per sender.
     *
     * @param typeId the frame's type id
     * @return a supplier that always gives {@link #reservedValue(int) reservedValue(typeId)}
     */
    static ReservedValueSupplier supplier(final int typeId) {
        final long value = reservedValue(typeId);
        return (termBuffer, termOffset, frameLength) -> value;
    }

    /**
     * Offers a message, once more after an ADMIN_ACTION (a term rotation). Any thread, allocation-free.
     *
     * @return the offer's result: a new position, or a refusal
     */
    static long offer(final ExclusivePublication publication, final DirectBuffer buffer, final int length,
            final ReservedValueSupplier frameType) {
        final long result = offerOnce(publication, buffer, 0, length, frameType);
        return result == Publication.ADMIN_ACTION ? offerOnce(publication, buffer, 0, length, frameType) : result;
    }

    /**
     * Offers a message once. Links publish on exclusive publications, so that each has its own session even when
     * several nodes share one media driver (the driver shares a concurrent publication, and its session, between
     * all its clients publishing to the same channel and stream, and the peer could not tell them apart). An
     * exclusive publication has a single writer, but publishers and the link thread offer concurrently: the offer is
     * serialized on the publication's monitor (Aeron never locks it; its client lock is the conductor's). Any
     * thread, allocation-free.
     *
     * @return the offer's result: a new position, or a refusal
     */
    static long offerOnce(final ExclusivePublication publication, final DirectBuffer buffer, final int offset,
            final int length, final ReservedValueSupplier frameType) {
        synchronized (publication) {
            return publication.offer(buffer, offset, length, frameType);
        }
    }
}
