package io.mycelium.protocol.control;

import java.util.List;

/**
 * UNSUBSCRIBE: the sender no longer wants frames of these application type ids.
 *
 * <p>Immutable.
 *
 * @param typeIds distinct application type ids (1000..65535), at most {@link ControlDescriptor#MAX_TYPE_IDS}; may be
 *                empty; kept in the given order
 */
public record Unsubscribe(List<Integer> typeIds) implements ControlFrame {

    /** @throws ControlFrameException naming the field when the list breaks a rule above */
    public Unsubscribe {
        typeIds = TypeIdLists.check(ControlDescriptor.UNSUBSCRIBE, typeIds);
    }

    /** Returns an UNSUBSCRIBE of the given ids. */
    public static Unsubscribe of(final int... typeIds) {
        return new Unsubscribe(TypeIdLists.box(typeIds));
    }

    @Override
    public int typeId() {
        return ControlDescriptor.UNSUBSCRIBE;
    }
}
