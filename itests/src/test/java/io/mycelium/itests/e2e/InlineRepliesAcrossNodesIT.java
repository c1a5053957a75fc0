package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.itests.fixture.e2e.inline.InlinePingResponder;
import io.mycelium.itests.fixture.e2e.requester.RawRequester;
import io.mycelium.itests.osgi.bus.BusFixtures;
import io.mycelium.itests.osgi.bus.FixtureJar;
import io.mycelium.testsupport.TestFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replies published from an inline handler leave the node (issue 12, item 1): a request that arrives over a link is
 * delivered to an inline handler on that link's reader thread, and what the handler publishes is a new message,
 * routed to peers like any other. Two nodes of the distribution over Unix sockets: node {@code asker} sends N
 * requests, node {@code server} answers them inline, in Java ({@code RequestClient.serve(..., Delivery.INLINE)}) and
 * in Python ({@code runtime.subscribe(T, cb, inline=True)}); the asker must get N of N.
 */
class InlineRepliesAcrossNodesIT {

    private static final int COUNT = 200;
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final String NS = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.4.0\" ";
    private static final String API = "io.mycelium.api;version=\"[2.0,3)\"";

    @Test
    void shouldDeliverEveryReplyToRemoteRequesterWhenJavaServesInline(@TempDir final Path tmp) throws Exception {
        final Path topology = topology(tmp);
        final Path askerDeploy = Files.createDirectories(tmp.resolve("asker-deploy"));
        final Path serverDeploy = Files.createDirectories(tmp.resolve("server-deploy"));
        Files.write(askerDeploy.resolve("protocol.jar"), BusFixtures.protocol());
        Files.write(askerDeploy.resolve("requester.jar"), requester(3001, 16, 3002));
        Files.write(serverDeploy.resolve("protocol.jar"), BusFixtures.protocol());
        Files.write(serverDeploy.resolve("inline-responder.jar"), inlineResponder());
        // One node after the other: two JVMs starting at once on a loaded machine may miss READY's bound.
        try (DistributionNode server = node(tmp, "server", topology, serverDeploy).start().awaitReady();
             DistributionNode asker = node(tmp, "asker", topology, askerDeploy).start().awaitReady()) {
            final String line = asker.awaitOutput("mycelium-e2e: requester answered", TIMEOUT);
            assertTrue(line.contains("answered " + COUNT + " of " + COUNT), line + "\n--- server:\n"
                + server.output());
        }
    }

    @Test
    void shouldDeliverEveryReplyToRemoteRequesterWhenPythonSubscribesInline(@TempDir final Path tmp)
            throws Exception {
        final Path topology = topology(tmp);
        final Path askerDeploy = Files.createDirectories(tmp.resolve("asker-deploy"));
        final Path serverDeploy = Files.createDirectories(tmp.resolve("server-deploy"));
        final Path examples = DistributionNode.distribution().resolve("deploy/examples.jar");
        Files.copy(examples, askerDeploy.resolve("examples.jar"));
        // PredictionRequest (1103): u64 id + 16 f32 = 72 bytes; PredictionResponse (1104) starts with request_id.
        Files.write(askerDeploy.resolve("requester.jar"), requester(1103, 72, 1104));
        Files.copy(examples, serverDeploy.resolve("examples.jar"));
        // One node after the other: two JVMs starting at once on a loaded machine may miss READY's bound.
        try (DistributionNode server = node(tmp, "server", topology, serverDeploy).start().awaitReady();
             DistributionNode asker = node(tmp, "asker", topology, askerDeploy).start().awaitReady()) {
            server.deployText("inline_model.py", String.join("\n",
                "import time",
                "from mycelium_native import Runtime",
                "from mycelium_protocol import SCHEMA_DIGEST",
                "from mycelium_protocol.messages import PredictionRequest, PredictionResponse",
                "runtime = Runtime(schema_digest=SCHEMA_DIGEST)",
                "def answer(req):",
                "    runtime.publish(PredictionResponse(request_id=req.id, prediction=1.0))",
                "runtime.subscribe(PredictionRequest, answer, inline=True)",
                "print('inline_model: answering PredictionRequest inline')",
                "while True:",
                "    time.sleep(30)",
                ""));
            server.awaitOutput("inline_model: answering PredictionRequest inline", TIMEOUT);
            final String line = asker.awaitOutput("mycelium-e2e: requester answered", TIMEOUT);
            assertTrue(line.contains("answered " + COUNT + " of " + COUNT), line + "\n--- server:\n"
                + server.output());
        }
    }

    private static Path topology(final Path tmp) throws IOException {
        return TestFiles.writeAtomically(tmp.resolve("topology.toml"), String.join("\n",
            "socket_dir = \"" + tmp.resolve("sock") + "\"",
            "[[nodes]]", "name = \"asker\"", "services = []", "endpoint.kind = \"unix\"",
            "[[nodes]]", "name = \"server\"", "services = [\"inline_model\"]", "endpoint.kind = \"unix\"", ""));
    }

    private static DistributionNode.Builder node(final Path tmp, final String name, final Path topology,
            final Path deploy) {
        return DistributionNode.builder().node(name).topology(topology).deploy(deploy)
            .data(tmp.resolve(name + "-data"));
    }

    private static byte[] requester(final int requestType, final int requestSize, final int responseType) {
        final String pkg = RawRequester.class.getPackageName();
        return new FixtureJar(pkg, "1.0.0")
            .header("Import-Package", API)
            .classesOf(pkg)
            .component(pkg, NS + "name=\"" + pkg + "\" immediate=\"true\" init=\"2\" deactivate=\"deactivate\">\n"
                + "  <implementation class=\"" + RawRequester.class.getName() + "\"/>\n"
                + "  <property name=\"request.type\" value=\"" + requestType + "\"/>\n"
                + "  <property name=\"request.size\" value=\"" + requestSize + "\"/>\n"
                + "  <property name=\"response.type\" value=\"" + responseType + "\"/>\n"
                + "  <property name=\"count\" value=\"" + COUNT + "\"/>\n"
                + "  <reference name=\"bus\" interface=\"io.mycelium.api.MessageBus\" parameter=\"0\"/>\n"
                + "</scr:component>\n")
            .build();
    }

    private static byte[] inlineResponder() {
        final String pkg = InlinePingResponder.class.getPackageName();
        return new FixtureJar(pkg, "1.0.0")
            .header("Import-Package", API + ",io.mycelium.api.request;version=\"[1.0,2)\","
                + "io.mycelium.itests.fixture.protocol;version=\"[1.0,2)\"")
            .classesOf(pkg)
            .component(pkg, NS + "name=\"" + pkg + "\" immediate=\"true\" init=\"1\" deactivate=\"deactivate\">\n"
                + "  <implementation class=\"" + InlinePingResponder.class.getName() + "\"/>\n"
                + "  <reference name=\"bus\" interface=\"io.mycelium.api.MessageBus\" parameter=\"0\"/>\n"
                + "</scr:component>\n")
            .build();
    }
}
