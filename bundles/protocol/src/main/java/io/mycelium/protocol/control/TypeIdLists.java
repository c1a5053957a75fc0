package io.mycelium.protocol.control;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Validation shared by SUBSCRIBE and UNSUBSCRIBE type-id lists, used on construction and so also on decoding.
 *
 * <p>Stateless and thread-safe.
 */
final class TypeIdLists {

    private TypeIdLists() {
    }

    static List<Integer> check(final int frameType, final List<Integer> typeIds) {
        final String frame = ControlDescriptor.nameOf(frameType);
        if (typeIds == null) {
            throw new ControlFrameException(frameType, "type_ids", frame + " type id list is missing (null)");
        }
        if (typeIds.size() > ControlDescriptor.MAX_TYPE_IDS) {
            throw new ControlFrameException(frameType, "count", frame + " lists " + typeIds.size()
                    + " type ids but at most " + ControlDescriptor.MAX_TYPE_IDS + " fit in one frame; split the list");
        }
        final BitSet seen = new BitSet(0x10000);
        for (int i = 0; i < typeIds.size(); i++) {
            final Integer boxed = typeIds.get(i);
            final String field = "type_ids[" + i + "]";
            if (boxed == null) {
                throw new ControlFrameException(frameType, field, frame + " " + field + " is null");
            }
            final int id = boxed;
            if (id < ControlDescriptor.FIRST_APPLICATION_TYPE_ID || id > 0xFFFF) {
                throw new ControlFrameException(frameType, field, frame + " " + field + " is " + id
                        + " but must be an application type id in " + ControlDescriptor.FIRST_APPLICATION_TYPE_ID
                        + "..65535 (0.." + ControlDescriptor.CORE_LAST + " are reserved for the framework)");
            }
            if (seen.get(id)) {
                throw new ControlFrameException(frameType, field, frame + " " + field + " repeats type id " + id
                        + "; each id may appear once");
            }
            seen.set(id);
        }
        return List.copyOf(typeIds);
    }

    static List<Integer> box(final int[] typeIds) {
        final List<Integer> list = new ArrayList<>(typeIds.length);
        for (final int id : typeIds) {
            list.add(id);
        }
        return list;
    }
}
