package io.mycelium.transport.stream.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PendingHandshakesTest {

    @Test
    void shouldEvictOldestWhenNewConnectionExceedsBound() {
        final PendingHandshakes<String> pending = new PendingHandshakes<>(2);
        assertNull(pending.add("a"));
        assertNull(pending.add("b"));
        assertEquals("a", pending.add("c"), "the oldest goes, the newcomer gets its chance");
        assertEquals("b", pending.add("d"));
        assertEquals(2, pending.size());
    }

    @Test
    void shouldMakeRoomWhenHandshakeEnds() {
        final PendingHandshakes<String> pending = new PendingHandshakes<>(2);
        pending.add("a");
        pending.add("b");
        pending.remove("a");
        pending.remove("a");
        assertNull(pending.add("c"), "a finished handshake frees its place");
        assertEquals("b", pending.add("d"));
    }
}
