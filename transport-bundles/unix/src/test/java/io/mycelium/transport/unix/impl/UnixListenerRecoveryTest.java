package io.mycelium.transport.unix.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.Delivery;
import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.testsupport.RawSchema;
import io.mycelium.testsupport.StderrCapture;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.LinkState;
import io.mycelium.transport.stream.OverflowPolicy;
import io.mycelium.transport.stream.StreamTransport;
import io.mycelium.transport.stream.TransportCounter;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listener whose socket file is deleted or replaced (a clean-up script, another process) must notice and bind its
 * path again: otherwise, once a link drops, no peer can ever reach the node again and every message to it is lost.
 */
class UnixListenerRecoveryTest {

    private static final int TYPE = 1007;
    private static final RawSchema SCHEMA = new RawSchema("recovery", new byte[32], Map.of(TYPE, 8));

    @TempDir
    Path dir;

    @Test
    void shouldReportLostAddressWhenSocketFileIsDeletedOrReplaced() throws Exception {
        final Path socket = dir.resolve("node.sock");
        final UnixEndpoints endpoints = new UnixEndpoints(UnixEndpoints.DEFAULT_MODE);
        try (ServerSocketChannel server = endpoints.listen(socket.toString())) {
            assertNull(endpoints.lostAddress(server, socket.toString()), "intact");
            Files.delete(socket);
            assertEquals("socket file " + socket + " was deleted", endpoints.lostAddress(server, socket.toString()));
            try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                other.bind(UnixDomainSocketAddress.of(socket));
                final String lost = endpoints.lostAddress(server, socket.toString());
                assertTrue(lost != null && lost.contains("replaced by another socket"), lost);
            }
            Files.delete(socket);
            Files.writeString(socket, "not a socket");
            final String lost = endpoints.lostAddress(server, socket.toString());
            assertTrue(lost != null && lost.contains("replaced by a file that is not a socket"), lost);
        }
    }

    @Test
    void shouldRebindAndCarryMessagesAgainWhenListenerSocketFileIsDeleted() throws Exception {
        final Path socket = dir.resolve("alpha.sock");
        final LoopbackBus alphaBus = new LoopbackBus();
        final AtomicLong received = new AtomicLong();
        alphaBus.subscribeRaw(TYPE, (id, payload) -> received.incrementAndGet(), Delivery.INLINE);
        final LoopbackBus betaBus = new LoopbackBus();
        try (StderrCapture log = StderrCapture.start();
                StreamTransport alpha = transport("alpha", alphaBus);
                StreamTransport beta = transport("beta", betaBus)) {
            alpha.start(socket.toString(), Map.of());
            beta.start("", Map.of("alpha", socket.toString()));
            Await.until("link open", () -> alpha.stats().links().size() == 1, () -> alpha.stats().toString());
            awaitDelivered(betaBus, received);

            Files.delete(socket);
            Await.until("listener bound again", () -> alpha.stats().counter(TransportCounter.LISTENER_REBINDS) == 1,
                    () -> alpha.stats() + "\n" + log.text());
            assertTrue(Files.exists(socket), "the socket file is back");
            // the counter is incremented just before the WARN is written: wait for the line itself
            Await.until("WARN written", () -> !log.lines("bound it again").isEmpty(), log::text);
            final String line = log.lines("bound it again").get(0);
            assertTrue(line.contains("WARN") && line.contains("socket file " + socket + " was deleted"), line);

            // The link drops (the peer restarts, a network hiccup): the dialer must reach the node again.
            beta.close();
            Await.until("old link gone", () -> alpha.stats().links().isEmpty(), () -> alpha.stats().toString());
            try (StreamTransport again = transport("beta", betaBus)) {
                again.start("", Map.of("alpha", socket.toString()));
                Await.until("relinked", () -> again.stats().peers().get(0).state() == LinkState.CONNECTED,
                        () -> again.stats() + "\n" + log.text());
                awaitDelivered(betaBus, received);
            }
        }
    }

    private static void awaitDelivered(final LoopbackBus from, final AtomicLong received) {
        final long before = received.get();
        Await.until("a message crosses the link", () -> {
            from.publishRaw(TYPE, ByteBuffer.allocate(8));
            return received.get() > before;
        });
    }

    private static StreamTransport transport(final String node, final LoopbackBus bus) {
        final LinkSettings settings = new LinkSettings(node, 8, 1024, 1_000, 1024, OverflowPolicy.DROP_NEWEST, 256,
                100, 2_000, 10, 100, 1_000, false, LinkSettings.DEFAULT_READ_SPIN_MICROS);
        return new StreamTransport(settings, new UnixEndpoints(UnixEndpoints.DEFAULT_MODE), bus, SCHEMA);
    }
}
