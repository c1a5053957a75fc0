package io.mycelium.console.impl.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class MetricsAccessTest {

    private static final String GOOD = "Basic " + Base64.getEncoder()
            .encodeToString("admin:s3cret".getBytes(StandardCharsets.UTF_8));
    private static final String BAD = "Basic " + Base64.getEncoder()
            .encodeToString("admin:guess".getBytes(StandardCharsets.UTF_8));

    @Test
    void shouldLetLoopbackClientsInAndAskOthersForTheLoginWhenLoopback() {
        final MetricsAccess access = new MetricsAccess(MetricsAccess.Mode.LOOPBACK, "admin", "s3cret");

        assertTrue(access.allows("127.0.0.1", null));
        assertTrue(access.allows("0:0:0:0:0:0:0:1", null));
        assertFalse(access.allows("192.0.2.7", null));
        assertFalse(access.allows("192.0.2.7", BAD));
        assertTrue(access.allows("192.0.2.7", GOOD));
    }

    @Test
    void shouldAskEveryoneForTheLoginWhenConsole() {
        final MetricsAccess access = new MetricsAccess(MetricsAccess.Mode.CONSOLE, "admin", "s3cret");

        assertFalse(access.allows("127.0.0.1", null));
        assertFalse(access.allows("127.0.0.1", "Basic !!not-base64"));
        assertTrue(access.allows("127.0.0.1", GOOD));
    }

    @Test
    void shouldRefuseEveryLoginWhenTheConsoleHasNone() {
        assertFalse(new MetricsAccess(MetricsAccess.Mode.CONSOLE, null, null).allows("127.0.0.1", GOOD));
    }

    @Test
    void shouldNameTheAcceptedValuesWhenAuthIsUnknown() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricsAccess.Mode.parse("open"));
        assertEquals("auth = 'open' is not one of loopback, console, none", e.getMessage());
        assertEquals(MetricsAccess.Mode.NONE, MetricsAccess.Mode.parse(" None "));
    }
}
