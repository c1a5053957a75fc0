package io.mycelium.protocol.control;

/**
 * Type ids, reserved range and payload layouts of the control frames (docs/wire.md §6); integers little-endian.
 * Holds constants and the range check codegen uses.
 *
 * <p>Control frames are ordinary TLV frames whose type id lies in the core range {@value #CORE_FIRST}..{@value
 * #CORE_LAST}, which user contracts may not use. Type id 0 is reserved too and never sent. Payloads:
 * <pre>
 *  SUBSCRIBE (1), UNSUBSCRIBE (2)    PING (3), PONG (4)     GOODBYE (5)
 *  offset size field                 offset size field      offset size field
 *  0      2    count n (u16)         0      8    nonce (u64) 0      2    reason code (u16)
 *  2      2n   n type ids (u16 each)                        2      2    text length m (u16)
 *                                                           4      m    text (UTF-8)
 * </pre>
 * A listed type id must be an application id (1000..65535) and appear once; a list holds at most
 * {@value #MAX_TYPE_IDS} ids. A GOODBYE text is at most {@value #MAX_TEXT_LENGTH} bytes. A PONG echoes the nonce of the
 * PING it answers. Payload lengths must match exactly. A receiver ignores (and counts) a core type id it does not
 * know, so later versions can add control frames.
 */
public final class ControlDescriptor {

    /** First type id of the core range reserved for control frames. */
    public static final int CORE_FIRST = 1;

    /** Last type id of the core range reserved for control frames. */
    public static final int CORE_LAST = 999;

    /** First type id available to user contracts. */
    public static final int FIRST_APPLICATION_TYPE_ID = CORE_LAST + 1;

    /** SUBSCRIBE: the sender wants frames of the listed type ids. */
    public static final int SUBSCRIBE = 1;

    /** UNSUBSCRIBE: the sender no longer wants frames of the listed type ids. */
    public static final int UNSUBSCRIBE = 2;

    /** PING: the receiver must answer with a PONG carrying the same nonce. */
    public static final int PING = 3;

    /** PONG: the answer to a PING. */
    public static final int PONG = 4;

    /** GOODBYE: the sender is about to close the connection, for the reason given. */
    public static final int GOODBYE = 5;

    /** Largest number of type ids in one SUBSCRIBE or UNSUBSCRIBE. */
    public static final int MAX_TYPE_IDS = 4096;

    /** Largest GOODBYE text in UTF-8 bytes. */
    public static final int MAX_TEXT_LENGTH = 1024;

    /** Offset of the count in a SUBSCRIBE or UNSUBSCRIBE payload. */
    public static final int LIST_COUNT_OFFSET = 0;

    /** Offset of the first type id in a SUBSCRIBE or UNSUBSCRIBE payload. */
    public static final int LIST_IDS_OFFSET = 2;

    /** Payload length of PING and PONG. */
    public static final int NONCE_PAYLOAD_LENGTH = 8;

    /** Offset of the reason code in a GOODBYE payload. */
    public static final int GOODBYE_REASON_OFFSET = 0;

    /** Offset of the text length in a GOODBYE payload. */
    public static final int GOODBYE_TEXT_LENGTH_OFFSET = 2;

    /** Offset of the text in a GOODBYE payload. */
    public static final int GOODBYE_TEXT_OFFSET = 4;

    private ControlDescriptor() {
    }

    /**
     * Says whether {@code typeId} lies in the core range reserved for control frames (1..999). Codegen reports a user
     * message with such an id as an error.
     */
    public static boolean isCoreTypeId(final int typeId) {
        return typeId >= CORE_FIRST && typeId <= CORE_LAST;
    }

    /** Says whether {@code typeId} is reserved for the framework: 0 or the core range. */
    public static boolean isReservedTypeId(final int typeId) {
        return typeId >= 0 && typeId <= CORE_LAST;
    }

    /** Says whether {@code typeId} is a control frame this version knows (SUBSCRIBE..GOODBYE). */
    public static boolean isKnownControlType(final int typeId) {
        return typeId >= SUBSCRIBE && typeId <= GOODBYE;
    }

    /** Returns the wire name of a known control type id, or {@code "CONTROL(<id>)"} for another id. */
    public static String nameOf(final int typeId) {
        switch (typeId) {
            case SUBSCRIBE:
                return "SUBSCRIBE";
            case UNSUBSCRIBE:
                return "UNSUBSCRIBE";
            case PING:
                return "PING";
            case PONG:
                return "PONG";
            case GOODBYE:
                return "GOODBYE";
            default:
                return "CONTROL(" + typeId + ")";
        }
    }
}
