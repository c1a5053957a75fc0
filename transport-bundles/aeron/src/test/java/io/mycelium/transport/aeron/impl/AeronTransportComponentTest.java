package io.mycelium.transport.aeron.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.ConfigurationException;

import java.util.List;

import org.junit.jupiter.api.Test;

class AeronTransportComponentTest {

    @Test
    void shouldReadIdleParkWhenValidAndNameThePropertyWhenNot() {
        assertEquals(1_000_000, AeronTransportComponent.maxParkNanos(""));
        assertEquals(10_000_000, AeronTransportComponent.maxParkNanos("10000"));
        for (final String bad : List.of("0", "-1", "1000001", "1ms")) {
            final ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> AeronTransportComponent.maxParkNanos(bad));
            assertTrue(e.getMessage().startsWith("mycelium.aeron.idle.max.park.us = '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void shouldReadFanOutWhenMdcOrEmptyAndNameThePidWhenNot() {
        assertFalse(AeronTransportComponent.fanOut(""));
        assertTrue(AeronTransportComponent.fanOut("mdc"));
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> AeronTransportComponent.fanOut("multicast"));
        assertTrue(e.getMessage().startsWith(AeronTransportComponent.PID + ": fanout = 'multicast'"), e.getMessage());
    }
}
