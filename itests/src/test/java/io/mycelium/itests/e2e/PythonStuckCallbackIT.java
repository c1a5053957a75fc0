package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * Python callbacks that never return (issue 12 item 11): the watchdog reports each one once with the service, the
 * thread and both stacks; undeploying the service interrupts a callback that runs Python code, leaves a callback
 * blocked in a lock wait behind with its thread named, returns within a bounded time either way, and FileInstall goes
 * on to start the next file. An inline callback that blocks holds the publisher's thread (java-market-feed's): the
 * report names that publisher.
 */
class PythonStuckCallbackIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The watchdog's default bound (callback.stuck.seconds = 5) plus room for a loaded machine. */
    private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(60);
    /** A stop waits 0.5 s for a callback, interrupts it, waits 1 s more; FileInstall polls every 0.5 s. */
    private static final long UNDEPLOY_BOUND_MILLIS = 4_500;

    @Test
    void shouldReportStuckCallbacksAndUndeployThemInBoundedTimeWhenCallbacksNeverReturn() throws Exception {
        try (DistributionNode node = DistributionNode.builder().start().awaitReady()) {
            ExampleServices.deployJava(node);

            deployAndAwaitBlocking(node, "loops_in_callback");
            node.awaitOutput("Python service 'loops_in_callback': callback on its dispatcher thread "
                    + "'python-dispatch-loops_in_callback'", REPORT_TIMEOUT);
            node.awaitOutput("never.wait(0.05)", TIMEOUT); // its Python stack
            assertUndeployedWithin(node, "loops_in_callback");
            node.awaitOutput("Python service 'loops_in_callback': its callback on [python-dispatch-loops_in_callback]"
                    + " was interrupted by the stop", TIMEOUT);

            deployAndAwaitBlocking(node, "blocks_in_callback");
            node.awaitOutput("Python service 'blocks_in_callback': callback on its dispatcher thread "
                    + "'python-dispatch-blocks_in_callback'", REPORT_TIMEOUT);
            assertUndeployedWithin(node, "blocks_in_callback");
            node.awaitOutput("thread(s) [python-dispatch-blocks_in_callback] are left behind", TIMEOUT);
            assertNextFileStarts(node, "after_dispatcher");

            deployAndAwaitBlocking(node, "blocks_inline");
            final String report = node.awaitOutput("Python service 'blocks_inline': inline callback on the "
                    + "publisher's thread", REPORT_TIMEOUT);
            assertTrue(report.contains("java-market-feed"), "the publisher's thread is named: " + report);
            node.awaitOutput("MarketFeed.publishNext", TIMEOUT); // the publisher in its Java stack
            assertUndeployedWithin(node, "blocks_inline");
            node.awaitOutput("(inline)] are left behind", TIMEOUT);
            assertNextFileStarts(node, "after_inline");
        }
    }

    private static void deployAndAwaitBlocking(final DistributionNode node, final String fault) throws Exception {
        ExampleServices.deployResource(node, "e2e/faults/" + fault + ".py", fault + ".py");
        node.awaitOutput("FAULT blocking " + fault, TIMEOUT);
    }

    private static void assertUndeployedWithin(final DistributionNode node, final String fault) throws Exception {
        final long start = System.nanoTime();
        node.undeploy(fault + ".py");
        node.awaitOutput("Python service '" + fault + "' stopped", TIMEOUT);
        final long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < UNDEPLOY_BOUND_MILLIS, "undeploying " + fault + " took " + millis + " ms; output:\n"
                + node.output());
    }

    private static void assertNextFileStarts(final DistributionNode node, final String name) throws Exception {
        node.deployText(name + ".py", "print('FAULT ready " + name + "')\n");
        node.awaitOutput("FAULT ready " + name, TIMEOUT);
    }
}
