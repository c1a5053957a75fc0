package io.mycelium.transport.stream;

import static io.mycelium.transport.stream.LinkFixture.SIZE_A;
import static io.mycelium.transport.stream.LinkFixture.TYPE_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.LoopbackBus;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Python SDK ({@code clients/python/mycelium}) as a client of a Java listener over a Unix socket,
 * with the v1 and the legacy handshake: a message each way. Skipped when python3 or the SDK sources are missing.
 */
class PythonSdkInteropTest {

    private static final Path SDK = Path.of("../../clients/python").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"v1", "legacy"})
    void shouldExchangeMessagesWithPythonSdkClient(final String mode) throws Exception {
        assumeTrue(Files.isDirectory(SDK.resolve("mycelium")), "Python SDK sources not found at " + SDK);
        final Path script = dir.resolve("sdk_client.py");
        try (var in = getClass().getResourceAsStream("/interop/sdk_client.py")) {
            Files.copy(in, script);
        }
        try (LinkFixture fixture = new LinkFixture("unix", dir)) {
            final LoopbackBus bus = LinkFixture.wanting(TYPE_A);
            final StreamTransport node = fixture.listener("node", bus);
            final Process python;
            try {
                python = new ProcessBuilder("python3", script.toString(), SDK.toString(), node.listenAddress(),
                        LinkFixture.DIGEST.toHex(), mode).redirectErrorStream(true).start();
            } catch (final java.io.IOException e) {
                assumeTrue(false, "python3 is not available: " + e.getMessage());
                return;
            }
            final List<String> output = new ArrayList<>();
            final Thread pump = new Thread(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(python.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        synchronized (output) {
                            output.add(line);
                        }
                    }
                } catch (final java.io.IOException e) {
                    synchronized (output) {
                        output.add("output pump failed: " + e);
                    }
                }
            });
            pump.start();
            try {
                Await.until("the client's message", () -> bus.fromPeer(TYPE_A).size() == 1, () -> lines(output));
                final ByteBuffer got = ByteBuffer.wrap(bus.fromPeer(TYPE_A).get(0).payload())
                        .order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(7, got.getLong(0));
                assertEquals(8, got.getInt(8));
                assertEquals(9, got.getInt(12));

                Await.until("the client's subscription", () -> bus.taps(TYPE_A) == 1, () -> lines(output));
                final ByteBuffer reply = ByteBuffer.allocate(SIZE_A).order(ByteOrder.LITTLE_ENDIAN);
                reply.putLong(0, 1).putInt(8, 2).putInt(12, 3);
                bus.publishRaw(TYPE_A, ByteBuffer.wrap(reply.array()));
                Await.until("the client's report", () -> lines(output).contains("GOT 1 2 3"), () -> lines(output));
                assertEquals(true, python.waitFor(10, TimeUnit.SECONDS), lines(output));
                assertEquals(0, python.exitValue(), lines(output));
            } finally {
                python.destroyForcibly();
                pump.join(5_000);
            }
        }
    }

    private static String lines(final List<String> output) {
        synchronized (output) {
            return String.join("\n", output);
        }
    }
}
