package io.mycelium.itests.e2e;

import java.io.IOException;
import java.time.Duration;

/**
 * Deploys the seed guide's snippets ({@code src/test/resources/e2e/seed/}) into one node and waits for what they
 * promise. A snippet's harness lines print {@code HARNESS ready <name>} once subscribed and {@code HARNESS done
 * <name>} when it has finished.
 */
final class SnippetRunner {

    private final DistributionNode node;
    private final Duration timeout;

    /**
     * @param node    a node running the example Java services and the seed topology
     * @param timeout the bound of every wait
     */
    SnippetRunner(final DistributionNode node, final Duration timeout) {
        this.node = node;
        this.timeout = timeout;
    }

    /** Deploys the snippet, has java-load-generator publish {@code count} inputs and awaits as many outputs. */
    void runWithInputs(final String snippet, final String inputType, final int count, final String outputType)
            throws IOException {
        final long before = ExampleServices.recorded(node, outputType);
        try {
            deployAndAwaitReady(snippet);
            final String cfg = ExampleServices.startLoad(node, snippet, inputType, count, 0);
            node.awaitOutput("java-load-generator[" + snippet + "]: published " + count, timeout);
            ExampleServices.awaitRecorded(node, outputType, before + count, timeout);
            node.undeploy(cfg);
        } finally {
            undeploy(snippet);
        }
    }

    /** Deploys the snippet, awaits its done line, undeploys it. */
    void runOnce(final String snippet) throws IOException {
        try {
            deploy(snippet);
            node.awaitOutput("HARNESS done " + snippet, timeout);
        } finally {
            undeploy(snippet);
        }
    }

    void deployAndAwaitReady(final String snippet) throws IOException {
        deploy(snippet);
        node.awaitOutput("HARNESS ready " + snippet, timeout);
    }

    void deploy(final String snippet) throws IOException {
        ExampleServices.deployResource(node, "e2e/seed/" + snippet + ".py", snippet + ".py");
    }

    void undeploy(final String snippet) throws IOException {
        node.undeploy(snippet + ".py");
        node.awaitOutput("Python service '" + snippet + "' stopped", timeout);
    }
}
