package io.mycelium.transport.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.ConfigurationException;
import io.mycelium.api.MessageType;
import io.mycelium.api.Schema;
import io.mycelium.protocol.digest.SchemaDigest;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LinkPropertiesTest {

    private static final String PID = "io.mycelium.transport.unix";

    private static Schema schema(final String id, final SchemaDigest digest) {
        return new Schema() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public byte[] digest() {
                return digest.toByteArray();
            }

            @Override
            public String digestHex() {
                return digest.toHex();
            }

            @Override
            public List<MessageType<?>> types() {
                return List.of();
            }

            @Override
            public MessageType<?> type(final int typeId) {
                return null;
            }
        };
    }

    @Test
    void shouldReadDefaultsWhenOnlyNodeIsSet() {
        final LinkSettings settings = LinkProperties.settings(PID, "gw", Map.of());
        assertEquals(LinkSettings.defaults("gw"), settings);
    }

    @Test
    void shouldReadReadSpinWhenSetAsStringOrNumber() {
        assertEquals(LinkSettings.DEFAULT_READ_SPIN_MICROS,
                LinkProperties.settings(PID, "gw", Map.of()).readSpinMicros());
        assertEquals(0, LinkProperties.settings(PID, "gw", Map.of("read.spin.micros", "0"))
                .readSpinMicros());
        assertEquals(200, LinkProperties.settings(PID, "gw", Map.of("read.spin.micros", 200L))
                .readSpinMicros());
        final ConfigurationException range = assertThrows(ConfigurationException.class,
                () -> LinkProperties.settings(PID, "gw", Map.of("read.spin.micros", "20000")));
        assertTrue(range.getMessage().contains(PID + ": transport setting read.spin.micros = 20000 is outside"
                + " 0..10000"), range.getMessage());
        final ConfigurationException notNumber = assertThrows(ConfigurationException.class,
                () -> LinkProperties.settings(PID, "gw", Map.of("read.spin.micros", "fast")));
        assertTrue(notNumber.getMessage().contains("read.spin.micros = 'fast'"), notNumber.getMessage());
    }

    @Test
    void shouldReadLimitsFromStringsAndNumbers() {
        final LinkSettings settings = LinkProperties.settings(PID, "gw", Map.of("max.connections", "3",
                "queue.capacity", 128, "overflow", "disconnect", "handshake.timeout.ms", 250L));
        assertEquals(3, settings.maxConnections());
        assertEquals(128, settings.queueCapacity());
        assertEquals(OverflowPolicy.DISCONNECT, settings.overflow());
        assertEquals(250, settings.handshakeTimeoutMillis());
    }

    @Test
    void shouldReadAdmissionLimitsWithDefaultsWhenAbsent() {
        assertEquals(AdmissionSettings.DEFAULTS, LinkProperties.admission(PID, Map.of()));
        final AdmissionSettings admission = LinkProperties.admission(PID, Map.of("max.pending.handshakes", "4",
                "pending.handshake.timeout.ms", 300L, "partial.frames.max.bytes", "1048576"));
        assertEquals(new AdmissionSettings(4, 300, 1 << 20), admission);
        final ConfigurationException range = assertThrows(ConfigurationException.class,
                () -> LinkProperties.admission(PID, Map.of("max.pending.handshakes", 0)));
        assertTrue(range.getMessage().contains(PID + ": transport setting max.pending.handshakes = 0 is outside"),
                range.getMessage());
        final ConfigurationException small = assertThrows(ConfigurationException.class,
                () -> LinkProperties.admission(PID, Map.of("partial.frames.max.bytes", "1000")));
        assertTrue(small.getMessage().contains("partial.frames.max.bytes = 1000"), small.getMessage());
    }

    @Test
    void shouldNameThePropertyWhenValueIsBad() {
        final ConfigurationException noNode = assertThrows(ConfigurationException.class,
                () -> LinkProperties.settings(PID, null, Map.of()));
        assertTrue(noNode.getMessage().contains("'node'"), noNode.getMessage());
        final ConfigurationException notNumber = assertThrows(ConfigurationException.class,
                () -> LinkProperties.settings(PID, "gw", Map.of("max.connections", "many")));
        assertTrue(notNumber.getMessage().contains("max.connections = 'many'"), notNumber.getMessage());
        final ConfigurationException range = assertThrows(ConfigurationException.class,
                () -> LinkProperties.settings(PID, "gw", Map.of("max.connections", 0)));
        assertTrue(range.getMessage().contains("max.connections = 0"), range.getMessage());
        final ConfigurationException overflow = assertThrows(ConfigurationException.class,
                () -> LinkProperties.settings(PID, "gw", Map.of("overflow", "BLOCK")));
        assertTrue(overflow.getMessage().contains("DROP_NEWEST, DISCONNECT"), overflow.getMessage());
    }

    @Test
    void shouldReadPeersFromArrayListOrCommaText() {
        final Map<String, String> expected = Map.of("a", "/tmp/a.sock", "b", "10.0.0.2:9000");
        assertEquals(expected, LinkProperties.peers(new String[] {"a=/tmp/a.sock", "b=10.0.0.2:9000"}, PID));
        assertEquals(expected, LinkProperties.peers(List.of("a=/tmp/a.sock", "b=10.0.0.2:9000"), PID));
        assertEquals(expected, LinkProperties.peers("a=/tmp/a.sock, b=10.0.0.2:9000", PID));
        assertEquals(Map.of(), LinkProperties.peers(null, PID));
        final ConfigurationException bad = assertThrows(ConfigurationException.class,
                () -> LinkProperties.peers(new String[] {"just-a-name"}, PID));
        assertTrue(bad.getMessage().contains("name=address"), bad.getMessage());
    }

    @Test
    void shouldSplitArrayEntriesWhenDsMadeOneElementArrayOfCommaText() {
        assertEquals(Map.of("a", "/tmp/a.sock", "b", "10.0.0.2:9000"),
                LinkProperties.peers(new String[] {"a=/tmp/a.sock, b=10.0.0.2:9000"}, PID));
        assertEquals(Map.of(), LinkProperties.peers(new String[0], PID));
    }

    @Test
    void shouldNamePidAndNodeWhenNodeIsBlank() {
        final ConfigurationException blank = assertThrows(ConfigurationException.class,
                () -> LinkProperties.settings(PID, " ", Map.of()));
        assertTrue(blank.getMessage().startsWith(PID + ": property 'node'"), blank.getMessage());
        assertTrue(blank.getMessage().contains("etc/" + PID + "~<name>.cfg"), blank.getMessage());
    }

    @Test
    void shouldChooseSchemaByDigestWhenSeveralAreRegistered() {
        final Schema one = schema("one", LinkFixture.DIGEST);
        final Schema two = schema("two", LinkFixture.OTHER_DIGEST);
        assertSame(one, LinkProperties.selectSchema(List.of(one), "", PID));
        assertSame(two, LinkProperties.selectSchema(List.of(one, two), LinkFixture.OTHER_DIGEST.toHex()
                .toUpperCase(), PID));
        final ConfigurationException ambiguous = assertThrows(ConfigurationException.class,
                () -> LinkProperties.selectSchema(List.of(one, two), "", PID));
        assertTrue(ambiguous.getMessage().contains("set schema.digest"), ambiguous.getMessage());
        assertTrue(ambiguous.getMessage().contains(LinkFixture.DIGEST.toHex()), ambiguous.getMessage());
        final ConfigurationException unknown = assertThrows(ConfigurationException.class,
                () -> LinkProperties.selectSchema(List.of(one), "ab".repeat(32), PID));
        assertTrue(unknown.getMessage().contains("matches no registered schema"), unknown.getMessage());
    }
}
