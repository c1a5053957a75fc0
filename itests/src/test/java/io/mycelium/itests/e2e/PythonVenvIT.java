package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose {@code etc/io.mycelium.python.cfg} names a venv's interpreter runs its Python services in that venv
 * from its very first start (CPython starts once per JVM, so the file must win over the defaults), and the seed
 * guide's torch snippet (Pattern 3) runs there when the build could make a venv with torch from local wheels
 * ({@code src/test/scripts/torch-venv.sh}).
 */
class PythonVenvIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** torch-venv.sh gives pip 10 min; the venv was started before the first test. */
    private static final Duration TORCH_VENV_TIMEOUT = Duration.ofMinutes(11);
    private static final String PROBE = """
            import sys
            print("PROBE prefix=" + sys.prefix)
            """;

    @TempDir
    Path work;

    @Test
    void shouldRunServicesInVenvWhenEtcNamesItOnFirstStart() throws Exception {
        final Path venv = work.resolve("venv");
        run(System.getProperty("itest.python", "python3"), "-m", "venv", "--without-pip", "--system-site-packages",
                venv.toString());
        try (DistributionNode node = nodeWithPython(venv.resolve("bin/python"))) {
            node.deploy(writeProbe(), "probe.py");
            final String line = node.awaitOutput("PROBE prefix=", TIMEOUT);
            assertEquals(venv.toRealPath(), Path.of(prefixIn(line)).toRealPath(), "the service runs in the venv: " + line);
            assertFalse(node.output().contains("apply after the next JVM restart"),
                    "etc/io.mycelium.python.cfg was taken as a later change: " + node.output());
        }
    }

    @Test
    void shouldNameSettingAndKeepNodeRunningWhenExecutableIsMissing() throws Exception {
        final Path missing = work.resolve("no-venv/bin/python");
        try (DistributionNode node = nodeWithPython(missing)) {
            final String error = node.awaitOutput("CPython not started", TIMEOUT);
            assertTrue(error.contains("python.executable " + missing + " is not an executable file"), error);
            node.deploy(writeProbe(), "probe.py");
            node.deployText(ExampleServices.FAST_RECORDER_CFG, ExampleServices.FAST_RECORDER);
            node.deploy(ExampleServices.shipped("examples.jar"), "examples.jar");
            node.deploy(ExampleServices.shipped("examples-services.jar"), "examples-services.jar");
            ExampleServices.awaitRecorded(node, "MarketData", 1, TIMEOUT); // the Java side keeps working
            assertFalse(node.output().contains("PROBE prefix="), "no Python service runs on a bad interpreter");
        }
    }

    @Test
    void shouldScoreJavaFeaturesWhenPattern3TorchPipelineRunsInTorchVenv() throws Exception {
        final Path venv = Path.of(System.getProperty("itest.torch.venv", "target/torch-venv"));
        final String state = torchVenvState(venv.resolveSibling(venv.getFileName() + ".status"));
        Assumptions.assumeTrue("ready".equals(state), "no venv with torch (" + state + "), so the seed's Pattern 3 "
                + "(embedded ML pipeline with torch) cannot run here");
        try (DistributionNode node = nodeWithPython(venv.resolve("bin/python"))) {
            ExampleServices.deployResource(node, "e2e/seed/topology.toml", "topology.toml");
            ExampleServices.deployJava(node);
            node.awaitOutput("java-market-feed on node e2e", TIMEOUT);
            new SnippetRunner(node, TIMEOUT).runWithInputs("seed_pattern3_torch", "Features", 20, "Prediction");
        }
    }

    /**
     * The build prepares the torch venv in the background while the first tests run: waits (bounded) while its
     * status says {@code preparing}.
     */
    private static String torchVenvState(final Path status) throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + TORCH_VENV_TIMEOUT.toNanos();
        while (true) {
            final String state = Files.isRegularFile(status)
                    ? Files.readString(status, StandardCharsets.UTF_8).strip() : "the build did not prepare it";
            if (!"preparing".equals(state)) {
                return state;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the build's torch venv is still being prepared after "
                        + TORCH_VENV_TIMEOUT.toMinutes() + " min (" + status + "; pip's output in "
                        + status.resolveSibling(status.getFileName().toString().replace(".status", ".pip.log")) + ")");
            }
            Thread.sleep(500);
        }
    }

    private static DistributionNode nodeWithPython(final Path python) throws IOException {
        return DistributionNode.builder().privateHome(etc -> {
            try {
                Files.writeString(etc.resolve("io.mycelium.python.cfg"), "python.executable=" + python + "\n");
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }).start().awaitReady();
    }

    private Path writeProbe() throws IOException {
        return Files.writeString(work.resolve("probe.py"), PROBE);
    }

    private static String prefixIn(final String line) {
        return line.substring(line.indexOf("PROBE prefix=") + "PROBE prefix=".length()).strip();
    }

    private static void run(final String... command) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
