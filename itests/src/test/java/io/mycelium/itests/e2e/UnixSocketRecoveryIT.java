package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.testsupport.TestFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deleted Unix socket file does not partition the node for good (issue 12, item 2): the listening node notices
 * that its socket path is gone and binds it again, saying so in its log with the path; a peer that restarts after
 * that reaches it again and messages flow. Before, the listener kept its unlinked socket, the restarted peer logged
 * {@code cannot reach ... No such file or directory} and every message to the node was lost.
 */
class UnixSocketRecoveryIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern RECORDED = ExampleServices.recordedPattern("MarketData");

    @Test
    void shouldRebindAndReceiveAgainWhenListenerSocketFileIsDeleted(@TempDir final Path tmp) throws Exception {
        final Path sinkSocket = tmp.resolve("sock/sink.sock");
        final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"), String.join("\n",
            "socket_dir = \"" + tmp.resolve("sock") + "\"",
            "[[nodes]]", "name = \"feed\"", "services = [\"java-market-feed\"]", "endpoint.kind = \"unix\"",
            "[[nodes]]", "name = \"sink\"", "services = [\"java-recorder\"]", "endpoint.kind = \"unix\"", ""));
        try (DistributionNode sink = node(tmp, "sink", topology).start().awaitReady()) {
            try (DistributionNode feed = node(tmp, "feed", topology).start().awaitReady()) {
                awaitRecordedAbove(sink, 0);
                Files.delete(sinkSocket);
                final String line = sink.awaitOutput("socket file " + sinkSocket + " was deleted", TIMEOUT);
                assertTrue(line.contains(" WARN ") && line.contains("bound it again"), line);
                assertTrue(Files.exists(sinkSocket), "the socket file is back");
                feed.kill();
            }
            final long before = lastRecorded(sink);
            // The link dropped with the feed; the restarted feed must reach sink at its path again.
            try (DistributionNode feed = node(tmp, "feed", topology).start().awaitReady()) {
                awaitRecordedAbove(sink, before);
                assertTrue(!feed.output().contains("No such file or directory"), feed.output());
            }
        }
    }

    private static DistributionNode.Builder node(final Path tmp, final String name, final Path topology)
            throws IOException {
        final Path deploy = Files.createDirectories(tmp.resolve(name + "-deploy"));
        for (final String jar : List.of("examples.jar", "examples-services.jar")) {
            if (!Files.exists(deploy.resolve(jar))) {
                Files.copy(DistributionNode.distribution().resolve("deploy").resolve(jar), deploy.resolve(jar));
            }
        }
        Files.writeString(deploy.resolve(ExampleServices.FAST_RECORDER_CFG), ExampleServices.FAST_RECORDER);
        return DistributionNode.builder().node(name).topology(topology).deploy(deploy)
            .data(tmp.resolve(name + "-data-" + System.nanoTime()));
    }

    private static void awaitRecordedAbove(final DistributionNode sink, final long floor) {
        sink.awaitTrue("recorder counted more than " + floor + " MarketData", TIMEOUT,
            () -> lastRecorded(sink) > floor);
    }

    private static long lastRecorded(final DistributionNode node) {
        final Matcher matcher = RECORDED.matcher(node.output());
        long last = 0;
        while (matcher.find()) {
            last = Long.parseLong(matcher.group(1));
        }
        return last;
    }
}
