package io.mycelium.itests.e2e.bus;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mycelium.itests.osgi.bus.BusFixtures;

/**
 * End to end: a running distribution ({@code bin/mycelium run}) gets an example protocol, publisher and subscriber
 * dropped into its {@code deploy/} folder, and the subscriber reports the messages arriving in order.
 */
class BusDistributionIT {

    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(90);

    @TempDir
    Path work;

    private Process node;

    @AfterEach
    void stopNode() throws InterruptedException {
        if (node != null && node.isAlive()) {
            node.destroy();
            if (!node.waitFor(30, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
    }

    @Test
    void shouldFlowMessagesWhenPublisherAndSubscriberBundlesDeployed() throws Exception {
        final Path dist = Path.of(System.getProperty("mycelium.dist", "../assembly/target/mycelium"));
        assertTrue(Files.isExecutable(dist.resolve("bin/mycelium")), "no distribution at " + dist.toAbsolutePath()
            + "; build it with mvn -pl itests -am verify");
        final Path deploy = Files.createDirectories(work.resolve("deploy"));
        final Path log = work.resolve("node.log");
        node = new ProcessBuilder("bash", dist.resolve("bin/mycelium").toString(), "run", "--deploy",
            deploy.toString(), "--data", work.resolve("data").toString(), "--console-port", "off",
            "--nointeractive")
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitLine(log, "READY node=");

        // subscriber before publisher would be the natural order; deploy the publisher first to show it waits
        drop(deploy, "protocol.jar", BusFixtures.protocol());
        drop(deploy, "e2e-publisher.jar", BusFixtures.e2ePublisher());
        drop(deploy, "e2e-subscriber.jar", BusFixtures.e2eSubscriber());

        awaitLine(log, "mycelium-e2e: publisher published 1000 pings");
        final String line = awaitLine(log, "mycelium-e2e: subscriber received 1000 pings");
        assertTrue(line.contains("in order: true") && line.contains("from source 7"), line);
    }

    /** Writes {@code bytes} under a dot name FileInstall ignores, then renames it: an atomic deploy. */
    private static void drop(final Path deploy, final String name, final byte[] bytes) throws IOException {
        final Path tmp = deploy.resolve("." + name + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, deploy.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private String awaitLine(final Path log, final String prefix) throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (true) {
            if (Files.exists(log)) {
                final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                for (final String l : lines) {
                    if (l.contains(prefix)) {
                        return l;
                    }
                }
            }
            if (!node.isAlive()) {
                fail("node exited with " + node.exitValue() + " before printing '" + prefix + "'; its output:\n"
                    + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                fail("no line '" + prefix + "' within 90 s; node output:\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
    }
}
