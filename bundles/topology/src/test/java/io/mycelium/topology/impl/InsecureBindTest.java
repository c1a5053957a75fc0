package io.mycelium.topology.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.topology.Endpoint;

import org.junit.jupiter.api.Test;

/** endpoint.insecure_bind of topology.toml reaches the TCP transport's configuration as insecure.bind. */
class InsecureBindTest {

    private final TopologyParser parser = new TopologyParser();

    private NodePlan plan(final String endpoint) {
        return NodePlan.of(parser.parse("topology.toml", "[[nodes]]\nname = \"a\"\nservices = []\nendpoint = "
                + endpoint + "\n"), "a");
    }

    @Test
    void shouldWriteInsecureBindToTheTcpConfigurationWhenTheEndpointSetsIt() {
        final TransportPlan tcp = plan("{ kind = \"tcp\", addr = \"0.0.0.0:19401\", insecure_bind = \"refuse\" }")
                .transports().get(Endpoint.Kind.TCP);
        assertEquals("refuse", tcp.toProperties().get("insecure.bind"));
        assertNull(plan("{ kind = \"tcp\", addr = \"0.0.0.0:19401\" }").transports().get(Endpoint.Kind.TCP)
                .toProperties().get("insecure.bind"), "not set: the transport's default");
    }

    @Test
    void shouldRejectWithLineWhenInsecureBindIsUnknownOrNotOnTcp() {
        final RuntimeException bad = assertThrows(RuntimeException.class,
                () -> plan("{ kind = \"tcp\", addr = \"0.0.0.0:19401\", insecure_bind = \"allow\" }"));
        assertTrue(bad.getMessage().contains("topology.toml:4: node 'a' has endpoint.insecure_bind = 'allow'. Fix: "
                + "write \"warn\" (the default) or \"refuse\""), bad.getMessage());
        final RuntimeException unix = assertThrows(RuntimeException.class,
                () -> plan("{ kind = \"unix\", insecure_bind = \"refuse\" }"));
        assertTrue(unix.getMessage().contains("sets endpoint.insecure_bind on a unix endpoint"), unix.getMessage());
    }
}
