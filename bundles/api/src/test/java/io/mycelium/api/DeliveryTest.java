package io.mycelium.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DeliveryTest {

    @Test
    void shouldMeanBusDefaultWhenQueuedWithoutCapacity() {
        final Delivery d = Delivery.queued();
        assertEquals(0, d.capacity());
        assertEquals(Delivery.Overflow.DROP_OLDEST, d.overflow());
    }

    @Test
    void shouldNameBadCapacityWhenOutOfRange() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Delivery.queued(1, Delivery.Overflow.BLOCK));
        assertEquals("queue capacity must be 0 (bus default) or in [2, 16777216] but was 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Delivery.queued(Delivery.MAX_CAPACITY + 1,
            Delivery.Overflow.FAIL));
    }

    @Test
    void shouldRejectNullPolicyWhenConstructed() {
        assertThrows(NullPointerException.class, () -> Delivery.queued(8, null));
    }
}
