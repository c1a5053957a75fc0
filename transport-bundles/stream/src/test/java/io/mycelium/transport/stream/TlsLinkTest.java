package io.mycelium.transport.stream;

import static io.mycelium.transport.stream.LinkFixture.SIZE_A;
import static io.mycelium.transport.stream.LinkFixture.TYPE_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.protocol.handshake.Reject;
import io.mycelium.protocol.handshake.RejectReason;
import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.testsupport.StderrCapture;
import io.mycelium.testsupport.TestCertificates;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS 1.3 between two nodes over TCP loopback, and every way it is refused: the listener is node {@code b},
 * which knows node {@code a} as its peer; {@code a} dials it (names sort so that {@code a} dials).
 */
class TlsLinkTest {

    @TempDir
    Path dir;

    private LinkFixture links;
    private TestCertificates certificates;
    private StderrCapture log;

    @BeforeEach
    void setUp() throws Exception {
        links = new LinkFixture("tcp", dir);
        certificates = TestCertificates.create(dir.resolve("tls"), "a", "b", "ab");
        log = StderrCapture.start();
    }

    @AfterEach
    void tearDown() {
        links.close();
        log.close();
    }

    private StreamTransport listenerB(final LinkSecurity security, final LoopbackBus bus) throws Exception {
        return links.start(TlsFixture.settings("b"), security, bus, links.listenAddress("b"),
                Map.of("a", "127.0.0.1:9", "ab", "127.0.0.1:9"));
    }

    private StreamTransport dialerA(final LinkSecurity security, final LoopbackBus bus, final StreamTransport b)
            throws Exception {
        return links.start(TlsFixture.settings("a"), security, bus, "", Map.of("b", b.listenAddress()));
    }

    private static PeerLinkState peer(final StreamTransport dialer) {
        return dialer.stats().peers().get(0);
    }

    @Test
    void shouldExchangeFramesOverTls13WhenBothNodesHaveCertificatesOfOneCa() throws Exception {
        final LoopbackBus busB = LinkFixture.wanting(TYPE_A);
        final LoopbackBus busA = LinkFixture.wanting();
        final StreamTransport b = listenerB(TlsFixture.tls(certificates, "b"), busB);
        final StreamTransport a = dialerA(TlsFixture.tls(certificates, "a"), busA, b);
        Await.until("a knows b wants type A", () -> LinkFixture.peerWants(a, "b", 1), () -> a.stats().toString());

        for (int i = 0; i < 100; i++) {
            busA.publishRaw(TYPE_A, ByteBuffer.allocate(SIZE_A).putInt(0, i));
        }

        Await.until("b received 100 frames", () -> busB.fromPeer().size() == 100, () -> b.stats().toString());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, ByteBuffer.wrap(busB.fromPeer().get(i).payload()).getInt(0), "frame order");
        }
        assertEquals("TLSv1.3", a.stats().links().get(0).tlsProtocol());
        assertEquals("TLSv1.3", b.stats().links().get(0).tlsProtocol());
        assertTrue(peer(a).tls(), peer(a).toString());
        assertEquals(LinkState.CONNECTED, peer(a).state());
        assertTrue(log.text().contains("tcp link to b open (v1, TLSv1.3"), log.text());
    }

    @Test
    void shouldRefuseOnBothSidesWhenServerCertificateNamesAnotherNode() throws Exception {
        final StreamTransport b = listenerB(TlsFixture.tls(certificates, "ab"), LinkFixture.wanting());
        final StreamTransport a = dialerA(TlsFixture.tls(certificates, "a"), LinkFixture.wanting(), b);

        Await.until("a's dial failed", () -> peer(a).state() == LinkState.FAILING, () -> a.stats().toString());
        assertTrue(peer(a).lastError().contains("certificate names 'ab'") && peer(a).lastError()
                .contains("the topology puts node 'b' at this address"), peer(a).lastError());
        Await.until("b logged the refusal", () -> !log.lines("TLS handshake from").isEmpty());
        assertTrue(log.lines("TLS handshake from").get(0).contains("the peer refused this node's certificate"),
                log.text());
        assertTrue(a.stats().counter(TransportCounter.TLS_HANDSHAKE_FAILURES) >= 1);
        assertTrue(b.stats().counter(TransportCounter.TLS_HANDSHAKE_FAILURES) >= 1);
        assertTrue(b.stats().links().isEmpty());
    }

    @Test
    void shouldRefuseOnBothSidesWhenPeerCertificateComesFromAnotherCa() throws Exception {
        final TestCertificates other = TestCertificates.create(dir.resolve("other"), "a");
        final LinkSecurity foreign = new LinkSecurity(Optional.of(TlsFixture.identity(other, "a", certificates)),
                PlaintextPolicy.LOOPBACK, PlaintextPolicy.LOOPBACK);
        final StreamTransport b = listenerB(TlsFixture.tls(certificates, "b"), LinkFixture.wanting());
        final StreamTransport a = dialerA(foreign, LinkFixture.wanting(), b);

        Await.until("b logged the untrusted certificate", () -> log.lines("TLS handshake from").stream()
                .anyMatch(line -> line.contains("signed by the CA of tls.ca")), log::text);
        Await.until("a's dial failed", () -> peer(a).state() == LinkState.FAILING
                && peer(a).lastError().contains("the peer refused this node's certificate"), () -> peer(a).toString());
        assertTrue(b.stats().links().isEmpty());
    }

    @Test
    void shouldRefuseOnBothSidesWhenPeerCertificateHasExpired() throws Exception {
        TlsFixture.expire(certificates, "a");
        final StreamTransport b = listenerB(TlsFixture.tls(certificates, "b"), LinkFixture.wanting());
        final StreamTransport a = dialerA(TlsFixture.tls(certificates, "a"), LinkFixture.wanting(), b);

        Await.until("b logged the expired certificate", () -> log.lines("TLS handshake from").stream()
                .anyMatch(line -> line.contains("has expired")), log::text);
        Await.until("a heard why", () -> peer(a).lastError().contains("expired"), () -> peer(a).toString());
    }

    @Test
    void shouldRefuseHelloWhenItNamesANodeTheCertificateDoesNotName() throws Exception {
        final LinkSecurity impostor = new LinkSecurity(Optional.of(TlsFixture.identity(certificates, "ab",
                certificates)), PlaintextPolicy.LOOPBACK, PlaintextPolicy.LOOPBACK);
        final StreamTransport b = listenerB(TlsFixture.tls(certificates, "b"), LinkFixture.wanting());
        final StreamTransport a = dialerA(impostor, LinkFixture.wanting(), b);

        Await.until("a was refused", () -> peer(a).lastError().contains("UNAUTHORISED"), () -> peer(a).toString());
        assertTrue(peer(a).lastError().contains("claims to be node 'a' but its certificate names 'ab'"),
                peer(a).lastError());
        assertTrue(log.text().contains("claims to be node 'a' but its certificate names 'ab'"), log.text());
        assertTrue(b.stats().counter(TransportCounter.REJECTED_UNAUTHORISED) >= 1);
    }

    @Test
    void shouldAdmitClientActingForANodeWhenItsCertificateNamesThatNode() throws Exception {
        final LoopbackBus busB = LinkFixture.wanting(TYPE_A);
        final StreamTransport b = listenerB(TlsFixture.tls(certificates, "b"), busB);
        final StreamTransport client = links.start(TlsFixture.settings("py-service"), TlsFixture.tls(certificates,
                "a"), LinkFixture.wanting(), "", Map.of("b", b.listenAddress()));

        Await.until("b admitted the client", () -> LinkFixture.linked(b, "py-service"), () -> b.stats().toString());
        assertTrue(log.text().contains("presents the certificate of node 'a': admitted as a client of node 'a'"),
                log.text());
        Await.until("the client's link is connected", () -> peer(client).state() == LinkState.CONNECTED);
    }

    @Test
    void shouldRefusePlaintextPeerWithReasonWhenPolicyRequiresTls() throws Exception {
        final StreamTransport b = listenerB(TlsFixture.tls(certificates, "b", PlaintextPolicy.NEVER),
                LinkFixture.wanting(TYPE_A));
        final StreamTransport a = dialerA(LinkSecurity.DEFAULT, LinkFixture.wanting(), b);

        Await.until("a was refused", () -> peer(a).lastError().contains("UNAUTHORISED"), () -> peer(a).toString());
        assertTrue(peer(a).lastError().contains("plaintext.peers = never"), peer(a).lastError());
        assertTrue(log.text().contains("refused client 'a' at /127.0.0.1"), log.text());
        assertTrue(b.stats().counter(TransportCounter.REJECTED_UNAUTHORISED) >= 1);
        assertTrue(b.stats().links().isEmpty());
    }

    @Test
    void shouldAdmitPlaintextPeerFromLoopbackByDefaultWhenTlsIsConfigured() throws Exception {
        final StreamTransport b = listenerB(TlsFixture.tls(certificates, "b"), LinkFixture.wanting());
        final StreamTransport a = dialerA(LinkSecurity.DEFAULT, LinkFixture.wanting(), b);

        Await.until("linked in plaintext", () -> LinkFixture.linked(b, "a"), () -> b.stats().toString());
        assertFalse(b.stats().links().get(0).tls());
        assertFalse(peer(a).tls());
    }

    @Test
    void shouldRefuseTlsClientAtPlaintextListenerWithReasonOnBothSides() throws Exception {
        final StreamTransport b = listenerB(LinkSecurity.DEFAULT, LinkFixture.wanting());
        final StreamTransport a = dialerA(TlsFixture.tls(certificates, "a"), LinkFixture.wanting(), b);

        Await.until("a heard why", () -> peer(a).lastError().contains("it may have no TLS configured"),
                () -> peer(a).toString());
        Await.until("b logged it", () -> log.text().contains("connected, but this listener has no TLS configured"));
        assertTrue(b.stats().counter(TransportCounter.TLS_HANDSHAKE_FAILURES) >= 1);
    }

    @Test
    void shouldCloseLegacyClientWithoutDeliveringWhenPolicyRefusesIt() throws Exception {
        final LoopbackBus busB = LinkFixture.wanting(TYPE_A);
        final StreamTransport b = listenerB(new LinkSecurity(Optional.empty(), PlaintextPolicy.LOOPBACK,
                PlaintextPolicy.NEVER), busB);
        try (RawPeer legacy = RawPeer.open(links.endpoints, b.listenAddress())) {
            final ByteBuffer hello = ByteBuffer.allocate(34 + 6 + SIZE_A).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            hello.putShort((short) 32).put(LinkFixture.DIGEST.toByteArray());
            hello.putShort((short) TYPE_A).putInt(SIZE_A).put(new byte[SIZE_A]);
            legacy.write(hello.array());
            Await.until("refusal counted", () -> b.stats().counter(TransportCounter.REJECTED_UNAUTHORISED) == 1);
        }
        assertTrue(log.text().contains("legacy.clients = never"), log.text());
        assertTrue(busB.fromPeer().isEmpty(), "nothing delivered");
    }

    @Test
    void shouldRejectPlaintextV1ClientWithUnauthorisedReply() throws Exception {
        final StreamTransport b = listenerB(TlsFixture.tls(certificates, "b", PlaintextPolicy.NEVER),
                LinkFixture.wanting(TYPE_A));
        try (RawPeer client = RawPeer.open(links.endpoints, b.listenAddress())) {
            client.hello(LinkFixture.DIGEST, "forger");
            final Reject reject = client.reply().reject();
            assertEquals(RejectReason.UNAUTHORISED, reject.reason());
            assertTrue(reject.text().contains("connect with TLS"), reject.text());
        }
    }
}
