package io.mycelium.protocol.control;

import io.mycelium.api.MyceliumException;

/**
 * A control frame breaks the format of docs/wire.md §6; the message names the frame and the field at fault.
 *
 * <p>Immutable. A peer that receives one closes the connection with a GOODBYE of reason
 * {@link GoodbyeReason#PROTOCOL_ERROR}.
 */
public final class ControlFrameException extends MyceliumException {

    private static final long serialVersionUID = 1L;

    private final int typeId;
    private final String field;

    /**
     * @param typeId  the control frame's type id
     * @param field   the wire field at fault (e.g. {@code "count"}, {@code "type_ids[2]"}), as named in docs/wire.md
     * @param message what was wrong, where, and how to fix it
     */
    public ControlFrameException(final int typeId, final String field, final String message) {
        super(message);
        this.typeId = typeId;
        this.field = field;
    }

    /** Returns the control frame's type id. */
    public int typeId() {
        return typeId;
    }

    /** Returns the wire field at fault, as named in docs/wire.md. */
    public String field() {
        return field;
    }
}
