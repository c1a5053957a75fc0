package io.mycelium.transport.stream;

import io.mycelium.protocol.control.ControlDescriptor;
import io.mycelium.protocol.control.ControlFrameCodec;
import io.mycelium.protocol.control.ControlFrameException;
import io.mycelium.protocol.control.Goodbye;
import io.mycelium.protocol.control.GoodbyeReason;
import io.mycelium.protocol.control.Ping;
import io.mycelium.protocol.control.Subscribe;
import io.mycelium.protocol.frame.FrameDecoder;
import io.mycelium.protocol.handshake.HandshakeCodec;
import io.mycelium.protocol.handshake.Hello;
import io.mycelium.protocol.handshake.RejectReason;
import io.mycelium.protocol.handshake.ReplyReader;
import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.ByteMutator;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.testsupport.TestFiles;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterProperty;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static io.mycelium.transport.stream.LinkFixture.DIGEST;
import static io.mycelium.transport.stream.LinkFixture.SIZE_A;
import static io.mycelium.transport.stream.LinkFixture.SIZE_B;
import static io.mycelium.transport.stream.LinkFixture.TYPE_A;
import static io.mycelium.transport.stream.LinkFixture.TYPE_B;
import static io.mycelium.transport.stream.TransportCounter.CONTROL_IGNORED;
import static io.mycelium.transport.stream.TransportCounter.FRAMES_OVERSIZE;
import static io.mycelium.transport.stream.TransportCounter.FRAMES_TRUNCATED;
import static io.mycelium.transport.stream.TransportCounter.FRAMES_UNKNOWN_TYPE;
import static io.mycelium.transport.stream.TransportCounter.FRAMES_WRONG_SIZE;
import static io.mycelium.transport.stream.TransportCounter.HANDSHAKE_DIGEST_MISMATCH;
import static io.mycelium.transport.stream.TransportCounter.HANDSHAKE_MALFORMED;
import static io.mycelium.transport.stream.TransportCounter.HANDSHAKE_TIMEOUTS;
import static io.mycelium.transport.stream.TransportCounter.LINKS_OPENED;
import static io.mycelium.transport.stream.TransportCounter.PROTOCOL_ERRORS;
import static io.mycelium.transport.stream.TransportCounter.REJECTED_TOO_MANY_CONNECTIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes a live link (docs/fuzzing.md): a real {@link StreamTransport} listening on a real Unix socket or TCP on
 * 127.0.0.1 gets random and mutated handshakes (seeded from a valid v1 HELLO and a legacy handshake) and mutated
 * frames after a valid handshake, one connection per try. Invariants: the server answers each bad input with a
 * REJECT or GOODBYE carrying a reason, or counts it; it never sends a malformed reply; each connection's link ends;
 * a good client connected after each bad one still gets a message through; no thread or file descriptor is left
 * behind. Tries: {@code jqwik.tries.default} (junit-platform.properties; the fuzz profile raises it).
 */
class LiveLinkFuzzTest {

    /** Counters that say a handshake was dealt with (refused, timed out or opened). */
    private static final TransportCounter[] HANDSHAKE_OUTCOMES = {HANDSHAKE_MALFORMED, HANDSHAKE_DIGEST_MISMATCH,
        HANDSHAKE_TIMEOUTS, REJECTED_TOO_MANY_CONNECTIONS, LINKS_OPENED};
    /** Counters that say a bad frame was dropped or closed the link. */
    private static final TransportCounter[] FRAME_ERRORS = {FRAMES_UNKNOWN_TYPE, FRAMES_WRONG_SIZE, CONTROL_IGNORED,
        PROTOCOL_ERRORS, FRAMES_OVERSIZE, FRAMES_TRUNCATED};

    /** At most this many mutations per input: a near-valid input gets further into the server. */
    private static final int MUTATIONS = 3;

    private Path dir;
    private LinkFixture fixture;
    private LoopbackBus bus;
    private StreamTransport server;
    private int baselineThreads;
    private long baselineDescriptors;
    private int tries;

    @Property
    void shouldAnswerOrCountEveryMutatedHandshakeWhenUnix(@ForAll final long seed) throws Exception {
        handshakeTry("unix", seed);
    }

    @Property
    void shouldAnswerOrCountEveryMutatedHandshakeWhenTcp(@ForAll final long seed) throws Exception {
        handshakeTry("tcp", seed);
    }

    @Property
    void shouldGoodbyeOrCountEveryMutatedFrameWhenUnix(@ForAll final long seed) throws Exception {
        frameTry("unix", seed);
    }

    @Property
    void shouldGoodbyeOrCountEveryMutatedFrameWhenTcp(@ForAll final long seed) throws Exception {
        frameTry("tcp", seed);
    }

    /** Found by this fuzz test: a peer's name went raw into the node's WARN lines, so a line feed forged a line. */
    @Example
    void shouldRejectMalformedWhenHelloNameHoldsControlCharacter() throws Exception {
        start("tcp");
        final byte[] hello = HandshakeCodec.encode(Hello.of(DIGEST, "evil-x"));
        hello[hello.length - 2] = '\n';
        final ReplyReader reply = new ReplyReader();
        reply.feed(ByteBuffer.wrap(exchange(hello)));
        assertEquals(ReplyReader.Status.REJECTED, reply.status());
        assertEquals(RejectReason.MALFORMED, reply.reject().reason());
        assertTrue(reply.reject().text().contains("control character U+000A"), reply.reject().text());
        afterTry();
    }

    private void handshakeTry(final String kind, final long seed) throws Exception {
        start(kind);
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] valid = random.nextBoolean() ? HandshakeCodec.encode(Hello.of(DIGEST, "fuzz"))
                : HandshakeCodec.encodeLegacy(DIGEST);
        byte[] input = random.nextInt(10) == 0 ? ByteMutator.randomBytes(random, 80)
                : ByteMutator.mutate(valid, random, MUTATIONS);
        if (random.nextInt(4) == 0) {
            input = concat(input, ByteMutator.mutate(goodFrames(), random, MUTATIONS));
        }
        final long[] before = counters(HANDSHAKE_OUTCOMES);
        final byte[] answer = exchange(input);
        String outcome = "closed without a reply";
        if (answer.length > 0) { // a legacy client that was let in gets no reply (and no data: none is published)
            final ReplyReader reply = new ReplyReader();
            reply.feed(ByteBuffer.wrap(answer));
            assertTrue(reply.status() == ReplyReader.Status.ACCEPTED || reply.status() == ReplyReader.Status.REJECTED,
                    () -> "the server's answer must be a well-formed ACCEPT or REJECT: " + reply.status() + " "
                            + reply.failure() + " for " + hex(answer));
            if (reply.status() == ReplyReader.Status.REJECTED) {
                assertNotNull(reply.reject().reason());
                assertFalse(reply.reject().text().isEmpty(), "a REJECT must say why");
            }
            outcome = reply.status() == ReplyReader.Status.ACCEPTED ? "ACCEPT" : "REJECT " + reply.reject().reason();
        }
        Statistics.label("answer").collect(outcome);
        Await.until("the handshake was refused, timed out or opened (counted)",
                () -> sum(counters(HANDSHAKE_OUTCOMES)) > sum(before));
        afterTry();
    }

    private void frameTry(final String kind, final long seed) throws Exception {
        start(kind);
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] frames = random.nextInt(10) == 0 ? ByteMutator.randomBytes(random, 200)
                : ByteMutator.mutate(goodFrames(), random, MUTATIONS);
        final long[] before = counters(FRAME_ERRORS);
        final byte[] answer = exchange(concat(HandshakeCodec.encode(Hello.of(DIGEST, "fuzz")), frames));
        final ReplyReader reply = new ReplyReader();
        final ByteBuffer in = ByteBuffer.wrap(answer);
        assertEquals(ReplyReader.Status.ACCEPTED, reply.feed(in), "a valid HELLO is accepted");
        final Goodbye goodbye = goodbyeIn(in);
        if (goodbye != null) {
            assertNotEquals(GoodbyeReason.UNKNOWN, goodbye.reason());
            assertFalse(goodbye.text().isEmpty(), "a GOODBYE must say why");
        }
        final boolean bad = isBad(frames);
        Statistics.label("answer").collect((bad ? "bad frames, " : "good frames, ")
                + (goodbye == null ? "no GOODBYE" : "GOODBYE " + goodbye.reason()));
        if (bad) {
            Await.until("a bad frame got a GOODBYE or was counted",
                    () -> goodbye != null || sum(counters(FRAME_ERRORS)) > sum(before));
        }
        afterTry();
    }

    /** Checks, after each bad connection, that its link is gone and that a good client still gets through. */
    private void afterTry() throws IOException {
        Await.until("the fuzzed link ended", () -> server.stats().links().isEmpty(),
                () -> server.stats().links().toString());
        final int received = bus.fromPeer().size();
        try (RawPeer good = RawPeer.open(fixture.endpoints, server.listenAddress())) {
            good.hello(DIGEST, "good");
            assertEquals(ReplyReader.Status.ACCEPTED, good.reply().status(), "a good client is accepted");
            good.write(RawPeer.frameBytes(TYPE_A, new byte[SIZE_A]));
            Await.until("the good client's message arrived", () -> bus.fromPeer().size() == received + 1);
        }
        Await.until("the good link ended", () -> server.stats().links().isEmpty());
        tries++;
    }

    /** Sends {@code input}, closes the sending half, and returns everything the server sent until it closed. */
    private byte[] exchange(final byte[] input) throws IOException {
        try (SocketChannel channel = fixture.endpoints.connect(server.listenAddress(), 2_000)) {
            final ByteBuffer out = ByteBuffer.wrap(input);
            try {
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                channel.shutdownOutput();
            } catch (final IOException closed) {
                // The server may close as soon as it has seen enough (a bad prefix): what it answered still counts.
            }
            final ByteArrayOutputStream answer = new ByteArrayOutputStream();
            final ByteBuffer buffer = ByteBuffer.allocate(8192);
            final long deadline = System.nanoTime() + Await.TIMEOUT_MILLIS * 1_000_000;
            while (true) {
                buffer.clear();
                final int read;
                try {
                    read = channel.read(buffer);
                } catch (final IOException reset) {
                    break;
                }
                if (read < 0) {
                    break;
                }
                answer.write(buffer.array(), 0, read);
                assertTrue(System.nanoTime() < deadline, "the server did not close the fuzzed connection");
            }
            return answer.toByteArray();
        }
    }

    private void start(final String kind) throws IOException {
        if (server != null) {
            return;
        }
        dir = Files.createTempDirectory("fuzz");
        fixture = new LinkFixture(kind, dir);
        bus = LoopbackBus.recording();
        server = fixture.listener("server", bus);
        baselineThreads = transportThreads();
        baselineDescriptors = openDescriptors();
    }

    @AfterProperty
    void checkNothingLeaked() throws IOException {
        if (server == null) {
            return;
        }
        try {
            Await.until("no link left open", () -> server.stats().links().isEmpty());
            Await.until("no link thread left after " + tries + " tries", () -> transportThreads() <= baselineThreads,
                    () -> transportThreads() + " transport threads, " + baselineThreads + " before");
            // A little slack: the JVM itself may open a file (a jar, a log) while the tries run.
            Await.until("no file descriptor left after " + tries + " tries",
                    () -> openDescriptors() <= baselineDescriptors + 4,
                    () -> openDescriptors() + " open, " + baselineDescriptors + " before");
        } finally {
            fixture.close();
            TestFiles.deleteRecursively(dir);
        }
    }

    private long[] counters(final TransportCounter... which) {
        final long[] values = new long[which.length];
        for (int i = 0; i < which.length; i++) {
            values[i] = server.stats().counter(which[i]);
        }
        return values;
    }

    private static long sum(final long[] values) {
        long total = 0;
        for (final long value : values) {
            total += value;
        }
        return total;
    }

    /** Counts the transports' threads (acceptor, control, link readers and writers), not the JVM's or jqwik's. */
    private static int transportThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("mycelium-")).count();
    }

    private static long openDescriptors() {
        final File[] open = new File("/proc/self/fd").listFiles();
        return open == null ? 0 : open.length;
    }

    /** A valid v1 frame sequence: data of both types, a SUBSCRIBE and a PING. */
    private static byte[] goodFrames() {
        return concat(RawPeer.frameBytes(TYPE_A, new byte[SIZE_A]), ControlFrameCodec.toBytes(new Subscribe(
                List.of(TYPE_A, TYPE_B))), RawPeer.frameBytes(TYPE_B, new byte[SIZE_B]),
                ControlFrameCodec.toBytes(new Ping(42)));
    }

    /**
     * Whether the server must report something about {@code frames}: reads them as the link does, up to the first
     * frame that ends the link (a GOODBYE, a broken control frame, a header above the maximum).
     */
    private static boolean isBad(final byte[] frames) {
        final FrameDecoder decoder = new FrameDecoder(LinkFixture.settings("x").maxPayloadLength());
        final ByteBuffer in = ByteBuffer.wrap(frames);
        int status;
        while ((status = decoder.decode(in)) == FrameDecoder.FRAME) {
            final int typeId = decoder.typeId();
            if (typeId >= ControlDescriptor.FIRST_APPLICATION_TYPE_ID) {
                final int size = typeId == TYPE_A ? SIZE_A : typeId == TYPE_B ? SIZE_B : -1;
                if (size != decoder.payloadLength()) {
                    return true;
                }
            } else if (!ControlDescriptor.isKnownControlType(typeId)) {
                return true;
            } else {
                try {
                    if (ControlFrameCodec.decode(typeId, decoder.payloadBuffer(), decoder.payloadOffset(),
                            decoder.payloadLength()) instanceof Goodbye) {
                        return false; // the server closes here, whatever follows
                    }
                } catch (final ControlFrameException e) {
                    return true;
                }
            }
        }
        return status == FrameDecoder.PAYLOAD_TOO_LARGE || decoder.endOfStream() != FrameDecoder.CLEAN_END;
    }

    /** Returns the first GOODBYE among the frames the server sent, or null. */
    private static Goodbye goodbyeIn(final ByteBuffer in) {
        final FrameDecoder decoder = new FrameDecoder();
        while (decoder.decode(in) == FrameDecoder.FRAME) {
            if (decoder.typeId() == ControlDescriptor.GOODBYE) {
                return (Goodbye) ControlFrameCodec.decode(decoder.typeId(), decoder.payloadBuffer(),
                        decoder.payloadOffset(), decoder.payloadLength());
            }
        }
        return null;
    }

    private static byte[] concat(final byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String hex(final byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
