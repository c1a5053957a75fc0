package io.mycelium.transport.tcp.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.ConfigurationException;
import io.mycelium.api.link.TransportConfiguration;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The TCP component's own configuration: its PID and the address errors it reports before anything starts. */
class TcpTransportComponentTest {

    private static final String PID = "io.mycelium.transport.tcp";

    @Test
    void shouldUseTheFactoryPidTheTopologyWritesWhenConfigured() {
        assertEquals(TransportConfiguration.factoryPid("tcp"), TcpTransportComponent.PID);
        assertEquals(PID, TcpTransportComponent.PID);
    }

    @Test
    void shouldAcceptAddressesWhenTheyHavePorts() {
        TcpTransportComponent.checkAddresses("", Map.of());
        TcpTransportComponent.checkAddresses("0.0.0.0:9000", Map.of("b", "peer.invalid:9001", "c", "[::1]:7"));
    }

    @Test
    void shouldNamePidListenAndAddressWhenListenHasNoPort() {
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> TcpTransportComponent.checkAddresses("localhost:http", Map.of()));
        assertTrue(e.getMessage().startsWith(PID + ": listen = 'localhost:http'"), e.getMessage());
        assertTrue(e.getMessage().contains("write host:port"), e.getMessage());
    }

    @Test
    void shouldNamePidPeersEntryWhenPeerPortIsOutOfRange() {
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> TcpTransportComponent.checkAddresses("", Map.of("b", "10.0.0.2:70000")));
        assertTrue(e.getMessage().startsWith(PID + ": peers entry 'b=10.0.0.2:70000'"), e.getMessage());
        assertTrue(e.getMessage().contains("outside 0..65535"), e.getMessage());
    }
}
