package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.examples.protocol.ExamplesSchema;
import io.mycelium.testsupport.FreePort;
import io.mycelium.testsupport.TestFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording and replay over Aeron, end to end: node {@code feed} (127.0.0.1) records MarketData
 * ({@code record = ["MarketData"]}); it publishes {@value #HISTORY} numbered messages, then, after a time T, the load
 * generator publishes it numbered 1..N again; node {@code sink} (127.0.0.2) joins late with
 * {@code mycelium.aeron.replay.from = T} in its etc/config.properties and counts MarketData with the recorder, which
 * also checks the numbers: it starts at the first message published at or after T (number 1 of the second run,
 * none of the history). The sink is SIGKILLed mid-stream while
 * publishing goes on, then restarted with the same data folder: it replays from the archive exactly from where it
 * stopped (its checkpoint), catches up and receives {@value #LIVE} more live, with no gap and no repeat, and the feed
 * never had to drop a recorded message (the killed sink held nothing back).
 */
class RecordReplayIT {

    /** More than the test waits for: publishing goes on through the kill, the restart and the switch to live. */
    private static final long MESSAGES = 1_000_000;
    /** The load generator's rate: 1000/s (it ticks every millisecond, so lower rates also ran at 1000/s). */
    private static final long RATE = 1_000;
    /** Messages published before the sink first joins, and before the time it asks to start from. */
    private static final long HISTORY = 300;
    /** Messages the restarted sink must receive live, after the replay, before the test ends. */
    private static final long LIVE = 200;
    private static final Pattern REPLAYED = Pattern.compile("stream is live after replaying (\\d+) messages");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern SEQUENCE = Pattern.compile(
            "MarketData seq first=(\\d+) last=(\\d+) gaps=(\\d+) repeats=(\\d+)[^\\n]*");

    @Test
    void shouldReplayWhatItMissedThenContinueLiveWithoutGapOrRepeatWhenKilledSubscriberRestarts(
            @TempDir final Path tmp) throws Exception {
        final long started = System.nanoTime();
        final int feedPort = FreePort.on("127.0.0.1");
        final int sinkPort = FreePort.on("127.0.0.2");
        final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"), String.join("\n",
                "[[nodes]]", "name = \"feed\"", "services = [\"java-load-generator\"]", "host = \"127.0.0.1\"",
                "port = " + feedPort, "endpoint.kind = \"aeron\"", "record = [\"MarketData\"]",
                "[[nodes]]", "name = \"sink\"", "services = [\"java-recorder\"]", "host = \"127.0.0.2\"",
                "port = " + sinkPort, "endpoint.kind = \"aeron\"", ""));
        final Path checkpoint = tmp.resolve("sink-data/aeron-replay/sink/feed.pos");
        try (DistributionNode feed = node(tmp, "feed", topology).start().awaitReady()) {
            feed.awaitOutput("Aeron archive recording into", TIMEOUT);
            // history the sink does not want: numbered 1..HISTORY, all published before `from`
            ExampleServices.startLoad(feed, "history", "MarketData", HISTORY, 0);
            feed.awaitOutput("java-load-generator[history]: published " + HISTORY + " MarketData in", TIMEOUT);
            final Instant from = Instant.ofEpochMilli(System.currentTimeMillis() + 1);
            ExampleServices.startLoad(feed, "replay", "MarketData", MESSAGES, RATE);
            final long before;
            try (DistributionNode sink = sink(tmp, topology, from).start().awaitReady()) {
                sink.awaitOutput("skipping messages published before " + from, TIMEOUT);
                ExampleServices.awaitRecorded(sink, "MarketData", 300, TIMEOUT);
                sink.kill();
                before = ExampleServices.recorded(sink, "MarketData");
                final Matcher joined = sequence(sink.output());
                assertEquals("1", joined.group(1), "the late joiner starts at the first message published at or"
                        + " after " + from + ": " + joined.group() + diagnosis(feed, sink));
                assertEquals("0", joined.group(3), "no gap before the kill: " + joined.group());
                assertEquals("0", joined.group(4), "none of the " + HISTORY + " earlier messages (numbered 1..) was"
                        + " delivered: " + joined.group());
            }
            final long stoppedAt = position(checkpoint);
            // the setting is still there: a node with a checkpoint resumes from it
            try (DistributionNode sink = sink(tmp, topology, from).start().awaitReady()) {
                sink.awaitOutput("from position " + stoppedAt + " (where this node stopped)", TIMEOUT);
                final Matcher merged = REPLAYED.matcher(sink.awaitOutput("stream is live after replaying", TIMEOUT));
                assertTrue(merged.find(), sink.output());
                final long replayed = Long.parseLong(merged.group(1));
                assertTrue(replayed > 0, "the restarted sink replayed what it missed");
                sink.awaitTrue("a MarketData sequence summary", TIMEOUT,
                        () -> SEQUENCE.matcher(sink.output()).find());
                final long first = Long.parseLong(sequence(sink.output()).group(1));
                sink.awaitTrue(LIVE + " live messages after the " + replayed + " replayed", TIMEOUT,
                        () -> Long.parseLong(sequence(sink.output()).group(2)) >= first + replayed + LIVE);
                final Matcher seq = sequence(sink.output());
                assertEquals("0", seq.group(3), "gaps after the restart: " + seq.group() + diagnosis(feed, sink));
                assertEquals("0", seq.group(4), "repeats after the restart: " + seq.group() + diagnosis(feed, sink));
                assertFalse(feed.output().contains("was not recorded"), "the feed dropped recorded messages (back"
                        + " pressure on its recorded publication)" + diagnosis(feed, sink));
                // every MarketData frame has the same length (Aeron's 32-byte header, the WIRE frame, 32-byte
                // alignment), so a stream position counts messages
                final int size = ExamplesSchema.INSTANCE.types().stream().filter(t -> t.name().equals("MarketData"))
                        .findFirst().orElseThrow().size();
                final long frameLength = (32 + 6 + size + 31) / 32 * 32;
                assertEquals(stoppedAt / frameLength + 1 - HISTORY, first, "the restarted sink starts right after"
                        + " the last message the killed one delivered (position " + stoppedAt + ", frames of "
                        + frameLength + " bytes, after " + HISTORY + " of history)");
                assertTrue(first > before, "the killed sink logged " + before + " messages; the restarted one"
                        + " starts at " + first);
            }
        }
        System.out.println("RecordReplayIT took " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
    }

    /** The last sequence summary of the recorder. */
    private static Matcher sequence(final String output) {
        final Matcher m = SEQUENCE.matcher(output);
        Matcher last = null;
        while (m.find()) {
            last = SEQUENCE.matcher(m.group());
            last.matches();
        }
        assertTrue(last != null, "the recorder logged no MarketData sequence:\n" + output);
        return last;
    }

    /** What the two nodes said about recording and replay, for a failure message: where a gap came from. */
    private static String diagnosis(final DistributionNode feed, final DistributionNode sink) {
        final StringBuilder out = new StringBuilder("\n--- feed (WARN and recording) ---\n");
        feed.output().lines().filter(l -> l.contains("WARN") || l.contains("record")).forEach(l -> out.append(l)
                .append('\n'));
        out.append("--- sink (WARN, replay and live) ---\n");
        sink.output().lines().filter(l -> l.contains("WARN") || l.contains("replay") || l.contains("live"))
                .forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    /** The stream position a subscriber's checkpoint file holds (recording id, then position; big-endian). */
    private static long position(final Path checkpoint) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(checkpoint)).getLong(8);
    }

    /** The sink, its etc/config.properties asking a first join to start at {@code from}. */
    private static DistributionNode.Builder sink(final Path tmp, final Path topology, final Instant from)
            throws IOException {
        return node(tmp, "sink", topology).privateHome(etc -> {
            try {
                Files.writeString(etc.resolve("config.properties"), "\nmycelium.aeron.replay.from = " + from + "\n",
                        StandardOpenOption.APPEND);
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static DistributionNode.Builder node(final Path tmp, final String name, final Path topology)
            throws IOException {
        final Path deploy = Files.createDirectories(tmp.resolve(name + "-deploy"));
        for (final String jar : List.of("examples.jar", "examples-services.jar")) {
            final Path target = deploy.resolve(jar);
            if (!Files.exists(target)) {
                Files.copy(DistributionNode.distribution().resolve("deploy").resolve(jar), target);
            }
        }
        Files.writeString(deploy.resolve(ExampleServices.FAST_RECORDER_CFG), ExampleServices.FAST_RECORDER);
        return DistributionNode.builder().node(name).topology(topology).deploy(deploy)
                .data(tmp.resolve(name + "-data"));
    }
}
