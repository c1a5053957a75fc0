package io.mycelium.logging.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

class JulBridgeTest {

    @Test
    void shouldMapEveryJulLevelWhenRecordsArrive() {
        assertEquals(org.slf4j.event.Level.ERROR, JulBridge.level(Level.SEVERE));
        assertEquals(org.slf4j.event.Level.WARN, JulBridge.level(Level.WARNING));
        assertEquals(org.slf4j.event.Level.INFO, JulBridge.level(Level.INFO));
        assertEquals(org.slf4j.event.Level.DEBUG, JulBridge.level(Level.CONFIG));
        assertEquals(org.slf4j.event.Level.DEBUG, JulBridge.level(Level.FINE));
        assertEquals(org.slf4j.event.Level.TRACE, JulBridge.level(Level.FINER));
        assertEquals(org.slf4j.event.Level.TRACE, JulBridge.level(Level.FINEST));
    }

    @Test
    void shouldReplaceRootHandlersAndCarryJulAndSystemLoggerWhenInstalled() {
        final Logger root = Logger.getLogger("");
        final List<Handler> before = List.of(root.getHandlers());
        final CapturingSink sink = new CapturingSink();
        final JulBridge bridge = new JulBridge(sink);
        bridge.install();
        try {
            assertEquals(List.of(bridge), List.of(root.getHandlers()), "the only handler: nothing printed twice");
            final IllegalStateException boom = new IllegalStateException("boom");
            Logger.getLogger("io.mycelium.test.jul").log(Level.WARNING, "cannot read {0}", new Object[] {"x.toml"});
            Logger.getLogger("io.mycelium.test.jul").log(Level.SEVERE, "failed", boom);
            System.getLogger("io.mycelium.test.system").log(System.Logger.Level.WARNING, "from System.Logger");
            assertEquals(List.of("cannot read x.toml", "failed", "from System.Logger"), sink.messages());
            assertEquals("io.mycelium.test.jul", sink.lines.get(0).logger());
            assertEquals(org.slf4j.event.Level.WARN, sink.lines.get(0).level());
            assertSame(boom, sink.lines.get(1).cause());
            assertEquals("io.mycelium.test.system", sink.lines.get(2).logger());
        } finally {
            bridge.uninstall();
        }
        assertEquals(before, List.of(root.getHandlers()), "the previous handlers are back");
        assertFalse(List.of(root.getHandlers()).contains(bridge));
    }
}
