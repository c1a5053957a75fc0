package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.testsupport.TestFiles;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Python service that calls {@code os._exit(1)} ends the whole node (in-process Python shares its fate, issue 12
 * item 12): the node's last line names the service and the call, and a node started again on the same data folder and
 * Unix socket comes up (the socket file the dead node left is removed at start).
 */
class PythonOsExitIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void shouldNameTheServiceInTheLastLineAndRestartWhenAServiceCallsOsExit(@TempDir final Path tmp)
            throws Exception {
        final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"), String.join("\n",
                "socket_dir = \"" + tmp.resolve("sock") + "\"",
                "[[nodes]]", "name = \"solo\"", "services = [\"calls_os_exit\"]", "endpoint.kind = \"unix\"", ""));
        final Path socket = tmp.resolve("sock/solo.sock");
        final Path data = tmp.resolve("data");
        // the example protocol: the Unix link listens once the node has a schema
        final Path deploy = Files.createDirectories(tmp.resolve("deploy"));
        Files.copy(DistributionNode.distribution().resolve("deploy/examples.jar"), deploy.resolve("examples.jar"));
        try (DistributionNode node = DistributionNode.builder().node("solo").topology(topology).data(data)
                .deploy(deploy).start().awaitReady()) {
            node.awaitTrue("the node listens on " + socket, TIMEOUT, () -> accepts(socket));
            node.deployText("calls_os_exit.py", String.join("\n",
                    "import os", "print('FAULT ready calls_os_exit')", "os._exit(1)", ""));
            assertEquals(1, node.awaitExit(TIMEOUT), "os._exit(1) ends the node with its status");
            final List<String> lines = Arrays.stream(node.output().split("\n")).filter(line -> !line.isBlank())
                    .toList();
            final String last = String.join("\n", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
            assertTrue(last.contains("Python service 'calls_os_exit' called os._exit(1): the node stops now"),
                    "the last lines name the service and the call:\n" + node.output());
            assertTrue(Files.exists(socket) && !accepts(socket), "the dead node leaves a stale socket file behind");
        }
        Files.delete(deploy.resolve("calls_os_exit.py"));
        try (DistributionNode again = DistributionNode.builder().node("solo").topology(topology).data(data)
                .deploy(deploy).start().awaitReady()) {
            again.awaitTrue("the restarted node listens on " + socket, TIMEOUT, () -> accepts(socket));
        }
    }

    private static boolean accepts(final Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (final IOException e) {
            return false; // no file, or a file nobody listens on
        }
    }
}
