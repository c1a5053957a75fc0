package io.mycelium.benchmarks.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mycelium.api.Delivery;
import io.mycelium.testsupport.LoopbackBus;

class FloorBusTest {

    @Test
    void shouldHandBypassedTypesToTheirHandlerWithoutTheBusWhenPublishedRaw() {
        final LoopbackBus real = new LoopbackBus();
        final List<Integer> onBus = new ArrayList<>();
        real.subscribeRaw(11, (type, payload) -> onBus.add(type), Delivery.INLINE);
        final List<String> bypassed = new ArrayList<>();
        final FloorBus bus = new FloorBus(real, 10, (type, payload) -> bypassed.add("a" + type),
                (type, payload) -> bypassed.add("b" + type));

        bus.publishRaw(10, ByteBuffer.allocate(1));
        bus.publishRaw(11, ByteBuffer.allocate(1));

        assertEquals(List.of("a10", "b11"), bypassed);
        assertEquals(List.of(), onBus);
    }

    @Test
    void shouldPublishOnTheRealBusWhenTheTypeIsNotBypassed() {
        final LoopbackBus real = new LoopbackBus();
        final List<Integer> onBus = new ArrayList<>();
        real.subscribeRaw(9, (type, payload) -> onBus.add(type), Delivery.INLINE);
        real.subscribeRaw(12, (type, payload) -> onBus.add(type), Delivery.INLINE);
        final FloorBus bus = new FloorBus(real, 10, (type, payload) -> { }, (type, payload) -> { });

        bus.publishRaw(9, ByteBuffer.allocate(1));
        bus.publishRaw(12, ByteBuffer.allocate(1));
        bus.subscribeRaw(13, (type, payload) -> onBus.add(type), Delivery.INLINE);
        real.publishRaw(13, ByteBuffer.allocate(1));

        assertEquals(List.of(9, 12, 13), onBus);
    }

    @Test
    void shouldRejectAMissingBypassHandlerWhenConstructed() {
        assertThrows(NullPointerException.class, () -> new FloorBus(new LoopbackBus(), 10, (type, payload) -> { },
                null));
    }
}
