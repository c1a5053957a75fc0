package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.testsupport.TestFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 5/6 acceptance: the example Java publisher and subscribers deployed into a running distribution exchange
 * messages, and with the example Python services (the embedded default's deploy/) Java and Python talk both ways.
 */
class ExampleServicesIT {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(20);
    /** Two 10 s summary periods and slack for a loaded machine. */
    private static final Duration SUMMARY_TIMEOUT = Duration.ofSeconds(45);
    /** A summary of each example service (5) and of each Python example (2), and a few lines of slack. */
    private static final long MAX_LINES_PER_PERIOD = 12;

    /**
     * Three scenarios on one node (a node start is the dearest step of these tests), in the order a user meets them:
     * a Python service deployed before its protocol waits for it without a warning; the example Java bundles then
     * exchange messages among themselves; with the second Python example, Java and Python talk both ways.
     */
    @Test
    void shouldExchangeBetweenJavaAndPythonWhenExamplesAreDeployedOneAfterTheOtherAndStartCleanly() throws Exception {
        try (DistributionNode node = DistributionNode.builder().start().awaitReady()) {
            // a Python service handed over before its protocol bundle waits for it (INFO), then starts
            node.deploy(ExampleServices.shipped("ml_model.py"), "ml_model.py");
            final String waits = node.awaitOutput("waits for protocol package 'mycelium_protocol_examples'",
                    FLOW_TIMEOUT);
            assertTrue(waits.contains(" INFO ") && waits.contains("Python service 'ml_model'"), waits);
            ExampleServices.deployJava(node);
            node.awaitOutput("ml_model: answering PredictionRequest (numpy model)", FLOW_TIMEOUT);
            assertClean(node.output(), "a service started once its protocol arrives");

            // Java publisher -> Java subscriber
            node.awaitOutput("java-market-feed on node local: publishing MarketData", FLOW_TIMEOUT);
            ExampleServices.awaitRecorded(node, "MarketData", 20, FLOW_TIMEOUT);

            // Java MarketData -> Python market_consumer -> TradeSignal -> Java signal monitor
            node.deploy(ExampleServices.shipped("market_consumer.py"), "market_consumer.py");
            node.awaitOutput("java-signal-monitor: received TradeSignal #1", FLOW_TIMEOUT);
            // Java PredictionRequest -> Python ml_model -> PredictionResponse -> Java prediction client
            final String response = node.awaitOutput("java-prediction-client: PredictionResponse #1", FLOW_TIMEOUT);
            assertTrue(response.contains("prediction="), response);
        }
    }

    /**
     * Between two summaries of the recorder (one 10 s period) the example services write a few summary lines, not a
     * line per message: about 10 messages/s flow through them.
     */
    private static void assertQuiet(final DistributionNode node) {
        final Pattern summary = Pattern.compile("java-recorder: [^\\n]*MarketData count=\\d+ \\(\\+[1-9][0-9]*, "
                + "[0-9.]+/s\\)[^\\n]* in the last [0-9.]+ s");
        node.awaitTrue("two summaries of java-recorder with MarketData counted", SUMMARY_TIMEOUT,
                () -> summary.matcher(node.output()).results().count() >= 2);
        final List<MatchResult> summaries = summary.matcher(node.output()).results().toList();
        final String period = node.output().substring(summaries.get(0).end(), summaries.get(1).end());
        final long lines = period.lines().count() - 1;
        assertTrue(lines <= MAX_LINES_PER_PERIOD, lines + " lines in one 10 s period:" + period);
    }

    private static void assertClean(final String output, final String what) {
        assertFalse(output.contains(" ERROR ") || output.contains(" WARN "), what + " logs no WARN and no ERROR:\n"
                + output);
    }

    @Test
    void shouldRunJavaAndPythonExamplesWhenNodeStartsWithShippedDeployFolder() throws Exception {
        final Path deploy = Files.createTempDirectory("mycelium-e2e-default-deploy-");
        try {
            for (final String name : new String[] {"examples.jar", "examples-services.jar", "market_consumer.py",
                    "ml_model.py"}) {
                Files.copy(ExampleServices.shipped(name), deploy.resolve(name));
            }
            try (DistributionNode node = DistributionNode.builder().deploy(deploy).start().awaitReady()) {
                node.awaitOutput("java-signal-monitor: received TradeSignal #1", FLOW_TIMEOUT);
                node.awaitOutput("java-prediction-client: PredictionResponse #1", FLOW_TIMEOUT);
                // the embedded default starts clean: a Python service handed over before its protocol bundle waits
                // for it (INFO), so neither WARN nor ERROR
                assertClean(node.output(), "the embedded default");
                assertQuiet(node);
            }
        } finally {
            TestFiles.deleteRecursively(deploy);
        }
    }
}
