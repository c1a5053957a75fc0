package io.mycelium.transport.shm.impl;

import io.mycelium.transport.shm.impl.ring.ShmRegionDescriptor;

/**
 * The shared-memory transport's own settings; immutable.
 *
 * @param ringCapacity bytes of each ring of a segment this node creates (power of two, at least 4096)
 * @param spinMicros   how long a reader whose ring is empty checks it again before parking on the control socket
 *                     ({@code read.spin.micros}): it spins briefly, then yields its core, then parks
 */
record ShmSettings(int ringCapacity, long spinMicros) {

    /** @throws IllegalArgumentException naming the value when the capacity is not a power of two in range */
    ShmSettings {
        if (!ShmRegionDescriptor.isValidCapacity(ringCapacity)) {
            throw new IllegalArgumentException("ring.capacity = " + ringCapacity + " is not a power of two between "
                    + ShmRegionDescriptor.MIN_CAPACITY + " and " + ShmRegionDescriptor.MAX_CAPACITY);
        }
    }
}
