package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own contracts file goes through {@code bin/mycelium codegen} to Java and Python, and through the Maven
 * plugin to a protocol bundle that deploys into a running node and registers its Schema.
 */
class UserProtocolIT {

    @Test
    void shouldGenerateJavaAndImportablePythonWhenCliRunsOnUserContracts(@TempDir final Path tmp) throws Exception {
        final Path contracts = resource("e2e/user-contracts.yaml", tmp);
        final Result codegen = run(List.of(DistributionNode.distribution().resolve("bin/mycelium").toString(),
                "codegen", "--contracts", contracts.toString(), "--java-out", tmp.resolve("java").toString(),
                "--java-package", "com.acme.windfarm", "--python-out", tmp.resolve("py").toString()));
        assertEquals(0, codegen.exit(), codegen.output());
        assertTrue(Files.exists(tmp.resolve("java/com/acme/windfarm/TurbineReading.java")), codegen.output());

        final Result python = run(List.of("python3", "-c", String.join("\n",
                "import sys; sys.path.insert(0, sys.argv[1])",
                "from mycelium_protocol import SCHEMA_DIGEST",
                "from mycelium_protocol.messages import TurbineReading",
                "m = TurbineReading(turbine='T-07', rpm=14.5, power_kw=2100.25, vibration=[0.5, 0.25, 0.125],"
                        + " healthy=True)",
                "assert TurbineReading.from_bytes(m.to_bytes()) == m, m",
                "print(len(SCHEMA_DIGEST), TurbineReading.TYPE_ID, TurbineReading.TOPIC)"),
                tmp.resolve("py").toString()));
        assertEquals(0, python.exit(), python.output());
        assertEquals("32 5001 telemetry", python.output().strip());
    }

    @Test
    void shouldNameFileAndLineWhenContractsHaveUnknownType(@TempDir final Path tmp) throws Exception {
        final Path contracts = tmp.resolve("bad.yaml");
        Files.writeString(contracts, String.join("\n", "messages:", "  Broken:", "    tlv_type: 5002",
                "    domain: Test", "    description: broken on purpose", "    fields:", "      x: {type: u128, description: nope}", ""));
        final Result codegen = run(List.of(DistributionNode.distribution().resolve("bin/mycelium").toString(),
                "codegen", "--contracts", contracts.toString(), "--python-out", tmp.resolve("py").toString()));
        assertEquals(2, codegen.exit(), codegen.output());
        assertTrue(codegen.output().contains("bad.yaml:7"), codegen.output());
        assertTrue(codegen.output().contains("u128"), codegen.output());
    }

    @Test
    void shouldRegisterSchemaWhenUserProtocolBundleIsDeployed() throws Exception {
        final Path bundle = Path.of(System.getProperty("user.protocol.bundle",
                "../tools/maven-plugin/target/it/protocol-bundle/target/user-protocol-0.1.0-SNAPSHOT.jar"));
        assertTrue(Files.exists(bundle), "the Maven plugin's integration test builds " + bundle.toAbsolutePath());
        try (DistributionNode node = DistributionNode.builder().start().awaitReady()) {
            node.deploy(bundle, "user-protocol.jar");
            node.awaitTrue("user protocol bundle active", Duration.ofSeconds(20), () -> new ConsoleBundles(
                    node.console("/bundles.json").body()).bundle("com.example.user-protocol")
                    .map(entry -> entry.state().equals("Active")).orElse(false));
            node.awaitTrue("Schema service registered", Duration.ofSeconds(20), () -> {
                final String services = node.console("/services.json").body();
                return services.contains("io.mycelium.api.Schema") && services.contains("com.example.user-protocol");
            });
        }
    }

    private static Path resource(final String name, final Path dir) throws IOException {
        try (InputStream in = UserProtocolIT.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            final Path target = dir.resolve(Path.of(name).getFileName().toString());
            Files.copy(in, target);
            return target;
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(final List<String> command) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        final byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
