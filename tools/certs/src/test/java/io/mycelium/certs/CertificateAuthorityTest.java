package io.mycelium.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CertificateAuthorityTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void shouldIssueChainTheJdkValidatesWhenSignedByNewCa(final KeyAlgorithm algorithm) throws Exception {
        final CertificateAuthority ca = CertificateAuthority.create("Test CA", algorithm, Duration.ofDays(30));
        final NodeCredentials node = ca.issue("node-a", List.of(InetAddress.getByName("127.0.0.1")),
                Duration.ofDays(10));

        validate(ca.certificate(), node.chain());
        final X509Certificate cert = node.certificate();
        assertEquals("CN=node-a", cert.getSubjectX500Principal().getName());
        assertEquals("CN=Test CA", cert.getIssuerX500Principal().getName());
        assertEquals(Set.of(List.of(2, "node-a"), List.of(7, "127.0.0.1")), Set.copyOf(
                cert.getSubjectAlternativeNames().stream().map(l -> List.of(l.get(0), l.get(1))).toList()));
        assertEquals(List.of(SERVER_AUTH, CLIENT_AUTH), cert.getExtendedKeyUsage());
        assertEquals(-1, cert.getBasicConstraints());
        assertEquals(0, ca.certificate().getBasicConstraints());
    }

    @Test
    void shouldRefuseChainWhenSignedByAnotherCa() throws Exception {
        final CertificateAuthority ca = CertificateAuthority.create("Test CA", KeyAlgorithm.EC_P256,
                Duration.ofDays(30));
        final CertificateAuthority other = CertificateAuthority.create("Test CA", KeyAlgorithm.EC_P256,
                Duration.ofDays(30));
        final NodeCredentials node = other.issue("node-a", List.of(), Duration.ofDays(10));

        assertThrows(CertPathValidatorException.class, () -> validate(ca.certificate(), node.chain()));
    }

    @Test
    void shouldLeaveOutDnsNameWhenNodeNameIsNoDnsName() throws Exception {
        final CertificateAuthority ca = CertificateAuthority.create("Test CA", KeyAlgorithm.EC_P256,
                Duration.ofDays(30));
        final NodeCredentials node = ca.issue("node_a", List.of(), Duration.ofDays(10));

        // a DNS name with '_' would make JDK peers reject the whole certificate; the CN still names the node
        assertEquals("CN=node_a", node.certificate().getSubjectX500Principal().getName());
        assertEquals(null, node.certificate().getSubjectAlternativeNames());
        validate(ca.certificate(), node.chain());
        assertFalse(CertificateAuthority.isDnsName("node_a"));
        assertTrue(CertificateAuthority.isDnsName("node-a.example"));
    }

    @Test
    void shouldEndNodeCertificateWithCaWhenAskedForLonger() throws Exception {
        final CertificateAuthority ca = CertificateAuthority.create("Test CA", KeyAlgorithm.EC_P256,
                Duration.ofDays(5));
        final NodeCredentials node = ca.issue("node-a", List.of(), Duration.ofDays(500));

        assertEquals(ca.certificate().getNotAfter(), node.certificate().getNotAfter());
    }

    @Test
    void shouldHandshakeMutualTls13WhenBothSidesLoadWrittenFilesWithJdkOnly() throws Exception {
        final CertificateDirectory files = new CertificateDirectory(dir);
        final CertificateAuthority ca = CertificateAuthority.create("Test CA", KeyAlgorithm.EC_P256,
                Duration.ofDays(30));
        files.writeAuthority(ca);
        files.writeNode(ca.issue("server", List.of(), Duration.ofDays(10)));
        files.writeNode(ca.issue("client", List.of(), Duration.ofDays(10)));
        final SSLContext server = JdkTls.context(files.caCertificate(), files.nodeCertificate("server"),
                files.nodeKey("server"));
        final SSLContext client = JdkTls.context(files.caCertificate(), files.nodeCertificate("client"),
                files.nodeKey("client"));

        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket()) {
            listener.setNeedClientAuth(true);
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            final CompletableFuture<String> clientName = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                    accepted.setSoTimeout(30_000);
                    final InputStream in = accepted.getInputStream();
                    final int b = in.read();
                    accepted.getOutputStream().write(b);
                    return accepted.getSession().getPeerPrincipal().getName();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1",
                    listener.getLocalPort())) {
                socket.setSoTimeout(30_000);
                final OutputStream out = socket.getOutputStream();
                out.write(42);
                out.flush();
                assertEquals(42, socket.getInputStream().read());
                assertEquals("TLSv1.3", socket.getSession().getProtocol());
                assertEquals("CN=server", socket.getSession().getPeerPrincipal().getName());
            }
            assertEquals("CN=client", clientName.get(30, TimeUnit.SECONDS));
        }
    }

    static void validate(final X509Certificate anchor, final List<X509Certificate> chain) throws Exception {
        final PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        parameters.setRevocationEnabled(false);
        // the chain file holds the CA last; a CertPath excludes the trust anchor
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                .generateCertPath(chain.subList(0, chain.size() - 1)), parameters);
    }
}
