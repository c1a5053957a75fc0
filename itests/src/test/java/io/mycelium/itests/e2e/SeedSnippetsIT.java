package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every Python snippet of the seed's FFI_DEPLOYMENT_GUIDE.md runs unchanged as a service deployed into a running
 * distribution and exchanges messages with the example Java services. The snippets are in
 * {@code src/test/resources/e2e/seed/}, verbatim between harness lines that only define what a snippet assumes
 * ({@code process}, {@code model}, {@code expensive_computation}, imports, a {@code runtime}), subscribe a handler
 * the snippet defines but does not subscribe, or print a marker. The Java side publishes through
 * {@code java-load-generator} / {@code java-market-feed} / {@code java-prediction-client} and counts through
 * {@code java-recorder}. One node, with a {@code topology.toml} in deploy/ that places the snippets' service names.
 * The torch snippet (Pattern 3) runs in {@link PythonVenvIT}, on a node whose Python is a venv with torch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedSnippetsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private DistributionNode node;
    private SnippetRunner snippets;

    @BeforeAll
    void start() throws Exception {
        node = DistributionNode.builder().start().awaitReady();
        ExampleServices.deployResource(node, "e2e/seed/topology.toml", "topology.toml");
        ExampleServices.deployJava(node);
        node.awaitOutput("java-market-feed on node e2e", TIMEOUT);
        snippets = new SnippetRunner(node, TIMEOUT);
    }

    @AfterAll
    void stop() throws Exception {
        node.close();
    }

    @Test
    void shouldPublishToJavaWhenBasicUsageSnippetRuns() throws Exception {
        final long before = ExampleServices.recorded(node, "TradeSignal");
        snippets.runOnce("seed_basic");
        ExampleServices.awaitRecorded(node, "TradeSignal", before + 1, TIMEOUT);
    }

    @Test
    void shouldPublishToJavaWhenTopologyAwareSnippetRuns() throws Exception {
        final long before = ExampleServices.recorded(node, "TradeSignal");
        snippets.runOnce("seed_topology");
        ExampleServices.awaitRecorded(node, "TradeSignal", before + 1, TIMEOUT);
    }

    @Test
    void shouldAnswerJavaMarketDataWhenPattern1EventProcessorRuns() throws Exception {
        final long before = ExampleServices.recorded(node, "ProcessedData");
        try {
            snippets.deploy("seed_pattern1");
            ExampleServices.awaitRecorded(node, "ProcessedData", before + 5, TIMEOUT);
        } finally {
            snippets.undeploy("seed_pattern1");
        }
    }

    @Test
    void shouldAnswerJavaRequestClientWhenPattern2RequestResponseRuns() throws Exception {
        final long before = ExampleServices.recorded(node, "PredictionResponse");
        try {
            snippets.deployAndAwaitReady("seed_pattern2");
            ExampleServices.awaitRecorded(node, "PredictionResponse", before + 1, TIMEOUT);
            node.awaitOutput("java-prediction-client: PredictionResponse #1", TIMEOUT);
        } finally {
            snippets.undeploy("seed_pattern2");
        }
    }

    @Test
    void shouldPublishResultsFromThreadPoolWhenGilOffloadSnippetRuns() throws Exception {
        snippets.runWithInputs("seed_gil_offload", "Input", 200, "Result");
    }

    @Test
    void shouldPublishResultsFromWorkerThreadWhenBatchProcessingSnippetRuns() throws Exception {
        snippets.runWithInputs("seed_batch", "Input", 500, "Result");
    }

    @Test
    void shouldPublishResultsWhenNumpyZeroCopySnippetRuns() throws Exception {
        snippets.runWithInputs("seed_numpy", "Input", 200, "Result");
    }

    @Test
    void shouldReportTopologyErrorAndKeepWorkingWhenErrorHandlingSnippetsRun() throws Exception {
        final long before = ExampleServices.recorded(node, "LocalMetric");
        snippets.runOnce("seed_errors");
        final String error = node.awaitOutput("Topology error:", TIMEOUT);
        assertTrue(error.contains("unknown-service"), error);
        assertFalse(node.output().contains("Schema mismatch"), "the node registers the example schema");
        ExampleServices.awaitRecorded(node, "LocalMetric", before + 1, TIMEOUT);
    }

    @Test
    void shouldRunShutdownHandlerAndKeepNodeRunningWhenGracefulShutdownServiceIsUndeployed() throws Exception {
        snippets.deployAndAwaitReady("seed_shutdown");
        node.undeploy("seed_shutdown.py");
        node.awaitOutput("Shutting down...", TIMEOUT);
        node.awaitOutput("Python service 'seed_shutdown' stopped", TIMEOUT);
        ExampleServices.awaitRecorded(node, "MarketData", ExampleServices.recorded(node, "MarketData") + 5, TIMEOUT);
    }
}
