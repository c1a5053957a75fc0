package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.testsupport.TestFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 6: out-of-process Python SDK clients over shared memory to one node of the distribution, which runs
 * the example feed and recorder. The first client uses {@code ShmTransport} straight from the distribution's
 * {@code python/} folder (no compiled extension there: the x86-64 pure-Python path); the second is the same folder
 * installed with one offline {@code pip install} (which compiles {@code mycelium._shm_atomics}) and routes by
 * {@code MessageBus.from_topology} to its own node's shm endpoint. Each receives what the node publishes and
 * publishes sequence-numbered messages the recorder counts exactly; afterwards only the control socket is left in
 * the shm folder. One node for everything (lean).
 */
class PythonShmClientIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int DIRECT = 300;
    private static final int ROUTED = 200;

    @TempDir
    Path tmp;

    @Test
    void shouldServePythonSdkClientsOverShmDirectAndByTopology() throws Exception {
        final Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : tmp;
        final Path shm = Files.createTempDirectory(base, "mycelium-pyit-");
        try {
            final Path endpoint = shm.resolve("feed.shm");
            final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"), String.join("\n",
                    "socket_dir = \"" + tmp.resolve("sock") + "\"",
                    "[[nodes]]", "name = \"feed\"",
                    "services = [\"java-market-feed\", \"java-recorder\", \"py-client\"]",
                    "endpoint = { kind = \"shm\", path = \"" + endpoint + "\" }", ""));
            final Path deploy = Files.createDirectories(tmp.resolve("deploy"));
            for (final String jar : List.of("examples.jar", "examples-services.jar")) {
                Files.copy(ExampleServices.shipped(jar), deploy.resolve(jar));
            }
            Files.writeString(deploy.resolve(ExampleServices.FAST_RECORDER_CFG), ExampleServices.FAST_RECORDER);
            final Path protocol = ExampleServices.pythonProtocol(tmp.resolve("protocol"));
            final Path script = tmp.resolve("py_shm_client.py");
            try (var in = PythonShmClientIT.class.getClassLoader().getResourceAsStream("e2e/shm/py_shm_client.py")) {
                Files.copy(in, script);
            }
            final Path sdk = DistributionNode.distribution().resolve("python");
            final Path site = tmp.resolve("site");
            try (DistributionNode feed = DistributionNode.builder().node("feed").topology(topology).deploy(deploy)
                    .start().awaitReady()) {
                feed.awaitOutput("java-recorder on node", TIMEOUT);

                final String direct = python(script.toString(), "direct", sdk.toString(), protocol.toString(),
                        endpoint.toString(), Integer.toString(DIRECT));
                assertTrue(direct.contains("atomics pure-python-x86-64") || !isX86(), direct);
                assertTrue(direct.contains("direct got") && direct.contains("sent " + DIRECT), direct);
                ExampleServices.awaitRecorded(feed, "CounterUpdate", DIRECT, TIMEOUT);

                python("-m", "pip", "install", "--no-index", "--no-build-isolation", "--no-cache-dir",
                        "--disable-pip-version-check", "-q", "-t", site.toString(), sdk.toString());
                final String routed = python(script.toString(), "topology", site.toString(), protocol.toString(),
                        topology.toString(), Integer.toString(ROUTED));
                assertTrue(routed.contains("atomics c-extension"), routed);
                assertTrue(routed.contains("route shm " + endpoint + " ShmTransport"), routed);
                assertTrue(routed.contains("topology got") && routed.contains("sent " + ROUTED), routed);
                ExampleServices.awaitRecorded(feed, "TextMessage", ROUTED, TIMEOUT);

                assertEquals(DIRECT, ExampleServices.recorded(feed, "CounterUpdate"), "no sequence number twice");
                feed.awaitTrue("the node removed both clients' segments", TIMEOUT,
                        () -> files(shm).equals(List.of(endpoint)));
            }
            assertEquals(List.of(), files(shm), "a clean stop leaves nothing in the shm folder");
        } finally {
            TestFiles.deleteRecursively(shm);
        }
    }

    private static boolean isX86() {
        return List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
    }

    /** Runs python3 with {@code args}; returns its output, failing on a non-zero exit or after 120 s. */
    private static String python(final String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of(System.getProperty("itest.python", "python3")));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "python " + args[0] + " did not end: " + out);
        assertEquals(0, process.exitValue(), "python " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    private static List<Path> files(final Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
