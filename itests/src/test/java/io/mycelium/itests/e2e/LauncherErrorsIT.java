package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a start can go wrong ends with one clear line naming the problem and a non-zero exit status; nothing
 * keeps running.
 */
class LauncherErrorsIT {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(20);

    @Test
    void shouldPrintUsageAndExitTwoWhenOptionIsUnknown() throws Exception {
        try (DistributionNode node = DistributionNode.builder().arg("--bogus").start()) {
            assertEquals(2, node.awaitExit(EXIT_TIMEOUT));
            assertTrue(node.output().contains("unknown option '--bogus'"), node.output());
            assertTrue(node.output().contains("Usage: mycelium"), node.output());
        }
    }

    @Test
    void shouldExitTwoWhenNodeNameIsInvalid() throws Exception {
        try (DistributionNode node = DistributionNode.builder().node("bad name!").start()) {
            assertEquals(2, node.awaitExit(EXIT_TIMEOUT));
            assertTrue(node.output().contains("--node 'bad name!' is not a valid node name"), node.output());
        }
    }

    @Test
    void shouldExitOneNamingThePortWhenConsolePortIsInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final int port = taken.getLocalPort();
            try (DistributionNode node = DistributionNode.builder().consolePort(Integer.toString(port)).start()) {
                assertEquals(1, node.awaitExit(EXIT_TIMEOUT));
                assertTrue(node.output().contains("console port 127.0.0.1:" + port + " is in use"), node.output());
                assertTrue(!node.output().contains("READY"), node.output());
            }
        }
    }

    @Test
    void shouldExitOneNamingTheFileWhenConfigPropertiesIsBroken() throws Exception {
        try (DistributionNode node = DistributionNode.builder().privateHome(etc -> append(etc.resolve(
                "config.properties"), "\nbroken.reference=${no.such.property}\n")).start()) {
            assertEquals(1, node.awaitExit(EXIT_TIMEOUT));
            assertTrue(node.output().contains("etc/config.properties: 'broken.reference' refers to "
                    + "${no.such.property}, which is not defined"), node.output());
        }
    }

    @Test
    void shouldExitOneWhenConfigPropertiesIsMissing() throws Exception {
        try (DistributionNode node = DistributionNode.builder().privateHome(etc -> delete(etc.resolve(
                "config.properties"))).start()) {
            assertEquals(1, node.awaitExit(EXIT_TIMEOUT));
            assertTrue(node.output().contains("cannot read ") && node.output().contains("config.properties"),
                    node.output());
        }
    }

    @Test
    void shouldRefuseStockPasswordWhenConfigured() throws Exception {
        try (DistributionNode node = DistributionNode.builder().password("admin").start()) {
            assertEquals(1, node.awaitExit(EXIT_TIMEOUT));
            assertTrue(node.output().contains("must not be the stock 'admin'"), node.output());
        }
    }

    @Test
    void shouldExitOneWithInstallHintWhenNoJavaIsFound(@TempDir final Path tmp) throws Exception {
        final Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (final String tool : List.of("bash", "dirname", "sed", "head")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin/" + tool).toRealPath());
        }
        final ProcessBuilder builder = new ProcessBuilder("/bin/bash",
                DistributionNode.distribution().resolve("bin/mycelium").toString(), "run").redirectErrorStream(true);
        builder.environment().put("PATH", bin.toString());
        builder.environment().remove("JAVA_HOME");
        final Process process = builder.start();
        assertTrue(process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, process.exitValue(), output);
        assertTrue(output.contains("no Java found: install a Java 17 runtime"), output);
    }

    @Test
    void shouldPrintVersionAndHelpWhenAsked() throws Exception {
        for (final String[] command : List.of(new String[] {"version"}, new String[] {"help"})) {
            final Process process = new ProcessBuilder(DistributionNode.distribution().resolve("bin/mycelium")
                    .toString(), command[0]).redirectErrorStream(true).start();
            assertTrue(process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), output);
            assertTrue(output.startsWith(command[0].equals("version") ? "mycelium 0." : "Usage: mycelium"), output);
        }
    }

    private static void append(final Path file, final String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(final Path file) {
        try {
            Files.delete(file);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
