package io.mycelium.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The READY and console lines say where to look: the Mycelium page and the metrics (issue 14 item 5). */
class NodeRunnerTest {

    @Test
    void shouldNameMyceliumPageAndMetricsWhenConsoleIsOn() {
        final ConsoleSettings console = new ConsoleSettings(true, "127.0.0.1", 8181, "admin", "s3cret",
                Optional.empty(), false);
        assertEquals("http://127.0.0.1:8181/system/console/mycelium", NodeRunner.myceliumPage(console));
        assertEquals("http://127.0.0.1:8181/metrics", NodeRunner.metrics(console));
    }

    @Test
    void shouldSayNoneWhenConsoleIsOff() {
        final ConsoleSettings console = new ConsoleSettings(false, "127.0.0.1", 8181, "admin", "s3cret",
                Optional.empty(), false);
        assertEquals("none", NodeRunner.myceliumPage(console));
        assertEquals("none", NodeRunner.metrics(console));
    }
}
