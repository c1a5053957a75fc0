package io.mycelium.transport.stream.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mycelium.protocol.control.ControlDescriptor;
import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.testsupport.RawSchema;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LinkSchemaTest {

    @Test
    void shouldLimitEachHeaderToWhatItsTypeCanCarryWhenSchemaIsKnown() {
        final Map<Integer, Integer> sizes = new LinkedHashMap<>();
        sizes.put(1001, 48);
        sizes.put(1002, 16);
        final LinkSchema schema = LinkSchema.of(new RawSchema("t",
                SchemaDigest.compute("x".getBytes()).toByteArray(), sizes));
        assertEquals(48, schema.maxPayloadLength(1001), "a schema type: its size");
        assertEquals(16, schema.maxPayloadLength(1002));
        assertEquals(48, schema.maxPayloadLength(4242), "an unknown application type: the largest size, to skip it");
        assertEquals(2 + 2 * ControlDescriptor.MAX_TYPE_IDS, schema.maxPayloadLength(ControlDescriptor.SUBSCRIBE));
        assertEquals(2 + 2 * ControlDescriptor.MAX_TYPE_IDS, schema.maxPayloadLength(ControlDescriptor.UNSUBSCRIBE));
        assertEquals(8, schema.maxPayloadLength(ControlDescriptor.PING));
        assertEquals(8, schema.maxPayloadLength(ControlDescriptor.PONG));
        assertEquals(4 + ControlDescriptor.MAX_TEXT_LENGTH, schema.maxPayloadLength(ControlDescriptor.GOODBYE));
        assertEquals(LinkSchema.RESERVED_CORE_LIMIT, schema.maxPayloadLength(777), "a reserved core-range id");
        assertEquals(0, schema.maxPayloadLength(-1));
    }
}
