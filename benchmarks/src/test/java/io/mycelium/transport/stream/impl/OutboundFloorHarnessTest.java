package io.mycelium.transport.stream.impl;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class OutboundFloorHarnessTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldCarryEveryFrameThroughTheLinkOutboundToTheOtherEnd() throws Exception {
        // Returns only once the other end has read every frame of every round.
        OutboundFloorHarness.main(new String[] {"outbound", "20000"});
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldCarryEveryFrameThroughTheFloorQueuesToTheOtherEnd() throws Exception {
        OutboundFloorHarness.main(new String[] {"floor", "20000"});
        OutboundFloorHarness.main(new String[] {"spsc", "20000"});
    }

    @Test
    void shouldRefuseAnUnknownQueueByName() {
        assertThrows(IllegalArgumentException.class, () -> OutboundFloorHarness.main(new String[] {"ring"}));
    }
}
