package io.mycelium.bus.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The topics of a bus indexed by type id (the u16 TLV type, so {@code [0, 65535]}); lookup is one acquire load.
 * Safe for any number of threads: a missing topic is created once with a CAS.
 */
final class TopicTable {

    /** Type ids are the u16 TLV type of the wire format. */
    static final int MAX_TYPE_ID = 0xFFFF;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Topic[].class);

    private final Topic[] topics = new Topic[MAX_TYPE_ID + 1];

    /**
     * @param typeId the type id
     * @return the topic, created on first use
     * @throws IllegalArgumentException if {@code typeId} is outside {@code [0, 65535]}
     */
    Topic topic(final int typeId) {
        if (typeId < 0 || typeId > MAX_TYPE_ID) {
            throw new IllegalArgumentException("type id " + typeId + " is outside [0, " + MAX_TYPE_ID
                + "] (type ids are the u16 frame type)");
        }
        // acquire pairs with the CAS below so a found topic is fully constructed
        final Topic t = (Topic) SLOT.getAcquire(topics, typeId);
        return t != null ? t : create(typeId);
    }

    /** @return the topic of {@code typeId}, or {@code null}; for ids in range */
    Topic peek(final int typeId) {
        return typeId < 0 || typeId > MAX_TYPE_ID ? null : (Topic) SLOT.getAcquire(topics, typeId);
    }

    /** @return every created topic, by type id; scans the table (for stats, not hot paths) */
    List<Topic> all() {
        final List<Topic> list = new ArrayList<>();
        for (int i = 0; i <= MAX_TYPE_ID; i++) {
            final Topic t = (Topic) SLOT.getAcquire(topics, i);
            if (t != null) {
                list.add(t);
            }
        }
        return list;
    }

    private Topic create(final int typeId) {
        final Topic fresh = new Topic(typeId);
        final Topic witness = (Topic) SLOT.compareAndExchange(topics, typeId, null, fresh);
        return witness == null ? fresh : witness;
    }
}
