package io.mycelium.transport.stream.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.testsupport.RawSchema;
import io.mycelium.testsupport.StderrCapture;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.LinkState;
import io.mycelium.transport.stream.OverflowPolicy;
import io.mycelium.transport.stream.PeerLinkState;
import io.mycelium.transport.stream.StreamEndpoints;
import io.mycelium.transport.stream.StreamTransport;
import io.mycelium.transport.stream.TransportStats;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that stays unreachable (its socket file is gone): the dialer keeps saying so in the log (rate-limited, with
 * the count of attempts), not once and then never again, and the peer's link state is visible in the stats.
 */
class LinkDialerStateTest {

    private static final RawSchema SCHEMA = new RawSchema("dialer", new byte[32], Map.of());

    @TempDir
    Path dir;

    @Test
    void shouldKeepReportingAndShowFailingStateWhenPeerStaysUnreachable() throws Exception {
        final Path absent = dir.resolve("gone.sock");
        final LinkSettings settings = new LinkSettings("alpha", 8, 1024, 1_000, 64, OverflowPolicy.DROP_NEWEST, 256,
                100, 600, 10, 20, 1_000, false, LinkSettings.DEFAULT_READ_SPIN_MICROS);
        try (StderrCapture log = StderrCapture.start();
                StreamTransport transport = new StreamTransport(settings, new UnixOnly(), new LoopbackBus(),
                        SCHEMA)) {
            transport.start("", Map.of("omega", absent.toString()));
            Await.until("several failed attempts", () -> transport.stats().peers().get(0).consecutiveFailures() >= 3,
                    () -> transport.stats().toString());
            final TransportStats stats = transport.stats();
            final PeerLinkState peer = stats.peers().get(0);
            assertEquals("omega", peer.peer());
            assertEquals(absent.toString(), peer.address());
            assertEquals(LinkState.FAILING, peer.state());
            assertTrue(peer.attempts() >= 3, peer.toString());
            assertTrue(peer.lastError().contains(absent.toString()), peer.toString());
            Await.until("a repeated failure logged again", () -> !log.lines("still failing after").isEmpty(),
                    log::text);
            final String line = log.lines("still failing after").get(0);
            assertTrue(line.contains("WARN") && line.contains("link to omega at " + absent), line);
            assertTrue(line.contains("consecutive attempts"), line);
        }
    }

    /** Unix endpoints that only dial. */
    private static final class UnixOnly implements StreamEndpoints {
        @Override
        public String kind() {
            return "unix";
        }

        @Override
        public ServerSocketChannel listen(final String address) throws IOException {
            throw new IOException("not listening");
        }

        @Override
        public String boundAddress(final ServerSocketChannel server) {
            return "";
        }

        @Override
        public void release(final String address) {
        }

        @Override
        public SocketChannel connect(final String address, final int timeoutMillis) throws IOException {
            return SocketChannel.open(UnixDomainSocketAddress.of(address));
        }

        @Override
        public void configure(final SocketChannel channel) {
        }
    }
}
