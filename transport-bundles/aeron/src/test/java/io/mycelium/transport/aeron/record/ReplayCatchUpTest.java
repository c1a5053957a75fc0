package io.mycelium.transport.aeron.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.FreePort;
import io.mycelium.testsupport.TestFiles;
import io.mycelium.transport.aeron.impl.AeronDriver;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A publisher node (driver, archive, recorded IPC publication, archive control on 127.0.0.1) and a subscriber node
 * (its own driver on 127.0.0.2) in one JVM, with real Aeron: the subscriber replays, catches up and follows live,
 * stops, misses messages and catches up from its checkpoint with every sequence number once and in order; a
 * subscriber that stops reading never holds the publisher back.
 */
class ReplayCatchUpTest {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayCatchUpTest.class);
    private static final int STREAM = 77;

    private Path dir;
    private AeronDriver publisherDriver;
    private AeronDriver subscriberDriver;
    private RecordingArchive archive;
    private Aeron publisherClient;
    private Aeron subscriberClient;
    private Publication publication;
    private int archivePort;
    private long nextSeq;
    /** The publish time stamped in the frames' reserved value, as the node's recorder does (epoch ms). */
    private long publishTime = 1_000;
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
    private final List<Long> received = new ArrayList<>();

    @BeforeEach
    void startNodes() throws Exception {
        dir = Files.createTempDirectory("replay-catch-up");
        publisherDriver = AeronDriver.embedded(dir.resolve("pub-driver"), "pub", LOG);
        subscriberDriver = AeronDriver.embedded(dir.resolve("sub-driver"), "sub", LOG);
        archivePort = FreePort.on("127.0.0.1");
        // segments of one term (1 MiB), so the retention test purges after a few MiB
        archive = RecordingArchive.launch(dir.resolve("archive"), publisherDriver.directory(), "127.0.0.1",
                archivePort, 1 << 20, "pub", LOG);
        publisherClient = Aeron.connect(new Aeron.Context().aeronDirectoryName(publisherDriver.directory()
                .toString()));
        subscriberClient = Aeron.connect(new Aeron.Context().aeronDirectoryName(subscriberDriver.directory()
                .toString()));
        archive.record(RecordedChannels.RECORDED, STREAM);
        // 1 MiB terms, not the node's 4 MiB: an archive segment holds at least one term, and the retention test
        // needs 1 MiB segments
        publication = publisherClient.addExclusivePublication(RecordedChannels.RECORDED + "?term-length=1m", STREAM);
        Await.until("the archive to record the publication", publication::isConnected);
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (final AutoCloseable c : new AutoCloseable[] {publication, subscriberClient, publisherClient, archive,
                subscriberDriver, publisherDriver}) {
            if (c != null) {
                c.close();
            }
        }
        TestFiles.deleteRecursively(dir);
    }

    /** Publishes numbered messages; fails when one cannot be offered for 10 s (the publisher is held back). */
    private void publish(final int count) {
        for (int i = 0; i < count; i++) {
            message.putLong(0, nextSeq, ByteOrder.LITTLE_ENDIAN);
            final long deadline = System.nanoTime() + 10_000_000_000L;
            long result;
            while ((result = publication.offer(message, 0, message.capacity(), (b, o, l) -> publishTime)) < 0) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("message " + nextSeq + " could not be published for 10 s (offer "
                            + result + ")");
                }
                Thread.onSpinWait();
            }
            nextSeq++;
        }
    }

    private ReplayCatchUp subscriber(final ReplayCheckpoint checkpoint, final int archive) {
        return subscriber(checkpoint, archive, ReplayStart.ALL);
    }

    private ReplayCatchUp subscriber(final ReplayCheckpoint checkpoint, final int archive, final ReplayStart start) {
        return new ReplayCatchUp(subscriberClient, "pub", "127.0.0.1", archive, "127.0.0.2", STREAM,
                checkpoint, start, (buffer, offset, length, header) -> received.add(buffer.getLong(offset,
                ByteOrder.LITTLE_ENDIAN)), LOG);
    }

    /** What a test does with a started subscriber. */
    private interface Session {
        void run(ReplayCatchUp catchUp) throws Exception;
    }

    /** Opens the subscriber's checkpoint, starts a subscriber from it, runs the session, then closes both. */
    private void withSubscriber(final ReplayStart start, final Session session) throws Exception {
        try (ReplayCheckpoint checkpoint = ReplayCheckpoint.open(dir.resolve("sub/pub.pos"));
                ReplayCatchUp catchUp = subscriber(checkpoint, archivePort, start)) {
            catchUp.start();
            session.run(catchUp);
        }
    }

    private void awaitReceived(final ReplayCatchUp catchUp, final long count) {
        Await.until(count + " messages", 30_000, () -> {
            catchUp.poll();
            return received.size() >= count;
        }, () -> "received " + received.size() + ", state " + catchUp.state() + ", " + catchUp.lastProblem());
    }

    private static void awaitLive(final ReplayCatchUp catchUp) {
        Await.until("the replay to catch up", () -> catchUp.poll() >= 0
                && catchUp.state() == ReplayCatchUp.State.LIVE, () -> catchUp.state() + " " + catchUp.lastProblem());
    }

    private void assertInSequence() {
        for (int i = 0; i < received.size(); i++) {
            assertEquals(i, received.get(i), "message " + i + " of " + received.size() + " (gap or duplicate)");
        }
    }

    @Test
    void shouldReplayMissedMessagesThenContinueLiveWhenRestartedFromItsCheckpoint() throws Exception {
        publish(500);
        withSubscriber(ReplayStart.ALL, first -> {
            awaitReceived(first, 500);
            awaitLive(first);
            publish(100); // live
            awaitReceived(first, 600);
            assertTrue(first.replayed() >= 500, "replayed " + first.replayed());
        });
        publish(300); // while the subscriber is away
        withSubscriber(ReplayStart.ALL, second -> {
            awaitReceived(second, 900);
            awaitLive(second);
            publish(100);
            awaitReceived(second, 1000);
            assertEquals(0, second.failures(), second.lastProblem());
        });
        assertEquals(1000, received.size());
        assertInSequence();
    }

    @Test
    void shouldNeverHoldThePublisherBackWhenASubscriberStopsReading() throws Exception {
        publish(100);
        withSubscriber(ReplayStart.ALL, slow -> {
            awaitReceived(slow, 100);
            awaitLive(slow);
            // the subscriber stops polling (a stalled or killed node): 40 000 messages of 96-byte frames, about
            // 3.7 MiB, far more than its receiver window and the publication's own window (2 MiB); with a live
            // stream flow-controlled by its receivers this publish was held back and the recording lost messages
            publish(40_000);
            awaitReceived(slow, 40_100);
            assertEquals(0, slow.failures(), slow.lastProblem());
        });
        assertInSequence();
    }

    @Test
    void shouldStartAtTheFirstMessagePublishedAtOrAfterTheAskedTimeWhenItHasNoCheckpoint() throws Exception {
        publishTime = 1_000;
        publish(100);
        publishTime = 2_000;
        publish(100);
        withSubscriber(ReplayStart.parse("test", java.time.Instant.ofEpochMilli(1_500).toString()), late -> {
            awaitLive(late);
            awaitReceived(late, 100);
            assertEquals(100, late.skipped());
            publish(10);
            awaitReceived(late, 110);
        });
        for (int i = 0; i < received.size(); i++) {
            assertEquals(100 + i, received.get(i), "message " + i + ": from the first published at 2000 ms, in order");
        }
    }

    @Test
    void shouldStartAtTheLiveEndWhenAskedAndResumeFromItsCheckpointAfterwards() throws Exception {
        publish(100);
        withSubscriber(ReplayStart.parse("test", "live"), live -> {
            awaitLive(live);
            publish(10);
            awaitReceived(live, 10);
        });
        publish(20); // while away: the checkpoint wins over "live" on the way back
        withSubscriber(ReplayStart.parse("test", "live"), back -> awaitReceived(back, 30));
        for (int i = 0; i < received.size(); i++) {
            assertEquals(100 + i, received.get(i), "message " + i);
        }
    }

    @Test
    void shouldReadReplayStartsAndRefuseOthersNamingWhereAndWhatIsAccepted() {
        assertEquals(ReplayStart.Kind.ALL, ReplayStart.parse("t", "").kind());
        assertEquals(ReplayStart.Kind.LIVE, ReplayStart.parse("t", "now").kind());
        assertEquals(295_000, ReplayStart.parse("t", "5m").sinceEpochMillis(595_000));
        assertEquals(1_500, ReplayStart.parse("t", "1970-01-01T00:00:01.500Z").sinceEpochMillis(9_999));
        for (final String bad : new String[] {"5", "0m", "yesterday", "5 parsecs", "2026-12-05"}) {
            final Exception e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.mycelium.api.ConfigurationException.class, () -> ReplayStart.parse("etc/config.properties",
                            bad), bad);
            assertTrue(e.getMessage().startsWith("etc/config.properties: mycelium.aeron.replay.from = '" + bad
                    + "'") && e.getMessage().contains("ISO-8601"), e.getMessage());
        }
    }

    @Test
    void shouldRetryAndSayWhyWhenTheArchiveIsUnreachable() throws Exception {
        final int nobody = FreePort.on("127.0.0.1");
        try (ReplayCheckpoint checkpoint = ReplayCheckpoint.open(dir.resolve("sub/none.pos"));
                ReplayCatchUp catchUp = subscriber(checkpoint, nobody)) {
            catchUp.start();
            Await.until("the unreachable archive said", 30_000, () -> catchUp.poll() >= 0
                    && catchUp.failures() > 0, catchUp::lastProblem);
            assertEquals(ReplayCatchUp.State.WAITING, catchUp.state());
            assertTrue(catchUp.lastProblem().contains("retrying"), catchUp.lastProblem());
            assertTrue(catchUp.lastProblem().contains("unreachable") && catchUp.lastProblem().contains(
                    "127.0.0.1:" + nobody), catchUp.lastProblem());
            assertEquals(1, catchUp.failures());
        }
    }

    @Test
    void shouldSayHowMuchHistoryIsLostWhenRetentionRemovedWhereTheSubscriberStopped() throws Exception {
        publish(10);
        withSubscriber(ReplayStart.ALL, first -> awaitReceived(first, 10));
        final long before = archive.diskBytes();
        publish(40_000); // 96-byte frames: about 3.7 MiB, four 1 MiB segments
        final long removed = archive.applyRetention(RecordingRetention.parse("test", "1MiB"));
        assertTrue(removed >= 2 << 20, "removed " + removed);
        assertTrue(archive.diskBytes() < before + (4 << 20) - removed + (1 << 20), "disk " + archive.diskBytes());
        received.clear();
        withSubscriber(ReplayStart.ALL, second -> {
            Await.until("the lost history said", 30_000, () -> second.poll() >= 0 && second.failures() > 0,
                    second::lastProblem);
            assertEquals(1, second.failures(), second.lastProblem());
            assertTrue(second.lostBytes() > 1 << 20, "lost " + second.lostBytes());
            assertTrue(second.lastProblem().contains("removed by the archive's retention"), second.lastProblem());
            publish(1);
            Await.until("the last message", 30_000, () -> {
                second.poll();
                return !received.isEmpty() && received.get(received.size() - 1) == nextSeq - 1;
            }, () -> "received " + received.size() + ", " + second.state());
            for (int i = 1; i < received.size(); i++) {
                assertEquals(received.get(i - 1) + 1, received.get(i), "in order after the loss");
            }
        });
    }

    @Test
    void shouldReadRetentionAsSizeAgeOrBothAndRefuseOthersNamingWhere() {
        assertEquals(new RecordingRetention(512L << 20, java.time.Duration.ZERO),
                RecordingRetention.parse("t", "512MiB"));
        assertEquals(new RecordingRetention(2L << 30, java.time.Duration.ofHours(24)),
                RecordingRetention.parse("t", "24h, 2GiB"));
        for (final String bad : new String[] {"", "12", "5 parsecs", "0MiB", "0h", "1h,2h"}) {
            final Exception e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.mycelium.api.ConfigurationException.class, () -> RecordingRetention.parse("topology.toml:7",
                            bad), bad);
            assertTrue(e.getMessage().startsWith("topology.toml:7: retention '" + bad + "'"), e.getMessage());
        }
    }
}
