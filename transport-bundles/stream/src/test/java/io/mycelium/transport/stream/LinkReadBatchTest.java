package io.mycelium.transport.stream;

import static io.mycelium.transport.stream.LinkFixture.SIZE_A;
import static io.mycelium.transport.stream.LinkFixture.SIZE_B;
import static io.mycelium.transport.stream.LinkFixture.TYPE_A;
import static io.mycelium.transport.stream.LinkFixture.TYPE_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.Delivery;
import io.mycelium.bus.impl.BusSettings;
import io.mycelium.bus.impl.MessageBusImpl;
import io.mycelium.protocol.control.ControlDescriptor;
import io.mycelium.protocol.control.Goodbye;
import io.mycelium.protocol.control.GoodbyeReason;
import io.mycelium.testsupport.Await;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader's side of a link into the real bus: many frames of one read are delivered in order, each lent to the
 * subscribers in place (a run of one type in one call to the bus), and a frame split across two reads at any offset
 * arrives whole; a corrupt frame in the middle of a read closes the link after the good frames before it.
 */
class LinkReadBatchTest {

    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryFrameWholeWhenStreamIsSplitAtEveryOffsetOrSentInOneWrite() throws Exception {
        final MessageBusImpl bus = new MessageBusImpl(BusSettings.defaults());
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        bus.subscribeRaw(TYPE_A, (typeId, payload) -> record(seen, typeId, payload), Delivery.INLINE);
        bus.subscribeRaw(TYPE_B, (typeId, payload) -> record(seen, typeId, payload), Delivery.INLINE);
        try (LinkFixture f = new LinkFixture("tcp", dir)) {
            final StreamTransport server = f.listener("server", bus);
            final RawPeer peer = connect(f, server);
            // Three frames, 52 bytes: split at every offset, the two parts in two reads.
            final ByteArrayOutputStream three = new ByteArrayOutputStream();
            final List<String> expected = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                final int typeId = i == 1 ? TYPE_B : TYPE_A;
                final byte[] payload = payload(typeId == TYPE_A ? SIZE_A : SIZE_B, i);
                three.write(RawPeer.frameBytes(typeId, payload));
                expected.add(typeId + ":" + Arrays.toString(payload));
            }
            final byte[] stream = three.toByteArray();
            long sent = bytesReceived(server);
            for (int split = 0; split <= stream.length; split++) {
                seen.clear();
                for (final byte[] part : new byte[][] {Arrays.copyOfRange(stream, 0, split),
                        Arrays.copyOfRange(stream, split, stream.length)}) {
                    if (part.length == 0) {
                        continue;
                    }
                    peer.write(part);
                    sent += part.length;
                    final long want = sent;
                    // The first part is read (and decoded as far as it goes) before the second is sent.
                    Await.until("bytes read", () -> bytesReceived(server) == want);
                }
                Await.until("three frames", () -> seen.size() == 3);
                assertEquals(expected, seen, "split at " + split);
            }

            // Many frames in one write: most are cut out of one read each and lent in place.
            seen.clear();
            final ByteArrayOutputStream many = new ByteArrayOutputStream();
            final List<String> manyExpected = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                final byte[] payload = payload(SIZE_A, i);
                many.write(RawPeer.frameBytes(TYPE_A, payload));
                manyExpected.add(TYPE_A + ":" + Arrays.toString(payload));
            }
            peer.write(many.toByteArray());
            Await.until("5000 frames", () -> seen.size() == 5_000);
            assertEquals(manyExpected, seen);
            peer.close();
        } finally {
            bus.close();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldDeliverRunsInOrderAndCountEveryFrameWhenBurstsOfOneTypeArriveInOneWrite(final boolean inline)
            throws Exception {
        final MessageBusImpl bus = new MessageBusImpl(BusSettings.defaults());
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        // Inline subscribers take a run in one call; a queued one makes the reader hand the frames one by one.
        final Delivery delivery = inline ? Delivery.INLINE : Delivery.queued();
        bus.subscribeRaw(TYPE_A, (typeId, payload) -> record(seen, typeId, payload), delivery);
        bus.subscribeRaw(TYPE_B, (typeId, payload) -> record(seen, typeId, payload), Delivery.INLINE);
        try (LinkFixture f = new LinkFixture("unix", dir)) {
            final StreamTransport server = f.listener("server", bus);
            final RawPeer peer = connect(f, server);
            final ByteArrayOutputStream burst = new ByteArrayOutputStream();
            final List<String> expected = new ArrayList<>();
            // Runs of 1 to 40 frames of one type, types alternating, and the odd frame of type A too short
            // (skipped and counted, ending a run).
            int frame = 0;
            int wrongSize = 0;
            for (int run = 0; run < 60; run++) {
                final int typeId = run % 2 == 0 ? TYPE_A : TYPE_B;
                for (int i = 0; i <= run % 40; i++, frame++) {
                    final byte[] payload = payload(typeId == TYPE_A ? SIZE_A : SIZE_B, frame);
                    burst.write(RawPeer.frameBytes(typeId, payload));
                    expected.add(typeId + ":" + Arrays.toString(payload));
                }
                if (run % 7 == 3) {
                    burst.write(RawPeer.frameBytes(TYPE_A, new byte[SIZE_A - 1]));
                    wrongSize++;
                }
            }
            peer.write(burst.toByteArray());
            Await.until(expected.size() + " frames", () -> seen.size() == expected.size());
            if (inline) {
                assertEquals(expected, seen, "every frame, in order, once");
            } else {
                // Two subscribers on two threads: each type's frames in order, once.
                for (final String type : new String[] {TYPE_A + ":", TYPE_B + ":"}) {
                    assertEquals(expected.stream().filter(e -> e.startsWith(type)).toList(),
                            List.copyOf(seen).stream().filter(e -> e.startsWith(type)).toList(), type);
                }
            }
            final int frames = expected.size();
            Await.until("frames counted",
                    () -> server.stats().counter(TransportCounter.FRAMES_RECEIVED) == frames);
            assertEquals(frames, server.stats().links().get(0).framesReceived(), "the link's own count");
            assertEquals(wrongSize, server.stats().counter(TransportCounter.FRAMES_WRONG_SIZE));
            assertEquals(frames, bus.stats().type(TYPE_A).delivered() + bus.stats().type(TYPE_B).delivered());
            peer.close();
        } finally {
            bus.close();
        }
    }

    @Test
    void shouldDeliverGoodFramesOfRunThenCloseWithReasonWhenFrameMidBatchIsCorrupt() throws Exception {
        final MessageBusImpl bus = new MessageBusImpl(BusSettings.defaults());
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        bus.subscribeRaw(TYPE_A, (typeId, payload) -> record(seen, typeId, payload), Delivery.INLINE);
        try (LinkFixture f = new LinkFixture("unix", dir)) {
            final StreamTransport server = f.listener("server", bus);
            final RawPeer peer = connect(f, server);
            final ByteArrayOutputStream batch = new ByteArrayOutputStream();
            final List<String> expected = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                final byte[] payload = payload(SIZE_A, i);
                batch.write(RawPeer.frameBytes(TYPE_A, payload));
                expected.add(TYPE_A + ":" + Arrays.toString(payload));
            }
            // The sixth frame's header is corrupt: same type, a length far above the type's size; then good frames
            // that must never be delivered.
            final ByteBuffer corrupt = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
            corrupt.putShort((short) TYPE_A).putInt(1_000_000);
            batch.write(corrupt.array());
            for (int i = 0; i < 3; i++) {
                batch.write(RawPeer.frameBytes(TYPE_A, payload(SIZE_A, 100 + i)));
            }
            peer.write(batch.toByteArray());
            final Goodbye goodbye = (Goodbye) peer.control(ControlDescriptor.GOODBYE);
            assertEquals(GoodbyeReason.FRAME_TOO_LARGE, goodbye.reason());
            assertTrue(goodbye.text().contains("1000000"), goodbye.text());
            peer.drainUntilClosed();
            Await.until("the five good frames", () -> seen.size() == 5);
            assertEquals(expected, seen, "the frames before the corrupt one, in order, and nothing after it");
            assertEquals(1, server.stats().counter(TransportCounter.FRAMES_OVERSIZE));
            assertEquals(5, server.stats().counter(TransportCounter.FRAMES_RECEIVED));
            peer.close();
        } finally {
            bus.close();
        }
    }

    @Test
    void shouldAllocateNothingOnReaderThreadWhenEveryReadEndsInsideFrame() throws Exception {
        final MessageBusImpl bus = new MessageBusImpl(BusSettings.defaults());
        final long[] received = new long[1];
        bus.subscribeRaw(TYPE_A, (typeId, payload) -> received[0]++, Delivery.INLINE);
        try (LinkFixture f = new LinkFixture("unix", dir)) {
            final StreamTransport server = f.listener("server", bus);
            final RawPeer peer = connect(f, server);
            final Thread reader = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("mycelium-unix-link-raw-reader")).findFirst().orElseThrow();
            final com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            // Each write is the end of a frame (assembled in the decoder), a whole frame (lent in place) and the
            // start of the next: the two sources of payloads alternate on every read, and the reader waits in its
            // selector between reads.
            final byte[] frame = RawPeer.frameBytes(TYPE_A, payload(SIZE_A, 1));
            final int cut = 9;
            long sent = bytesReceived(server) + cut;
            peer.write(Arrays.copyOfRange(frame, 0, cut));
            final ByteArrayOutputStream step = new ByteArrayOutputStream();
            step.write(frame, cut, frame.length - cut);
            step.write(frame);
            step.write(frame, 0, cut);
            final byte[] bytes = step.toByteArray();
            long allocatedBefore = 0;
            for (int i = 0; i < 700; i++) {
                if (i == 200) {
                    // Warmed up: from here on the reader thread must not allocate.
                    allocatedBefore = threads.getThreadAllocatedBytes(reader.getId());
                }
                peer.write(bytes);
                sent += bytes.length;
                final long want = sent;
                Await.until("bytes read", () -> bytesReceived(server) == want);
            }
            final long allocated = threads.getThreadAllocatedBytes(reader.getId()) - allocatedBefore;
            Await.until("every frame", () -> server.stats().counter(TransportCounter.FRAMES_RECEIVED) == 2 * 700);
            assertTrue(allocated < 8 * 1024, "the reader thread allocated " + allocated + " bytes over 500 reads"
                    + " that each end inside a frame; a view or a selector key node per read made ~75 KiB");
            peer.close();
        } finally {
            bus.close();
        }
    }

    private static RawPeer connect(final LinkFixture f, final StreamTransport server) throws Exception {
        final RawPeer peer = RawPeer.open(f.endpoints, server.listenAddress());
        peer.hello(LinkFixture.DIGEST, "raw");
        peer.reply();
        Await.until("link open", () -> server.stats().links().size() == 1);
        return peer;
    }

    private static long bytesReceived(final StreamTransport server) {
        return server.stats().links().get(0).bytesReceived();
    }

    private static byte[] payload(final int size, final int seed) {
        final byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (seed * 31 + i);
        }
        return payload;
    }

    private static void record(final List<String> seen, final int typeId, final java.nio.ByteBuffer payload) {
        final byte[] bytes = new byte[payload.remaining()];
        payload.get(payload.position(), bytes);
        seen.add(typeId + ":" + Arrays.toString(bytes));
    }
}
