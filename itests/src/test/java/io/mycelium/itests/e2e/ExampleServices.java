package io.mycelium.itests.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deploys the distribution's example bundles and services into a {@link DistributionNode} and reads the counts the
 * example recorder ({@code java-recorder}) logs in its summaries ({@code java-recorder: <Type> count=<n> (+d, r/s),
 * ...}). Tests make the recorder summarise every 250 ms instead of its default 10 s. Stateless.
 */
final class ExampleServices {

    /** How long deploying the example bundles may take on a loaded 2-core machine. */
    static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(30);
    private static final String LOAD_PID = "io.mycelium.examples.services.LoadGenerator";
    /** The recorder's configuration file that makes it summarise every 250 ms, so tests see counts at once. */
    static final String FAST_RECORDER_CFG = "io.mycelium.examples.services.Recorder.cfg";
    static final String FAST_RECORDER = "report.ms = 250\n";

    private ExampleServices() {
    }

    /**
     * @param name a file name in the distribution's deploy/ (examples.jar, examples-services.jar, ml_model.py, ...)
     * @return its path
     */
    static Path shipped(final String name) {
        return DistributionNode.distribution().resolve("deploy").resolve(name);
    }

    /**
     * Deploys examples.jar and examples-services.jar (the recorder summarising every 250 ms) and waits until the recorder runs and the example schema's
     * Python package is on sys.path.
     *
     * @param node the node
     * @throws IOException if copying fails
     */
    static void deployJava(final DistributionNode node) throws IOException {
        node.deployText(FAST_RECORDER_CFG, FAST_RECORDER);
        node.deploy(shipped("examples.jar"), "examples.jar");
        node.deploy(shipped("examples-services.jar"), "examples-services.jar");
        node.awaitOutput("Python package of bundle io.mycelium.examples on sys.path", DEPLOY_TIMEOUT);
        node.awaitOutput("java-recorder on node", DEPLOY_TIMEOUT);
    }

    /**
     * Copies a test resource into deploy/.
     *
     * @param node     the node
     * @param resource the class path resource, e.g. {@code e2e/seed/seed_basic.py}
     * @param name     the file name in deploy/
     * @throws IOException if the resource is missing or copying fails
     */
    static void deployResource(final DistributionNode node, final String resource, final String name)
            throws IOException {
        try (InputStream in = ExampleServices.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            node.deployText(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /**
     * Unpacks the example protocol's generated Python package ({@code mycelium_protocol}, from examples.jar) for
     * out-of-process clients.
     *
     * @param dir the folder to unpack into; it becomes a sys.path entry
     * @return {@code dir}
     * @throws IOException if reading the jar or writing fails
     */
    static Path pythonProtocol(final Path dir) throws IOException {
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(shipped("examples.jar").toFile())) {
            for (final java.util.zip.ZipEntry entry : java.util.Collections.list(jar.entries())) {
                if (entry.getName().startsWith("python/") && !entry.isDirectory()) {
                    final Path target = dir.resolve(entry.getName().substring("python/".length()));
                    java.nio.file.Files.createDirectories(target.getParent());
                    try (InputStream in = jar.getInputStream(entry)) {
                        java.nio.file.Files.copy(in, target);
                    }
                }
            }
        }
        return dir;
    }

    /**
     * Starts a load generator (a factory configuration of {@code java-load-generator}).
     *
     * @param node  the node
     * @param name  the configuration's name (unique per node)
     * @param type  the example message type
     * @param count how many messages
     * @param rate  messages per second, 0 for as fast as possible
     * @return the .cfg file name in deploy/
     * @throws IOException if writing fails
     */
    static String startLoad(final DistributionNode node, final String name, final String type, final long count,
                            final long rate) throws IOException {
        final String file = LOAD_PID + "-" + name + ".cfg";
        node.deployText(file, "type = " + type + "\ncount = " + count + "\nrate = " + rate + "\nname = " + name
                + "\n");
        return file;
    }

    /**
     * @param node the node
     * @param type the example message type
     * @return the highest count the recorder logged for {@code type}, 0 if none
     */
    static long recorded(final DistributionNode node, final String type) {
        final Matcher matcher = recordedPattern(type).matcher(node.output());
        long max = 0;
        while (matcher.find()) {
            max = Math.max(max, Long.parseLong(matcher.group(1)));
        }
        return max;
    }

    /**
     * @param type the example message type
     * @return the pattern of its count in the recorder's summary lines, the count as group 1
     */
    static Pattern recordedPattern(final String type) {
        return Pattern.compile("java-recorder: [^\\n]*?\\b" + Pattern.quote(type) + " count=(\\d+)");
    }

    /**
     * Waits until the recorder logged at least {@code atLeast} messages of {@code type}.
     *
     * @param node    the node
     * @param type    the example message type
     * @param atLeast the count
     * @param timeout the bound
     */
    static void awaitRecorded(final DistributionNode node, final String type, final long atLeast,
                              final Duration timeout) {
        // The count when the wait began: the count at the end is in the output the failure prints (a reader of a
        // failure once took the former for the latter and thought nothing had arrived).
        node.awaitTrue("java-recorder counted " + atLeast + " " + type + " (it had counted " + recorded(node, type)
                + " when this wait began)", timeout, () -> recorded(node, type) >= atLeast);
    }
}
