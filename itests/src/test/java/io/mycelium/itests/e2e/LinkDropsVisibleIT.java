package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.testsupport.TestFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every drop on a link is visible (issue 12, item 3): a burst at full speed to an out-of-process subscriber that
 * stopped reading (a Python client of the distribution's SDK that subscribes and sleeps) overflows the link's queue;
 * the policy (DROP_NEWEST) stays, but the node's log says so, naming the peer, the type, the policy, the capacity
 * and the running totals, in a rate-limited line instead of one silent counter.
 */
class LinkDropsVisibleIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int BURST = 200_000;
    private static final Pattern DROP_LINE = Pattern.compile("unix link to sleepy: outbound queue of (\\d+) frames is"
        + " full; dropped a MarketData \\(1101\\) frame \\(overflow = DROP_NEWEST\\); (\\d+) dropped on this link,"
        + " (\\d+) by this transport \\(frames.dropped\\)");

    @Test
    void shouldLogDropsWithTotalsWhenBurstOverflowsSleepingSdkSubscriber(@TempDir final Path tmp) throws Exception {
        final Path socket = tmp.resolve("sock/feed.sock");
        final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"), String.join("\n",
            "socket_dir = \"" + tmp.resolve("sock") + "\"",
            "[[nodes]]", "name = \"feed\"", "services = [\"java-load-generator\"]", "endpoint.kind = \"unix\"",
            ""));
        final Path deploy = Files.createDirectories(tmp.resolve("deploy"));
        for (final String jar : List.of("examples.jar", "examples-services.jar")) {
            Files.copy(DistributionNode.distribution().resolve("deploy").resolve(jar), deploy.resolve(jar));
        }
        try (DistributionNode feed = DistributionNode.builder().node("feed").topology(topology).deploy(deploy)
                .data(tmp.resolve("data")).start().awaitReady()) {
            final Process client = sleepingClient(tmp, socket);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.UTF_8))) {
                final String first = out.readLine();
                assertEquals("subscribed", first, "the client's first line");
                feed.awaitOutput("unix link from sleepy open", TIMEOUT);
                feed.deployText("io.mycelium.examples.services.LoadGenerator-burst.cfg", String.join("\n",
                    "type = MarketData", "count = " + BURST, "rate = 0", "name = burst", ""));
                feed.awaitOutput("java-load-generator[burst]: published " + BURST, TIMEOUT);
                final String line = feed.awaitOutput("unix link to sleepy: outbound queue of", TIMEOUT);
                final Matcher drop = DROP_LINE.matcher(line);
                assertTrue(drop.find(), "the drop line names peer, type, policy, capacity and totals: " + line);
                assertTrue(line.contains(" WARN "), line);
                final long lines = feed.output().lines().filter(l -> l.contains("unix link to sleepy: outbound"))
                    .count();
                assertTrue(lines <= 2, "rate-limited (one line per link per 10 s), not one per drop: " + lines
                    + " lines");
            } finally {
                client.destroyForcibly();
                client.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A subscriber of MarketData that handshakes with the SDK's wire module, subscribes, says "subscribed" and then
     * sleeps without ever reading (it repeats its SUBSCRIBE every second so that the node's liveness check keeps the
     * link): the out-of-process peer that cannot keep up.
     */
    private static Process sleepingClient(final Path tmp, final Path socket) throws IOException {
        final Path protocol = ExampleServices.pythonProtocol(tmp.resolve("protocol"));
        final String script = String.join("\n",
            "import socket, sys, time",
            "sys.path[:0] = [sys.argv[1], sys.argv[2]]",
            "from mycelium.wire import Hello, Subscribe, encode_handshake, encode_control",
            "from mycelium_protocol import SCHEMA_DIGEST",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)",
            "s.settimeout(30)",
            "s.connect(sys.argv[3])",
            "s.sendall(encode_handshake(Hello(digest=SCHEMA_DIGEST, name='sleepy')))",
            "s.recv(64)",
            "s.sendall(encode_control(Subscribe((1101,))))",
            "print('subscribed', flush=True)",
            "for _ in range(300):",
            "    time.sleep(1)",
            "    s.sendall(encode_control(Subscribe((1101,))))  # bytes for the liveness check; reads nothing",
            "");
        return new ProcessBuilder("python3", "-c", script,
            DistributionNode.distribution().resolve("python").toString(), protocol.toString(), socket.toString())
            .redirectErrorStream(true).start();
    }
}
