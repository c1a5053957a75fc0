package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.testsupport.TestFiles;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing an operator does is silently ignored (issue 12): an unknown {@code --node} refuses to start (with the
 * {@code --topology} file or a {@code deploy/topology.toml} present at start), a later
 * {@code deploy/topology.toml} without this node keeps the last good plan and says so, a transport that cannot start
 * is named and counted on the READY line, jars in {@code deploy/} that are not bundles are named with the reason,
 * and an {@code endpoint.kind} no transport bundle provides is an error naming the line.
 */
class OperatorIntentIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void shouldExitOneNamingTheKnownNodesWhenNodeIsNotInTheTopology() throws Exception {
        final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"), String.join("\n",
                "[[nodes]]", "name = \"alpha\"", "services = [\"java-market-feed\"]",
                "[[nodes]]", "name = \"beta\"", "services = [\"java-recorder\"]", ""));
        try (DistributionNode node = DistributionNode.builder().node("gamma").topology(topology)
                .deploy(exampleDeploy()).start()) {
            assertEquals(1, node.awaitExit(TIMEOUT), node.output());
            assertTrue(node.output().contains("mycelium: " + topology + ": node 'gamma' not found (known: alpha, "
                    + "beta)"), node.output());
            assertFalse(node.output().contains("READY"), node.output());
            assertFalse(node.output().contains("java-market-feed on node"), "no service ran:\n" + node.output());
        }
    }

    @Test
    void shouldExitOneNamingTheKnownNodesWhenTheTopologyInDeployAtStartLacksThisNode() throws Exception {
        final Path deploy = exampleDeploy();
        TestFiles.writeAtomically(deploy.resolve("topology.toml"), String.join("\n",
                "[[nodes]]", "name = \"alpha\"", "services = [\"java-market-feed\"]",
                "[[nodes]]", "name = \"beta\"", "services = [\"java-recorder\"]", ""));
        try (DistributionNode node = DistributionNode.builder().node("gamma").deploy(deploy).start()) {
            assertEquals(1, node.awaitExit(TIMEOUT), node.output());
            assertTrue(node.output().contains("/topology.toml: node 'gamma' not found (known: alpha, beta)"),
                    node.output());
            assertTrue(node.output().contains("mycelium: "), node.output());
            assertFalse(node.output().contains("READY"), node.output());
        }
    }

    @Test
    void shouldKeepTheLastGoodPlanAndSaySoWhenDeployedTopologyLacksThisNode() throws Exception {
        final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"), String.join("\n",
                "[[nodes]]", "name = \"alpha\"", "services = [\"java-market-feed\"]", ""));
        try (DistributionNode node = DistributionNode.builder().node("alpha").topology(topology)
                .deploy(exampleDeploy()).start().awaitReady()) {
            node.awaitOutput("java-market-feed on node alpha", TIMEOUT);
            node.deployText("topology.toml", String.join("\n",
                    "[[nodes]]", "name = \"beta\"", "services = [\"java-market-feed\"]",
                    "[[nodes]]", "name = \"delta\"", "services = []", ""));
            final String error = node.awaitOutput("node 'alpha' not found (known: beta, delta)", TIMEOUT);
            assertTrue(error.contains("ERROR") && error.contains("rejected topology ")
                    && error.contains("/topology.toml"), error);
            final String kept = node.awaitOutput("This node keeps running its last good plan", TIMEOUT);
            assertTrue(kept.contains(topology + " as node 'alpha' (services [java-market-feed]"), kept);
            assertEquals(200, node.console("/bundles").statusCode(), "the node keeps running");
            assertFalse(node.output().contains("java-market-feed: stopped"), node.output());
        }
    }

    @Test
    void shouldNameTheEndpointAndCountAProblemWhenTheTcpPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final int port = taken.getLocalPort();
            final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"), String.join("\n",
                    "[[nodes]]", "name = \"alpha\"", "services = []",
                    "endpoint = { kind = \"tcp\", addr = \"127.0.0.1:" + port + "\" }", ""));
            try (DistributionNode node = DistributionNode.builder().node("alpha").topology(topology)
                    .deploy(exampleDeploy()).start().awaitReady()) {
                final String ready = node.awaitOutput("READY node=alpha", TIMEOUT);
                assertTrue(ready.contains(" problems=1 ") && ready.endsWith("the Mycelium page)"), ready);
                final String problem = node.awaitOutput("PROBLEM: tcp transport", TIMEOUT);
                assertTrue(problem.contains("ERROR"), problem);
                assertTrue(problem.contains("listen 127.0.0.1:" + port + ") failed to start: cannot listen on TCP "
                        + "127.0.0.1:" + port + ": "), problem);
                assertTrue(problem.contains("is another process using the port?"), problem);
            }
        }
    }

    @Test
    void shouldNameEachJarThatIsNotABundleWithTheReasonAndKeepRunning() throws Exception {
        try (DistributionNode node = DistributionNode.builder().start().awaitReady()) {
            final Path examples = DistributionNode.distribution().resolve("deploy/examples.jar");
            node.deploy(Files.writeString(tmp.resolve("notes.jar"), "not a jar", StandardCharsets.UTF_8),
                    "notes.jar");
            node.deploy(Files.write(tmp.resolve("truncated.jar"), Arrays.copyOf(Files.readAllBytes(examples), 3000)),
                    "truncated.jar");
            node.deploy(zip(tmp.resolve("plain.jar"), "a.txt", "no manifest"), "plain.jar");
            node.deploy(zip(tmp.resolve("library.jar"), "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n"),
                    "library.jar");
            assertIgnored(node, "notes.jar", "it is not a readable jar");
            assertIgnored(node, "truncated.jar", "it is not a readable jar");
            assertIgnored(node, "plain.jar", "it has no META-INF/MANIFEST.MF");
            assertIgnored(node, "library.jar", "its manifest has no Bundle-SymbolicName");
            assertEquals(200, node.console("/bundles").statusCode(), "the node keeps running");
        }
    }

    private static void assertIgnored(final DistributionNode node, final String name, final String reason) {
        final String line = node.awaitOutput("/" + name + " is ignored: ", TIMEOUT);
        assertTrue(line.contains("ERROR") && line.contains(reason), line);
    }

    /** A deploy folder with the example protocol (the transports wait for a schema) and the example services. */
    private Path exampleDeploy() throws IOException {
        final Path deploy = Files.createDirectories(tmp.resolve("deploy"));
        for (final String jar : new String[] {"examples.jar", "examples-services.jar"}) {
            Files.copy(DistributionNode.distribution().resolve("deploy").resolve(jar), deploy.resolve(jar));
        }
        return deploy;
    }

    private static Path zip(final Path file, final String entry, final String content) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            out.putNextEntry(new ZipEntry(entry));
            out.write(content.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return file;
    }
}
