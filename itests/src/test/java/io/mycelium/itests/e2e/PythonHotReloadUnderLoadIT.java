package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Replacing a Python service while Java publishes 100 000 messages loses none of the messages meant for the other
 * subscribers (the Java recorder and a second Python service), and the new version receives messages within 2 s
 * of the file being replaced.
 */
class PythonHotReloadUnderLoadIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final long MESSAGES = 100_000;
    private static final long RATE = 20_000;
    private static final Duration RELOAD_BOUND = Duration.ofSeconds(2);

    @Test
    void shouldLoseNoMessagesOfOtherSubscribersWhenPythonServiceIsReplacedUnderLoad() throws Exception {
        try (DistributionNode node = DistributionNode.builder().start().awaitReady()) {
            ExampleServices.deployJava(node);
            ExampleServices.deployResource(node, "e2e/reload/steady_counter.py", "steady_counter.py");
            ExampleServices.deployResource(node, "e2e/reload/reloaded_v1.py", "reloaded.py");
            node.awaitOutput("RELOAD ready steady_counter", TIMEOUT);
            node.awaitOutput("RELOAD ready reloaded v1", TIMEOUT);

            ExampleServices.startLoad(node, "reload", "CounterUpdate", MESSAGES, RATE);
            node.awaitOutput("RELOAD v1 first message", TIMEOUT);
            ExampleServices.awaitRecorded(node, "CounterUpdate", RATE / 2, TIMEOUT);

            final long replaced = System.nanoTime();
            ExampleServices.deployResource(node, "e2e/reload/reloaded_v2.py", "reloaded.py");
            final String first = node.awaitOutput("RELOAD v2 first message", TIMEOUT);
            final Duration took = Duration.ofNanos(System.nanoTime() - replaced);
            System.out.println("hot reload under load: version 2 received its first message " + took.toMillis()
                    + " ms after the file was replaced");
            assertTrue(took.compareTo(RELOAD_BOUND) < 0, "version 2 received its first message " + took.toMillis()
                    + " ms after the file was replaced (bound " + RELOAD_BOUND.toMillis() + " ms): " + first);

            node.awaitOutput("java-load-generator[reload]: published " + MESSAGES + " CounterUpdate", TIMEOUT);
            ExampleServices.awaitRecorded(node, "CounterUpdate", MESSAGES, TIMEOUT);
            node.awaitOutput("steady_counter count=" + MESSAGES, TIMEOUT);
            assertEquals(MESSAGES, ExampleServices.recorded(node, "CounterUpdate"), "the Java recorder's count");
            final long lastPublished = Long.parseLong(first.replaceAll(".*counter_id=(\\d+).*", "$1"));
            assertTrue(lastPublished < MESSAGES, "version 2 started while the load ran: " + first);
        }
    }
}
