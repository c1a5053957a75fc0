package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting, securing, running side by side and stopping the assembled distribution, as a user and an operator
 * meet it.
 */
class NodeLifecycleIT {

    @Test
    void shouldBeReadyWithSecuredConsoleAndAllBundlesActiveWhenStarted() throws Exception {
        try (DistributionNode node = DistributionNode.builder().start().awaitReady()) {
            // a bound for a hang, not a speed target (an idle 2-core machine takes ~2 s; helpers' builds made it 18)
            assertTrue(node.secondsToReady() < 60, "READY after " + node.secondsToReady() + " s");
            assertEquals("local", node.nodeName());
            assertEquals(401, node.consoleAs("admin", "admin", "/bundles").statusCode(), "admin/admin must fail");
            assertEquals(401, node.consoleAs("admin", "wrong", "/bundles").statusCode());
            assertEquals(200, node.console("/bundles").statusCode());
            final String json = node.console("/bundles.json").body();
            assertTrue(new ConsoleBundles(json).allActive(), json);
            for (final String bsn : List.of("org.apache.felix.scr", "org.apache.felix.configadmin",
                    "org.apache.felix.fileinstall", "org.apache.felix.metatype", "org.apache.felix.log",
                    "org.apache.felix.eventadmin", "org.apache.felix.webconsole", "org.apache.felix.http.jetty12",
                    "org.apache.felix.webconsole.plugins.ds", "org.apache.felix.gogo.runtime",
                    "org.apache.felix.gogo.shell", "org.apache.felix.gogo.command", "io.mycelium.api")) {
                assertEquals("Active", new ConsoleBundles(json).bundle(bsn).orElseThrow(
                        () -> new AssertionError(bsn + " missing from " + json)).state(), bsn);
            }
            assertEquals(200, node.console("/components").statusCode(), "the DS plugin's Components tab");
            assertTrue(!node.output().contains("NOP"), "slf4j must not fall back to NOP:\n" + node.output());
        }
    }

    @Test
    void shouldExitZeroWithinTenSecondsLeavingNoProcessWhenSigterm() throws Exception {
        try (DistributionNode node = DistributionNode.builder().start().awaitReady()) {
            final List<ProcessHandle> family = ProcessHandle.of(node.pid()).orElseThrow().descendants().toList();
            final long start = System.nanoTime();
            assertEquals(0, node.stop(Duration.ofSeconds(10)), node.output());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
            assertTrue(node.output().contains("STOPPED"), node.output());
            for (final ProcessHandle child : family) {
                assertTrue(!child.isAlive(), "stray process " + child.pid());
            }
        }
    }

    @Test
    void shouldForgetUndeployedBundleWhenRestartedOnSameData(@TempDir final Path tmp) throws Exception {
        final Path deploy = tmp.resolve("deploy");
        final Path data = tmp.resolve("data");
        try (DistributionNode node = DistributionNode.builder().deploy(deploy).data(data).start().awaitReady()) {
            node.deploy(FixtureBundles.manifestOnly(tmp.resolve("f.jar"), "io.mycelium.e2e.cached", "1.0.0"),
                    "cached.jar");
            node.awaitTrue("cached bundle installed", Duration.ofSeconds(15), () -> new ConsoleBundles(
                    node.console("/bundles.json").body()).bundle("io.mycelium.e2e.cached").isPresent());
            assertEquals(0, node.stop(Duration.ofSeconds(10)));
            node.undeploy("cached.jar");
        }
        try (DistributionNode node = DistributionNode.builder().deploy(deploy).data(data).start().awaitReady()) {
            assertTrue(new ConsoleBundles(node.console("/bundles.json").body()).bundle("io.mycelium.e2e.cached")
                    .isEmpty(), "the previous run's cache must not bring the bundle back");
        }
    }

    @Test
    void shouldRunTwoInstancesSideBySideWhenDataAndPortsDiffer() throws Exception {
        try (DistributionNode first = DistributionNode.builder().node("alpha").start();
             DistributionNode second = DistributionNode.builder().node("beta").start()) {
            first.awaitReady();
            second.awaitReady();
            assertEquals("alpha", first.nodeName());
            assertEquals("beta", second.nodeName());
            assertNotEquals(first.consoleUrl(), second.consoleUrl());
            assertEquals(200, first.console("/bundles").statusCode());
            assertEquals(200, second.console("/bundles").statusCode());
        }
    }

    @Test
    void shouldRefuseSecondInstanceWhenDataFolderIsInUse(@TempDir final Path tmp) throws Exception {
        final Path data = tmp.resolve("shared-data");
        try (DistributionNode first = DistributionNode.builder().data(data).start().awaitReady();
             DistributionNode second = DistributionNode.builder().data(data).start()) {
            assertEquals(1, second.awaitExit(Duration.ofSeconds(20)));
            assertTrue(second.output().contains("another instance runs with data folder"), second.output());
            assertEquals(200, first.console("/bundles").statusCode(), "the first instance keeps running");
        }
    }

    @Test
    void shouldGenerateAndStorePasswordWhenNoneConfigured() throws Exception {
        try (DistributionNode node = DistributionNode.builder().password(null).privateHome(etc -> { }).start()
                .awaitReady()) {
            final Path file = node.home().resolve("etc/console.password");
            assertTrue(node.output().contains("password generated into " + file), node.output());
            final String stored = java.nio.file.Files.readString(file).trim();
            assertTrue(stored.length() >= 16, "a strong generated password");
            assertEquals(200, node.consoleAs("admin", stored, "/bundles").statusCode());
            assertEquals(401, node.consoleAs("admin", "admin", "/bundles").statusCode());
        }
    }

    @Test
    void shouldStartWithoutConsoleWhenConsoleIsOff() throws Exception {
        try (DistributionNode node = DistributionNode.builder().consolePort("off").start()) {
            final String ready = node.awaitOutput("READY", DistributionNode.READY_TIMEOUT);
            assertTrue(ready.contains("console=none"), ready);
        }
    }
}
