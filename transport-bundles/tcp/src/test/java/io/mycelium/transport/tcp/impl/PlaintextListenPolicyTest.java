package io.mycelium.transport.tcp.impl;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.ConfigurationException;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** A plaintext listener on a non-loopback address is warned about, or refused (issue 13 item 5). */
class PlaintextListenPolicyTest {

    @Test
    void shouldRefuseNamingAddressWhenNonLoopbackWithoutTlsAndRefuseIsSet() {
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> PlaintextListenPolicy.check("a", "0.0.0.0:19401", Map.of("insecure.bind", "refuse")));
        assertTrue(e.getMessage().contains("node a refuses to listen on 0.0.0.0:19401 (all interfaces, IPv4 and IPv6)"
                + " without TLS (insecure.bind = refuse)"), e.getMessage());
        assertTrue(e.getMessage().contains("docs/transports.md"), e.getMessage());
    }

    @Test
    void shouldAllowWhenLoopbackOrTlsConfiguredOrOnlyWarned() {
        assertDoesNotThrow(() -> PlaintextListenPolicy.check("a", "127.0.0.2:19401",
                Map.of("insecure.bind", "refuse")));
        assertDoesNotThrow(() -> PlaintextListenPolicy.check("a", "[::1]:19401", Map.of("insecure.bind", "refuse")));
        assertDoesNotThrow(() -> PlaintextListenPolicy.check("a", "0.0.0.0:19401",
                Map.of("insecure.bind", "refuse", "tls.ca", "/etc/tls/ca.pem")));
        assertDoesNotThrow(() -> PlaintextListenPolicy.check("a", "0.0.0.0:19401", Map.of()));
        assertDoesNotThrow(() -> PlaintextListenPolicy.check("a", "", Map.of("insecure.bind", "refuse")));
    }

    @Test
    void shouldNameValueWhenSettingIsUnknown() {
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> PlaintextListenPolicy.check("a", "127.0.0.1:1", Map.of("insecure.bind", "allow")));
        assertTrue(e.getMessage().contains("insecure.bind = 'allow' is not one of warn, refuse"), e.getMessage());
    }
}
