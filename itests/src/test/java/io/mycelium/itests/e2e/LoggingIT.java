package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mycelium.itests.fixture.e2e.failing.FailingComponent;
import io.mycelium.itests.osgi.bus.FixtureJar;

/**
 * One log stream: what SCR reports to the OSGi Log service (a component whose activate throws) and what the topology
 * bundle logs (formerly through {@code System.Logger}, printed by {@code java.util.logging} in its own format) reach
 * the node's output in the one line format of every other log line.
 */
class LoggingIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** slf4j-simple as bin/mycelium configures it: time, [thread], level, short logger name, " - ", message. */
    private static final Pattern LINE = Pattern.compile(
            "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3} \\[[^\\]]+\\] (ERROR|WARN|INFO|DEBUG|TRACE) (\\S+) - (.*)$");

    @TempDir
    Path work;

    @Test
    void shouldPrintScrActivationFailureInOneLineFormatWhenActivateThrows() throws Exception {
        try (DistributionNode node = DistributionNode.builder().start().awaitReady()) {
            final Matcher topology = line(node.awaitOutput("topology embedded default applied", TIMEOUT));
            assertEquals("INFO", topology.group(1), topology.group());
            assertEquals("TopologyController", topology.group(2), "formerly a System.Logger line: " + topology.group());

            node.deploy(Files.write(work.resolve("failing.jar"), failingBundle()), "failing.jar");
            final Matcher failure = line(node.awaitOutput("The activate method has thrown an exception", TIMEOUT));
            assertEquals("ERROR", failure.group(1), failure.group());
            assertEquals("failing", failure.group(2), "named after the bundle io.mycelium.e2e.failing");
            assertTrue(failure.group(3).startsWith("bundle io.mycelium.e2e.failing:1.0.0 "), failure.group());
            final String exception = node.awaitOutput(FailingComponent.MESSAGE, TIMEOUT);
            assertTrue(exception.contains("IllegalStateException"), "the exception follows: " + exception);
            assertFalse(node.output().contains("ERROR: "), "no line in the framework's own format:\n"
                    + node.output());
        }
    }

    private static Matcher line(final String text) {
        final Matcher matcher = LINE.matcher(text);
        assertTrue(matcher.matches(), "not in the one line format: '" + text + "'");
        return matcher;
    }

    private static byte[] failingBundle() {
        final String pkg = FailingComponent.class.getPackageName();
        return new FixtureJar("io.mycelium.e2e.failing", "1.0.0")
                .classesOf(pkg)
                .component("fixture.failing", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.4.0\" name=\"fixture.failing\""
                        + " immediate=\"true\">\n"
                        + "  <implementation class=\"" + FailingComponent.class.getName() + "\"/>\n"
                        + "</scr:component>\n")
                .build();
    }
}
