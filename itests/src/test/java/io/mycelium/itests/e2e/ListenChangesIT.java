package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.testsupport.FreePort;
import io.mycelium.testsupport.TestFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 5: every change of what a node listens on is logged old -> new, a plaintext TCP listener on a
 * non-loopback address is warned about at every start, and {@code endpoint.insecure_bind = "refuse"} refuses it as a
 * problem of the node.
 */
class ListenChangesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void shouldLogOldAndNewListenerAndWarnWhenDeployedTopologyMovesNodeOntoAllInterfaces() throws Exception {
        final Path socketDir = Files.createDirectories(tmp.resolve("sock"));
        final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"), String.join("\n",
                "socket_dir = \"" + socketDir + "\"", "[[nodes]]", "name = \"alpha\"", "services = []",
                "endpoint.kind = \"unix\"", ""));
        final int port = FreePort.on("0.0.0.0");
        try (DistributionNode node = DistributionNode.builder().node("alpha").topology(topology)
                .deploy(schemaDeploy()).start().awaitReady()) {
            node.awaitOutput("node alpha: unix listener none -> " + socketDir.resolve("alpha.sock"), TIMEOUT);
            node.deployText("topology.toml", String.join("\n", "[[nodes]]", "name = \"alpha\"", "services = []",
                    "endpoint = { kind = \"tcp\", addr = \"0.0.0.0:" + port + "\" }", ""));
            final String unix = node.awaitOutput("node alpha: unix listener " + socketDir.resolve("alpha.sock")
                    + " -> none", TIMEOUT);
            assertTrue(unix.contains(" INFO "), unix);
            node.awaitOutput("node alpha: tcp listener none -> 0.0.0.0:" + port + " (all interfaces, IPv4 and IPv6)",
                    TIMEOUT);
            final String warning = node.awaitOutput("tcp transport of node alpha listens on 0.0.0.0:" + port
                    + " (all interfaces, IPv4 and IPv6) without TLS", TIMEOUT);
            assertTrue(warning.contains(" WARN ") && warning.contains("docs/transports.md")
                    && warning.contains("insecure.bind = refuse"), warning);
        }
    }

    @Test
    void shouldCountAProblemNamingTheAddressWhenInsecureBindIsRefuse() throws Exception {
        final int port = FreePort.on("0.0.0.0");
        final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"), String.join("\n",
                "[[nodes]]", "name = \"alpha\"", "services = []",
                "endpoint = { kind = \"tcp\", addr = \"0.0.0.0:" + port + "\", insecure_bind = \"refuse\" }", ""));
        try (DistributionNode node = DistributionNode.builder().node("alpha").topology(topology)
                .deploy(schemaDeploy()).start().awaitReady()) {
            final String problem = node.awaitOutput("PROBLEM: tcp transport", TIMEOUT);
            assertTrue(problem.contains(" ERROR ") && problem.contains("node alpha refuses to listen on 0.0.0.0:"
                    + port + " (all interfaces, IPv4 and IPv6) without TLS (insecure.bind = refuse)"), problem);
            assertEquals(1, node.problems(), node.output());
        }
    }

    /** A deploy folder with the example protocol: a transport starts once a schema is there. */
    private Path schemaDeploy() throws IOException {
        final Path deploy = Files.createDirectories(tmp.resolve("deploy"));
        Files.copy(DistributionNode.distribution().resolve("deploy").resolve("examples.jar"),
                deploy.resolve("examples.jar"));
        return deploy;
    }
}
