package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A Python service that raises in a callback, loops forever at import, or calls {@code sys.exit(3)} leaves the
 * server and the other services running: Java MarketData still reaches the Python market_consumer and its
 * TradeSignals still reach Java, the console answers, and the looping service can still be stopped.
 */
class PythonFaultIsolationIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void shouldKeepServerAndOtherServicesRunningWhenPythonServicesFail() throws Exception {
        try (DistributionNode node = DistributionNode.builder().start().awaitReady()) {
            ExampleServices.deployJava(node);
            node.deploy(ExampleServices.shipped("market_consumer.py"), "market_consumer.py");
            ExampleServices.awaitRecorded(node, "TradeSignal", 1, TIMEOUT);

            for (final String fault : new String[] {"raises_in_callback", "loops_at_import", "exits_3"}) {
                ExampleServices.deployResource(node, "e2e/faults/" + fault + ".py", fault + ".py");
                node.awaitOutput("FAULT ready " + fault, TIMEOUT);
            }
            node.awaitOutput("e2e: deliberate failure on", TIMEOUT);
            node.awaitOutput("service exited with sys.exit(3)", TIMEOUT);

            final long signals = ExampleServices.recorded(node, "TradeSignal");
            final long data = ExampleServices.recorded(node, "MarketData");
            ExampleServices.awaitRecorded(node, "MarketData", data + 20, TIMEOUT);
            ExampleServices.awaitRecorded(node, "TradeSignal", signals + 1, TIMEOUT);
            assertEquals(200, node.console("/bundles.json").statusCode(), "the Web Console answers");

            node.undeploy("loops_at_import.py");
            node.awaitOutput("Python service 'loops_at_import' stopped", TIMEOUT);
            final long after = ExampleServices.recorded(node, "TradeSignal");
            ExampleServices.awaitRecorded(node, "TradeSignal", after + 1, TIMEOUT);
        }
    }
}
