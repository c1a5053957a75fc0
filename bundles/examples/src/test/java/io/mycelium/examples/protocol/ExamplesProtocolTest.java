package io.mycelium.examples.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The generated example protocol: digest, sizes, and Java/Python agreement on the seed snippets' messages. */
class ExamplesProtocolTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void shouldCarryDigestOfContractsFile() throws Exception {
        final byte[] digest = MessageDigest.getInstance("SHA-256")
            .digest(Files.readAllBytes(Path.of("src/main/contracts/contracts.yaml")));
        assertEquals(HEX.formatHex(digest), ExamplesSchema.DIGEST_HEX);
        assertArrayEquals(digest, ExamplesSchema.INSTANCE.digest());
        assertEquals(14, ExamplesSchema.INSTANCE.types().size());
        final String init = Files.readString(Path.of("target/classes/python/mycelium_protocol/__init__.py"));
        assertEquals(true, init.contains(ExamplesSchema.DIGEST_HEX));
    }

    @Test
    void shouldKeepSixtyFourByteMessagesForBenchmarks() {
        assertEquals(64, MarketData.SIZE);
        assertEquals(64, TradeSignal.SIZE);
        assertEquals("market-data", MarketData.TOPIC);
        assertEquals(312, TextMessage.SIZE);
        assertEquals(224, BatchOperation.SIZE);
    }

    @Test
    void shouldAgreeWithPythonOnSeedSnippetMessages() throws Exception {
        final MarketData data = new MarketData("BTC", 1.5, 2.5, 2.0, 10.0, 7L);
        final ByteBuffer buffer = ByteBuffer.allocate(MarketData.SIZE);
        MarketData.TYPE.encode(data, buffer, 0);
        final List<String> lines = python(HEX.formatHex(buffer.array()));
        final TradeSignal signal = TradeSignal.TYPE.decode(ByteBuffer.wrap(HEX.parseHex(lines.get(0))), 0);
        assertEquals(TradeSignal.builder().symbol("BTC").action("buy").build(), signal);
        for (final String line : lines.subList(1, 3)) {
            final Result result = Result.TYPE.decode(ByteBuffer.wrap(HEX.parseHex(line)), 0);
            final ByteBuffer floats = ByteBuffer.wrap(result.data()).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(List.of(2f, 4f, 6f), List.of(floats.getFloat(0), floats.getFloat(4), floats.getFloat(8)));
        }
    }

    private static List<String> python(final String argument) throws IOException, InterruptedException {
        final ProcessBuilder builder = new ProcessBuilder("python3", "src/test/resources/seed_snippets.py", argument);
        builder.environment().put("PYTHONPATH", Path.of("target/classes/python").toAbsolutePath().toString());
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        builder.redirectErrorStream(true);
        final Process process;
        try {
            process = builder.start();
        } catch (final IOException e) {
            Assumptions.abort("python3 not found, seed snippet check skipped: " + e.getMessage());
            throw e;
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("seed_snippets.py failed:\n" + output);
        }
        return output.lines().toList();
    }
}
