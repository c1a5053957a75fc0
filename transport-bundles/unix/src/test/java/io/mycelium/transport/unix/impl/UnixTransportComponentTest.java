package io.mycelium.transport.unix.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.ConfigurationException;
import io.mycelium.api.link.TransportConfiguration;

import org.junit.jupiter.api.Test;

/** The Unix component's own configuration: its PID and the socket file mode's errors. */
class UnixTransportComponentTest {

    @Test
    void shouldUseTheFactoryPidTheTopologyWritesWhenConfigured() {
        assertEquals(TransportConfiguration.factoryPid("unix"), UnixTransportComponent.PID);
        assertEquals("io.mycelium.transport.unix", UnixTransportComponent.PID);
    }

    @Test
    void shouldNamePidPropertyValueAndFixWhenSocketModeIsBad() {
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> UnixTransportComponent.endpoints("everyone", new String[0]));
        assertTrue(e.getMessage().startsWith("io.mycelium.transport.unix: socket.mode"), e.getMessage());
        assertTrue(e.getMessage().contains("'everyone'"), e.getMessage());
        assertTrue(e.getMessage().contains("0600"), e.getMessage());
        assertTrue(e.getMessage().contains("etc/io.mycelium.transport.unix~<name>.cfg"), e.getMessage());
    }

    @Test
    void shouldAcceptDefaultModeWhenNotConfigured() {
        assertEquals(UnixEndpoints.parseMode("0600"), UnixEndpoints.parseMode(UnixEndpoints.DEFAULT_MODE));
        UnixTransportComponent.endpoints(UnixEndpoints.DEFAULT_MODE, new String[0]);
    }
}
