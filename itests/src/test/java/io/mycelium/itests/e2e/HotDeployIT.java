package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/ as an operator uses it on a running distribution: bundles installed, updated in place and uninstalled;
 * {@code .cfg} files reaching ConfigAdmin.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HotDeployIT {

    private static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(15);
    private static final String FIXTURE = "io.mycelium.e2e.fixture";

    private DistributionNode node;

    @BeforeAll
    void start() throws Exception {
        node = DistributionNode.builder().start().awaitReady();
    }

    @AfterAll
    void stop() throws Exception {
        node.close();
    }

    @Test
    void shouldInstallUpdateAndUninstallBundleWhenDeployFolderChanges(@TempDir final Path tmp) throws Exception {
        node.deploy(FixtureBundles.manifestOnly(tmp.resolve("v1.jar"), FIXTURE, "1.0.0"), "fixture.jar");
        node.awaitTrue("fixture 1.0.0 active", DEPLOY_TIMEOUT, () -> fixture().map(
                entry -> entry.state().equals("Active") && entry.version().equals("1.0.0")).orElse(false));
        final long id = fixture().orElseThrow().id();

        node.deploy(FixtureBundles.manifestOnly(tmp.resolve("v2.jar"), FIXTURE, "2.0.0"), "fixture.jar");
        node.awaitTrue("fixture updated to 2.0.0", DEPLOY_TIMEOUT, () -> fixture().map(
                entry -> entry.state().equals("Active") && entry.version().equals("2.0.0")).orElse(false));
        assertEquals(id, fixture().orElseThrow().id(), "an update keeps the bundle id (in-place update)");

        node.undeploy("fixture.jar");
        node.awaitTrue("fixture uninstalled", DEPLOY_TIMEOUT, () -> fixture().isEmpty());
    }

    @Test
    void shouldReachConfigAdminWhenCfgDropped() throws Exception {
        node.deployText("io.mycelium.e2e.probe.cfg", "greeting = hello from e2e\n");
        node.awaitTrue("configuration io.mycelium.e2e.probe", DEPLOY_TIMEOUT, () -> node
                .console("/status-Configurations.json").body().contains("greeting = hello from e2e"));

        node.undeploy("io.mycelium.e2e.probe.cfg");
        node.awaitTrue("configuration removed", DEPLOY_TIMEOUT, () -> !node
                .console("/status-Configurations.json").body().contains("io.mycelium.e2e.probe"));
    }

    @Test
    void shouldIgnoreHiddenTemporaryFilesWhenCopyIsUnderway(@TempDir final Path tmp) throws Exception {
        Files.copy(FixtureBundles.manifestOnly(tmp.resolve("partial.jar"), FIXTURE + ".partial", "1.0.0"),
                node.deployDir().resolve(".partial.jar.tmp"));
        node.deployText("marker.cfg", "marker = 1\n");
        node.awaitTrue("marker configuration", DEPLOY_TIMEOUT, () -> node.console("/status-Configurations.json")
                .body().contains("marker = 1"));
        assertTrue(new ConsoleBundles(node.console("/bundles.json").body()).bundle(FIXTURE + ".partial").isEmpty(),
                "a hidden temporary file must not be installed");
    }

    private Optional<ConsoleBundles.Entry> fixture() {
        return new ConsoleBundles(node.console("/bundles.json").body()).bundle(FIXTURE);
    }
}
