package io.mycelium.protocol.control;

import java.util.List;

/**
 * SUBSCRIBE: the sender wants frames of these application type ids from now on (interest propagation).
 *
 * <p>Immutable.
 *
 * @param typeIds distinct application type ids (1000..65535), at most {@link ControlDescriptor#MAX_TYPE_IDS}; may be
 *                empty; kept in the given order
 */
public record Subscribe(List<Integer> typeIds) implements ControlFrame {

    /** @throws ControlFrameException naming the field when the list breaks a rule above */
    public Subscribe {
        typeIds = TypeIdLists.check(ControlDescriptor.SUBSCRIBE, typeIds);
    }

    /** Returns a SUBSCRIBE of the given ids. */
    public static Subscribe of(final int... typeIds) {
        return new Subscribe(TypeIdLists.box(typeIds));
    }

    @Override
    public int typeId() {
        return ControlDescriptor.SUBSCRIBE;
    }
}
