package io.mycelium.transport.stream;

import io.mycelium.certs.CertificateAuthority;
import io.mycelium.certs.CertificateDirectory;
import io.mycelium.certs.NodeCredentials;
import io.mycelium.certs.PemFiles;
import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.TestCertificates;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** TLS identities and policies for link tests, from {@link TestCertificates}' PEM files. */
final class TlsFixture {

    private TlsFixture() {
    }

    /** Returns node {@code certNode}'s identity (key and chain) trusting {@code trusted}'s CA. */
    static TlsIdentity identity(final TestCertificates own, final String certNode, final TestCertificates trusted)
            throws IOException {
        return new TlsIdentity(PemFiles.readPrivateKey(own.key(certNode)),
                PemFiles.readCertificates(own.certificate(certNode)), PemFiles.readCertificates(trusted.ca()),
                trusted.ca().toString(), own.certificate(certNode).toString());
    }

    /** Returns TLS with {@code certNode}'s certificate of {@code certificates}, default policies. */
    static LinkSecurity tls(final TestCertificates certificates, final String certNode) throws IOException {
        return tls(certificates, certNode, PlaintextPolicy.LOOPBACK);
    }

    /** Returns TLS with {@code certNode}'s certificate and the plaintext policy {@code plaintextPeers}. */
    static LinkSecurity tls(final TestCertificates certificates, final String certNode,
            final PlaintextPolicy plaintextPeers) throws IOException {
        return new LinkSecurity(Optional.of(identity(certificates, certNode, certificates)), plaintextPeers,
                PlaintextPolicy.LOOPBACK);
    }

    /** Settings with a handshake timeout that a first (cold) TLS handshake on a loaded machine meets. */
    static LinkSettings settings(final String node) {
        final LinkSettings fast = LinkFixture.settings(node);
        return new LinkSettings(node, fast.maxConnections(), fast.maxPayloadLength(), 10_000, fast.queueCapacity(),
                fast.overflow(), fast.slotSize(), 500, 5_000, fast.reconnectInitialMillis(),
                fast.reconnectMaxMillis(), fast.connectTimeoutMillis(), false, fast.readSpinMicros());
    }

    /**
     * Re-issues {@code node}'s certificate valid for one second and waits until it has expired (X.509 times have
     * whole seconds, so at most about two seconds).
     */
    static void expire(final TestCertificates certificates, final String node) throws IOException {
        final CertificateDirectory directory = new CertificateDirectory(certificates.folder());
        final CertificateAuthority authority = directory.readAuthority().orElseThrow();
        final NodeCredentials credentials = authority.issue(node, List.of(), Duration.ofSeconds(1));
        directory.writeNode(credentials);
        final Instant end = credentials.certificate().getNotAfter().toInstant();
        Await.until("certificate of " + node + " expired", () -> Instant.now().isAfter(end.plusMillis(10)));
    }
}
