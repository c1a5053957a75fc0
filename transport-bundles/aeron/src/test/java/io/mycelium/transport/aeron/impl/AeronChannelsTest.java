package io.mycelium.transport.aeron.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.ConfigurationException;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AeronChannelsTest {

    private static final String PID = AeronTransportComponent.PID;

    @Test
    void shouldFillInTheUdpFormWhenGivenHostAndPort() {
        assertEquals("aeron:udp?endpoint=127.0.0.2:40456", AeronChannels.channel(PID, "listen", "127.0.0.2:40456"));
        assertEquals("aeron:udp?endpoint=127.0.0.2:1|mtu=1408",
                AeronChannels.channel(PID, "listen", "aeron:udp?endpoint=127.0.0.2:1|mtu=1408"));
    }

    @Test
    void shouldNamePidPropertyAndValueWhenChannelIsBad() {
        for (final String bad : List.of("aeron:ipc", "aeron:udp?control=1.2.3.4:5", "127.0.0.1", "1.2.3.4:0",
                "1.2.3.4:70000", "aeron:udp?endpoint=1.2.3.4:x", "aeron:tcp?endpoint=1.2.3.4:5")) {
            final ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> AeronChannels.channel(PID, "listen", bad), bad);
            assertTrue(e.getMessage().startsWith(PID + ": listen = '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void shouldReadPeersAndSkipThisNodeWhenEntriesValid() {
        assertEquals(Map.of("b", "aeron:udp?endpoint=127.0.0.2:2"),
                AeronChannels.peers(PID, "a", new String[] {"a=127.0.0.1:1", "b=127.0.0.2:2"}));
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> AeronChannels.peers(PID, "a", new String[] {"b"}));
        assertTrue(e.getMessage().contains("peers entry 'b' is not name=channel"), e.getMessage());
    }
}
