package io.mycelium.logging.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Proxy;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.slf4j.event.Level;

class OsgiLogBridgeTest {

    private final CapturingSink sink = new CapturingSink();
    private final OsgiLogBridge bridge = new OsgiLogBridge(sink);

    @Test
    void shouldWriteUnderBundleNameWithLevelAndExceptionWhenEntryLogged() {
        bridge.replay(List.of());
        final IllegalStateException boom = new IllegalStateException("boom");
        bridge.logged(entry(1, "io.mycelium.e2e.failing", "com.example.Failing", LogLevel.ERROR,
                "bundle io.mycelium.e2e.failing:1.0.0 (42)[failing(3)] : The activate method has thrown an exception",
                boom));
        final CapturingSink.Line line = sink.lines.get(0);
        assertEquals("io.mycelium.e2e.failing", line.logger());
        assertEquals(Level.ERROR, line.level());
        assertEquals("bundle io.mycelium.e2e.failing:1.0.0 (42)[failing(3)] : The activate method has thrown an "
                + "exception", line.message());
        assertSame(boom, line.cause());
    }

    @Test
    void shouldMapEveryLevelWhenEntriesArrive() {
        assertEquals(Level.ERROR, OsgiLogBridge.level(entry(1, "b", "ROOT", LogLevel.ERROR, "m", null)));
        assertEquals(Level.WARN, OsgiLogBridge.level(entry(1, "b", "ROOT", LogLevel.WARN, "m", null)));
        assertEquals(Level.INFO, OsgiLogBridge.level(entry(1, "b", "ROOT", LogLevel.INFO, "m", null)));
        assertEquals(Level.INFO, OsgiLogBridge.level(entry(1, "b", "ROOT", LogLevel.AUDIT, "m", null)));
        assertEquals(Level.DEBUG, OsgiLogBridge.level(entry(1, "b", "ROOT", LogLevel.DEBUG, "m", null)));
        assertEquals(Level.TRACE, OsgiLogBridge.level(entry(1, "b", "ROOT", LogLevel.TRACE, "m", null)));
        assertEquals(Level.DEBUG, OsgiLogBridge.level(entry(1, "b", "Events.Bundle.b", LogLevel.INFO,
                "BundleEvent STARTED", null)), "the Log service's echo of framework events is DEBUG");
        assertEquals(Level.DEBUG, OsgiLogBridge.level(entry(1, "b", "Events.Framework.b", LogLevel.ERROR,
                "FrameworkEvent ERROR", null)), "the framework prints its own errors");
    }

    @Test
    void shouldNameLoggerOsgiWhenEntryHasNoBundle() {
        assertEquals("osgi", OsgiLogBridge.loggerName(null));
    }

    @Test
    void shouldWriteHistoryOnceOldestFirstWhenEntriesAlsoArriveLive() {
        final LogEntry first = entry(10, "b", "ROOT", LogLevel.ERROR, "first", null);
        final LogEntry second = entry(11, "b", "ROOT", LogLevel.WARN, "second", null);
        final LogEntry third = entry(12, "b", "ROOT", LogLevel.WARN, "third", null);
        final LogEntry fourth = entry(13, "b", "ROOT", LogLevel.WARN, "fourth", null);
        bridge.logged(third); // delivered live while the history is read: held back
        bridge.replay(List.of(third, second, first)); // getLog() is most recent first
        assertEquals(List.of("first", "second", "third"), sink.messages());
        bridge.logged(second); // logged after the listener was added, delivered late: already written
        bridge.logged(fourth);
        bridge.logged(third); // never delivered twice by the Log service, but must not print twice either way
        assertEquals(List.of("first", "second", "third", "fourth", "third"), sink.messages(),
                "only a history entry's live copy is skipped");
    }

    @Test
    void shouldWriteEntriesLoggedBeforeReplayWhenHistoryIsEmpty() {
        bridge.logged(entry(5, "b", "ROOT", LogLevel.ERROR, "early", null));
        bridge.replay(List.of());
        bridge.logged(entry(6, "b", "ROOT", LogLevel.ERROR, "late", null));
        assertEquals(List.of("early", "late"), sink.messages());
    }

    static LogEntry entry(final long sequence, final String symbolicName, final String loggerName,
                          final LogLevel level, final String message, final Throwable exception) {
        final Bundle bundle = (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(),
                new Class<?>[] {Bundle.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> symbolicName;
                    case "getBundleId" -> 42L;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> symbolicName;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return new LogEntry() {
            @Override
            public Bundle getBundle() {
                return bundle;
            }

            @Override
            public ServiceReference<?> getServiceReference() {
                return null;
            }

            @Override
            @SuppressWarnings("deprecation")
            public int getLevel() {
                return level.ordinal();
            }

            @Override
            public String getMessage() {
                return message;
            }

            @Override
            public Throwable getException() {
                return exception;
            }

            @Override
            public long getTime() {
                return 0;
            }

            @Override
            public LogLevel getLogLevel() {
                return level;
            }

            @Override
            public String getLoggerName() {
                return loggerName;
            }

            @Override
            public long getSequence() {
                return sequence;
            }

            @Override
            public String getThreadInfo() {
                return "test";
            }

            @Override
            public StackTraceElement getLocation() {
                return null;
            }
        };
    }
}
