package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Python service deployed as {@code <name>.py} runs only on the node the topology places {@code <name>} on, as a
 * Java service does: placed elsewhere it is held (logged with the node that runs it), and a new {@code topology.toml}
 * that places it here starts it; one that places it elsewhere again stops it. Issue 12 item 7.
 */
class PythonPlacementIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String PRINTER = """
            import time
            print("%s running", flush=True)
            while True:
                time.sleep(0.2)
            """;

    @Test
    void shouldHoldPythonServiceWhenTopologyPlacesItOnAnotherNodeAndStartItWhenMovedHere(@TempDir final Path tmp)
            throws Exception {
        try (DistributionNode node = DistributionNode.builder().node("sink").start().awaitReady()) {
            node.deployText("topology.toml", topology(tmp, "greeter", "witness"));
            node.awaitOutput("topology.toml applied: node 'sink'", TIMEOUT);
            node.deployText("greeter.py", PRINTER.formatted("GREETER"));
            node.deployText("witness.py", PRINTER.formatted("WITNESS"));

            node.awaitOutput("Python service 'greeter'", TIMEOUT);
            final String held = node.awaitOutput("held, not started here: placed on node 'feed'", TIMEOUT);
            node.awaitOutput("WITNESS running", TIMEOUT);
            assertFalse(node.output().contains("GREETER running"), "greeter is placed on feed, yet it runs on sink: "
                    + held + "\n" + node.output());

            node.deployText("topology.toml", topology(tmp, "", "greeter\", \"witness"));
            node.awaitOutput("Python service 'greeter' is placed on this node now", TIMEOUT);
            node.awaitOutput("GREETER running", TIMEOUT);

            node.deployText("topology.toml", topology(tmp, "greeter", "witness"));
            node.awaitOutput("Python service 'greeter' is no longer placed on this node", TIMEOUT);
            node.awaitOutput("Python service 'greeter' stopped", TIMEOUT);
        }
    }

    @Test
    void shouldHoldPythonServiceWithWarningWhenNoNodeOfTheTopologyListsIt(@TempDir final Path tmp)
            throws Exception {
        try (DistributionNode node = DistributionNode.builder().node("sink").start().awaitReady()) {
            node.deployText("topology.toml", topology(tmp, "", "witness"));
            node.awaitOutput("topology.toml applied: node 'sink'", TIMEOUT);
            node.deployText("stray.py", PRINTER.formatted("STRAY"));
            node.deployText("witness.py", PRINTER.formatted("WITNESS"));

            final String warning = node.awaitOutput("Python service 'stray'", TIMEOUT);
            node.awaitOutput("WITNESS running", TIMEOUT);
            assertFalse(node.output().contains("STRAY running"), "stray is in no node's services, yet it runs: "
                    + node.output());
            if (!warning.contains("WARN") || !warning.contains("held, not started: not in")
                    || !warning.contains("add 'stray' to the services")) {
                throw new AssertionError("expected a WARN naming the fix, got: " + warning);
            }
        }
    }

    /** Two nodes on this host: feed (with {@code feedService}, if any) and sink (with {@code sinkServices}). */
    private static String topology(final Path tmp, final String feedService, final String sinkServices) {
        return String.join("\n",
                "socket_dir = \"" + tmp.resolve("sock") + "\"",
                "[[nodes]]", "name = \"feed\"",
                "services = [" + (feedService.isEmpty() ? "" : "\"" + feedService + "\"") + "]",
                "[[nodes]]", "name = \"sink\"", "services = [\"" + sinkServices + "\"]", "");
    }
}
