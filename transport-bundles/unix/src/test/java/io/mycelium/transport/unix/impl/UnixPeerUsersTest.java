package io.mycelium.transport.unix.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.ConfigurationException;
import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.testsupport.RawSchema;
import io.mycelium.testsupport.StderrCapture;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.OverflowPolicy;
import io.mycelium.transport.stream.PeerLinkState;
import io.mycelium.transport.stream.StreamTransport;
import io.mycelium.transport.stream.TransportCounter;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code peer.uids}: the Unix listener checks the connecting process's user (SO_PEERCRED); a peer whose user is not
 * listed gets REJECT UNAUTHORISED with the reason, is counted, and is logged at WARN naming the user and the socket,
 * once per window however often it retries.
 */
class UnixPeerUsersTest {

    private static final RawSchema SCHEMA = new RawSchema("peers", new byte[32], Map.of(1007, 8));
    /** This process's user: the one every test peer runs as. */
    private static final String SELF = System.getProperty("user.name");
    /** A uid no test runs as (the lookup takes an unknown number as a uid). */
    private static final String STRANGER = "4242";

    @TempDir
    Path dir;

    @Test
    void shouldOpenLinkWhenPeerUidsListsThePeersUser() throws Exception {
        final Path socket = dir.resolve("alpha.sock");
        try (StreamTransport alpha = transport("alpha", SELF + "," + STRANGER);
                StreamTransport beta = transport("beta")) {
            alpha.start(socket.toString(), Map.of());
            beta.start("", Map.of("alpha", socket.toString()));
            Await.until("link open", () -> alpha.stats().links().size() == 1, () -> alpha.stats().toString());
            assertEquals(0, alpha.stats().counter(TransportCounter.REJECTED_UNAUTHORISED));
        }
    }

    @Test
    void shouldRejectUnauthorisedAndWarnOnceWhenPeersUserIsNotListed() throws Exception {
        final Path socket = dir.resolve("alpha.sock");
        try (StderrCapture log = StderrCapture.start();
                StreamTransport alpha = transport("alpha", STRANGER);
                StreamTransport beta = transport("beta")) {
            alpha.start(socket.toString(), Map.of());
            beta.start("", Map.of("alpha", socket.toString()));
            // the dialer retries: several refusals, one WARN within the limiter's window
            Await.until("refused repeatedly", () -> alpha.stats().counter(TransportCounter.REJECTED_UNAUTHORISED) >= 3,
                    () -> alpha.stats() + "\n" + log.text());
            final PeerLinkState peer = beta.stats().peers().get(0);
            assertTrue(peer.lastError().contains("UNAUTHORISED") && peer.lastError().contains("user '" + SELF + "'")
                    && peer.lastError().contains(socket.toString()), peer.lastError());
            assertEquals(0, alpha.stats().links().size(), alpha.stats().toString());
            assertEquals(1, log.lines("refused a peer (UNAUTHORISED)").size(), log.text());
            final String line = log.lines("refused a peer (UNAUTHORISED)").get(0);
            assertTrue(line.contains("WARN") && line.contains("user '" + SELF + "'") && line.contains(socket.toString())
                    && line.contains("peer.uids admits only [" + STRANGER + "]"), line);
        }
    }

    @Test
    void shouldNamePidPropertyAndEntryWhenPeerUidsNamesNoUser() {
        final ConfigurationException e = assertThrows(ConfigurationException.class, () -> UnixTransportComponent
                .endpoints(UnixEndpoints.DEFAULT_MODE, new String[] {SELF + ", no-such-user-x9"}));
        assertTrue(e.getMessage().startsWith("io.mycelium.transport.unix: peer.uids entry 'no-such-user-x9' is"
                + " neither a user of this host nor a numeric uid"), e.getMessage());
        assertTrue(e.getMessage().contains("etc/io.mycelium.transport.unix~<name>.cfg"), e.getMessage());
        assertThrows(ConfigurationException.class, () -> UnixTransportComponent.endpoints(UnixEndpoints.DEFAULT_MODE,
                new String[] {"-1"}));
    }

    @Test
    void shouldAdmitAnyPeerWhenPeerUidsIsEmpty() {
        assertTrue(PeerUsers.parse(new String[0]).admitsAny());
        assertTrue(PeerUsers.parse(new String[] {" , "}).admitsAny());
    }

    private static StreamTransport transport(final String node, final String... peerUids) {
        final LinkSettings settings = new LinkSettings(node, 8, 1024, 1_000, 1024, OverflowPolicy.DROP_NEWEST, 256,
                100, 2_000, 10, 100, 1_000, false, LinkSettings.DEFAULT_READ_SPIN_MICROS);
        return new StreamTransport(settings, UnixTransportComponent.endpoints(UnixEndpoints.DEFAULT_MODE, peerUids),
                new LoopbackBus(), SCHEMA);
    }
}
