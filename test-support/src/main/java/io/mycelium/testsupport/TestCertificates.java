package io.mycelium.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.mycelium.certs.CertificateAuthority;
import io.mycelium.certs.CertificateDirectory;
import io.mycelium.certs.KeyAlgorithm;

/**
 * A private CA and node certificates in a test's folder, written by the same code as {@code bin/mycelium certs}:
 * {@code ca.pem}, {@code ca.key}, {@code <node>.pem} (chain) and {@code <node>.key} (PKCS#8, 0600). For TLS tests:
 * configure a node with {@code tls.ca = ca()}, {@code tls.cert = certificate(node)}, {@code tls.key = key(node)};
 * a second instance in another folder is a "wrong CA". One thread at a time.
 *
 * <p>Needs the {@code certs} jar (and Bouncy Castle) on the test's class path; inside a Pax Exam framework the
 * import of {@code io.mycelium.certs} is optional, so make the files outside the framework.
 */
public final class TestCertificates {

    private static final Duration VALIDITY = Duration.ofDays(2);

    private final CertificateDirectory directory;
    private final CertificateAuthority authority;

    private TestCertificates(final CertificateDirectory directory, final CertificateAuthority authority) {
        this.directory = directory;
        this.authority = authority;
    }

    /**
     * Makes a new EC P-256 CA in {@code folder} and a certificate for each node (DNS name = node name, IP name
     * 127.0.0.1, valid two days).
     *
     * @param folder the folder (created if missing)
     * @param nodes  node names
     * @return the certificates
     * @throws IOException if a file cannot be written
     */
    public static TestCertificates create(final Path folder, final String... nodes) throws IOException {
        final CertificateDirectory directory = new CertificateDirectory(folder);
        final CertificateAuthority authority = CertificateAuthority.create("Mycelium test CA " + folder.getFileName(),
                KeyAlgorithm.EC_P256, VALIDITY);
        directory.writeAuthority(authority);
        final TestCertificates certificates = new TestCertificates(directory, authority);
        for (String node : nodes) {
            certificates.issue(node);
        }
        return certificates;
    }

    /**
     * Issues (or re-issues) a node's certificate and key from this CA.
     *
     * @param node a node name; the certificate's CN and DNS name
     * @return this
     * @throws IOException if a file cannot be written
     */
    public TestCertificates issue(final String node) throws IOException {
        directory.writeNode(authority.issue(node, List.of(InetAddress.getLoopbackAddress()), VALIDITY));
        return this;
    }

    /** @return the folder holding the files */
    public Path folder() {
        return directory.directory();
    }

    /** @return the CA certificate, {@code ca.pem} (the value of {@code tls.ca}) */
    public Path ca() {
        return directory.caCertificate();
    }

    /**
     * @param node a node name given to {@link #create} or {@link #issue}
     * @return its certificate chain, {@code <node>.pem} (the value of {@code tls.cert})
     */
    public Path certificate(final String node) {
        return directory.nodeCertificate(node);
    }

    /**
     * @param node a node name given to {@link #create} or {@link #issue}
     * @return its private key, {@code <node>.key} (the value of {@code tls.key})
     */
    public Path key(final String node) {
        return directory.nodeKey(node);
    }
}
