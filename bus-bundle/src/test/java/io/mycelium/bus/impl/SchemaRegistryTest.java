package io.mycelium.bus.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mycelium.api.MessageType;
import io.mycelium.api.SchemaException;
import io.mycelium.api.SchemaStatus;

/** Schemas tracked dynamically: activation, clash refusal, removal and retry. */
class SchemaRegistryTest {

    private final CapturingLogSink log = new CapturingLogSink();
    private final MessageBusImpl bus = new MessageBusImpl(BusSettings.defaults(), log, null);
    private final Tick.TickType clashing = new Tick.TickType(1001, "Clash");
    private final Tick.TickType other = new Tick.TickType(2001, "Other");

    @AfterEach
    void closeBus() {
        bus.close();
    }

    @Test
    void shouldRefuseSecondSchemaWhenTypeIdsClash() {
        final TestSchema first = new TestSchema("market", 'a', Tick.TYPE);
        final TestSchema second = new TestSchema("risk", 'b', clashing, other);
        bus.addSchema(first);
        bus.addSchema(second);
        final List<SchemaStatus> statuses = bus.stats().schemas();
        assertTrue(statuses.get(0).active());
        assertFalse(statuses.get(1).active());
        assertTrue(statuses.get(1).problem().contains("type id 1001 (Clash) is already registered by active "
            + "schema 'market'"), statuses.get(1).problem());
        final String warning = log.warnings().get(0).message();
        assertTrue(warning.startsWith("schema 'risk' (" + "b".repeat(64) + ") refused and kept inactive"), warning);
        assertEquals(null, bus.stats().type(2001) == null ? null : bus.stats().type(2001).schemaId().isEmpty()
            ? null : "registered", "the refused schema's other types are not registered either");
        assertEquals("market", bus.stats().type(1001).schemaId());
    }

    @Test
    void shouldActivateRefusedSchemaWhenClashingSchemaRemoved() {
        final TestSchema first = new TestSchema("market", 'a', Tick.TYPE);
        final TestSchema second = new TestSchema("risk", 'b', clashing, other);
        bus.addSchema(first);
        bus.addSchema(second);
        bus.removeSchema(first);
        final List<SchemaStatus> statuses = bus.stats().schemas();
        assertEquals(1, statuses.size());
        assertTrue(statuses.get(0).active());
        assertEquals("Clash", bus.stats().type(1001).name());
        assertEquals("risk", bus.stats().type(2001).schemaId());
    }

    @Test
    void shouldShareTypesWhenSameDigestRegisteredTwice() {
        final TestSchema a = new TestSchema("market", 'a', Tick.TYPE);
        final TestSchema b = new TestSchema("market", 'a', Tick.TYPE);
        bus.addSchema(a);
        bus.addSchema(b);
        assertTrue(bus.stats().schemas().stream().allMatch(SchemaStatus::active));
        bus.removeSchema(a);
        assertEquals("market", bus.stats().type(1001).schemaId(), "still registered by the twin");
        bus.removeSchema(b);
        assertEquals("", bus.stats().type(1001).schemaId());
        bus.publishRaw(1001, ByteBuffer.allocate(3));
        assertEquals(1, bus.stats().type(1001).published(), "no size check once no schema registers the type");
    }

    @Test
    void shouldRefuseSubscriberWhenSizeDiffersFromActiveSchema() {
        bus.addSchema(new TestSchema("market", 'a', Tick.TYPE));
        final MessageType<Tick> wrongSize = new Tick.TickType(1001, "Tick", 24);
        final SchemaException e = assertThrows(SchemaException.class, () -> bus.subscribe(wrongSize, t -> { }));
        assertTrue(e.getMessage().contains("active schema 'market' registers type 1001 as Tick with size 16"),
            e.getMessage());
    }
}
