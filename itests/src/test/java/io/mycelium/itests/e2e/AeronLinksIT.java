package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.testsupport.FreePort;
import io.mycelium.testsupport.TestFiles;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aeron links between nodes of the assembled distribution on simulated hosts (127.0.0.1 to .5), in one run of as
 * few nodes as the scenarios allow: Java and Python services exchange both ways over Aeron (a Python source's
 * sequence numbers checked at the far end), a node that joins later receives the fan-out in order, a node with
 * another schema is refused with both digests in both logs, feed fans out on one multi-destination-cast publication
 * to sink and late, a node that never starts is reported unreachable, and
 * a clean stop removes the embedded driver's directory.
 */
class AeronLinksIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern SEQ_CHECK = Pattern.compile("py_seq_check: received=(\\d+) gaps=(\\d+)");
    private static final Pattern HEX_DIGEST = Pattern.compile("[0-9a-f]{64}");

    /** Python on feed: CounterUpdate with counter_id = 1, 2, 3, ... every 20 ms. */
    private static final String SEQ_SOURCE = String.join("\n",
            "import time",
            "from mycelium_native import Runtime",
            "from mycelium_protocol_examples import SCHEMA_DIGEST",
            "from mycelium_protocol_examples.messages import CounterUpdate",
            "runtime = Runtime(schema_digest=SCHEMA_DIGEST)",
            "seq = 0",
            "while True:",
            "    seq += 1",
            "    runtime.publish(CounterUpdate(counter_id=seq, value=seq % 1000, delta=1))",
            "    time.sleep(0.02)",
            "");

    /** Python on the late node: counts CounterUpdates and the gaps in their sequence from the first it sees. */
    private static final String SEQ_CHECK_SERVICE = String.join("\n",
            "import time",
            "from mycelium_native import Runtime",
            "from mycelium_protocol_examples import SCHEMA_DIGEST",
            "from mycelium_protocol_examples.messages import CounterUpdate",
            "runtime = Runtime(schema_digest=SCHEMA_DIGEST)",
            "state = {'received': 0, 'gaps': 0, 'last': None}",
            "def on_update(msg):",
            "    if state['last'] is not None and msg.counter_id != state['last'] + 1:",
            "        state['gaps'] += 1",
            "    state['last'] = msg.counter_id",
            "    state['received'] += 1",
            "runtime.subscribe(CounterUpdate, on_update)",
            "printed = -1",
            "while True:",
            "    time.sleep(0.25)",
            "    if state['received'] != printed:",
            "        printed = state['received']",
            "        print(f\"py_seq_check: received={state['received']} gaps={state['gaps']} last={state['last']}\","
                    + " flush=True)",
            "");

    @Test
    void shouldLinkJavaAndPythonServicesOverAeronAndReportRefusedAndUnreachablePeers(@TempDir final Path tmp)
            throws Exception {
        final Path userProtocol = Path.of(System.getProperty("user.protocol.bundle",
                "../tools/maven-plugin/target/it/protocol-bundle/target/user-protocol-0.1.0-SNAPSHOT.jar"));
        assertTrue(Files.exists(userProtocol), "the Maven plugin's integration test builds "
                + userProtocol.toAbsolutePath() + " (a schema other than the examples')");
        final int ghostPort = FreePort.on("127.0.0.4");
        final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"), String.join("\n",
                node("feed", "127.0.0.1", "\"java-market-feed\", \"java-signal-monitor\", \"py_seq_source\""),
                "endpoint.fanout = \"mdc\"",
                node("sink", "127.0.0.2", "\"java-recorder\", \"market_consumer\""),
                node("late", "127.0.0.3", "\"py_seq_check\""),
                "[[nodes]]", "name = \"ghost\"", "services = []", "host = \"127.0.0.4\"", "port = " + ghostPort,
                "endpoint = { kind = \"aeron\", channel = \"aeron:udp?endpoint=127.0.0.4:" + ghostPort + "\" }",
                node("odd", "127.0.0.5", ""), ""));
        final Path feedDeploy = exampleDeploy(tmp, "feed");
        Files.writeString(feedDeploy.resolve("py_seq_source.py"), SEQ_SOURCE);
        final Path sinkDeploy = exampleDeploy(tmp, "sink");
        Files.copy(DistributionNode.distribution().resolve("deploy/market_consumer.py"),
                sinkDeploy.resolve("market_consumer.py"));
        try (DistributionNode feed = node(tmp, "feed", topology, feedDeploy).start();
             DistributionNode sink = node(tmp, "sink", topology, sinkDeploy).start()) {
            feed.awaitReady();
            sink.awaitReady();
            feed.awaitOutput("aeron link feed -> sink open on aeron:udp?endpoint=127.0.0.2:", TIMEOUT);
            sink.awaitOutput("aeron link sink -> feed open on aeron:udp?endpoint=127.0.0.1:", TIMEOUT);
            // Java -> Java, Python -> Java, Java -> Python -> Java across the link
            ExampleServices.awaitRecorded(sink, "MarketData", 5, TIMEOUT);
            ExampleServices.awaitRecorded(sink, "CounterUpdate", 5, TIMEOUT);
            feed.awaitOutput("java-signal-monitor: received TradeSignal", TIMEOUT);

            final String unreachable = feed.awaitOutput("aeron link feed -> ghost: channel aeron:udp?endpoint="
                    + "127.0.0.4:" + ghostPort + " unreachable", TIMEOUT);
            assertTrue(unreachable.contains(" WARN "), unreachable);

            final Path lateDeploy = Files.createDirectories(tmp.resolve("late-deploy"));
            Files.copy(DistributionNode.distribution().resolve("deploy/examples.jar"),
                    lateDeploy.resolve("examples.jar"));
            Files.writeString(lateDeploy.resolve("py_seq_check.py"), SEQ_CHECK_SERVICE);
            final Path oddDeploy = Files.createDirectories(tmp.resolve("odd-deploy"));
            Files.copy(userProtocol, oddDeploy.resolve("user-protocol.jar"));
            try (DistributionNode late = node(tmp, "late", topology, lateDeploy).start();
                 DistributionNode odd = node(tmp, "odd", topology, oddDeploy).start()) {
                late.awaitReady();
                odd.awaitReady();
                // the late joiner gets the fan-out of feed's Python source, in sequence: with sink it is the second
                // destination of feed's multi-destination-cast publication, which then carries CounterUpdate (both
                // subscribe to it) once for both; the refused node odd is no destination
                feed.awaitOutput("aeron fan-out of feed: late joined (destinations [sink, late])", TIMEOUT);
                late.awaitTrue("py_seq_check received 50 CounterUpdates", TIMEOUT, () -> seqCheck(late, 50));
                assertFalse(Pattern.compile("gaps=[1-9]").matcher(late.output()).find(), late.output());

                final String refusing = feed.awaitOutput("aeron link feed -> odd: refused node odd: schema digest"
                        + " mismatch", TIMEOUT);
                assertTrue(digests(refusing) == 2, refusing);
                final String refused = odd.awaitOutput("aeron link odd -> feed: ", TIMEOUT);
                assertTrue(refused.contains("DIGEST_MISMATCH") || refused.contains("digest mismatch"), refused);
                assertTrue(digests(refused) == 2, refused);
            }
            final String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    feed.metricsUrl())).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("transport=\"aeron\"") && metrics.contains("event=\"aeron_unreachable\""),
                    metrics);
            final Matcher fannedOut = Pattern.compile("event=\"aeron_fanout_frames_sent\"[^}]*} ([0-9.eE+]+)")
                    .matcher(metrics);
            assertTrue(fannedOut.find() && Double.parseDouble(fannedOut.group(1)) > 0, metrics);
            final Path driverDir = tmp.resolve("feed-data").resolve("aeron").resolve("feed");
            assertTrue(Files.isDirectory(driverDir), driverDir + " while running");
            feed.stop(TIMEOUT);
            feed.awaitOutput("embedded Aeron media driver stopped, " + driverDir + " removed", TIMEOUT);
            assertFalse(Files.exists(driverDir), driverDir + " after a clean stop");
            sink.awaitOutput("aeron link sink -> feed closed: the peer said GOODBYE NORMAL", TIMEOUT);
        }
    }

    private static boolean seqCheck(final DistributionNode node, final int atLeast) {
        final Matcher m = SEQ_CHECK.matcher(node.output());
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) >= atLeast && m.group(2).equals("0")) {
                return true;
            }
        }
        return false;
    }

    private static long digests(final String line) {
        return HEX_DIGEST.matcher(line).results().map(java.util.regex.MatchResult::group).distinct().count();
    }

    private static String node(final String name, final String host, final String services) throws IOException {
        return String.join("\n", "[[nodes]]", "name = \"" + name + "\"", "services = [" + services + "]",
                "host = \"" + host + "\"", "port = " + FreePort.on(host), "endpoint.kind = \"aeron\"");
    }

    private static Path exampleDeploy(final Path tmp, final String name) throws IOException {
        final Path deploy = Files.createDirectories(tmp.resolve(name + "-deploy"));
        for (final String jar : List.of("examples.jar", "examples-services.jar")) {
            Files.copy(DistributionNode.distribution().resolve("deploy").resolve(jar), deploy.resolve(jar));
        }
        Files.writeString(deploy.resolve(ExampleServices.FAST_RECORDER_CFG), ExampleServices.FAST_RECORDER);
        return deploy;
    }

    private static DistributionNode.Builder node(final Path tmp, final String name, final Path topology,
            final Path deploy) {
        return DistributionNode.builder().node(name).topology(topology).deploy(deploy)
                .data(tmp.resolve(name + "-data"));
    }
}
