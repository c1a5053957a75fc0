package io.mycelium.transport.aeron.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.ConfigurationException;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.testsupport.RawSchema;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The configuration side of {@link NodeRecording}: what starts nothing, and bad values refused naming them. */
class NodeRecordingTest {

    private static final RawSchema SCHEMA = new RawSchema("s", new byte[32], Map.of(1001, 16, 1002, 16));
    private static final String PID = "io.mycelium.transport.aeron~topology";

    private static NodeRecording start(final Map<String, Object> properties, final String listen) {
        return NodeRecording.start(PID, "feed", properties, listen, Map.of("sink", "aeron:udp?endpoint=127.0.0.2:1"),
                Path.of("/nonexistent-aeron"), Path.of("/nonexistent-data"), new LoopbackBus(), SCHEMA,
                LoggerFactory.getLogger(NodeRecordingTest.class));
    }

    @Test
    void shouldStartNothingWhenNeitherThisNodeNorAPeerRecords() {
        assertNull(start(Map.of(), "aeron:udp?endpoint=127.0.0.1:40100"));
    }

    @Test
    void shouldRefuseARecordedTypeTheSchemaDoesNotHaveNamingItAndTheKnownTypes() {
        final String message = assertThrows(ConfigurationException.class, () -> start(Map.of(
                NodeRecording.RECORD_TYPES, "Raw1001,MarketData"), "aeron:udp?endpoint=127.0.0.1:40100"))
                .getMessage();
        assertTrue(message.startsWith(PID + ": record.types names type 'MarketData', which schema s does not have"),
                message);
        assertTrue(message.contains("Raw1001") && message.contains("Raw1002"), message);
    }

    @Test
    void shouldRefuseABadRetentionOrANodeWithoutItsOwnChannel() {
        assertTrue(assertThrows(ConfigurationException.class, () -> start(Map.of(NodeRecording.RECORD_TYPES,
                "Raw1001", NodeRecording.RECORD_RETENTION, "forever"), "aeron:udp?endpoint=127.0.0.1:40100"))
                .getMessage().contains("record.retention: retention 'forever'"));
        assertEquals(PID + ": node feed records or replays but has no Aeron channel of its own; give it"
                + " endpoint.kind = \"aeron\" with host and port in the topology", assertThrows(
                ConfigurationException.class, () -> start(Map.of(NodeRecording.RECORD_TYPES, "Raw1001"), ""))
                .getMessage());
    }
}
