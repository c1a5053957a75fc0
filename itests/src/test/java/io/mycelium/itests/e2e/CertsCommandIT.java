package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mycelium certs} as a user runs it from the distribution: a CA and a certificate per topology node that
 * the JDK alone loads and validates, private keys 0600, a second run reusing the CA, and clear errors with exit
 * status 1 (bad topology) or 2 (bad command line).
 */
class CertsCommandIT {

    private static final String TOPOLOGY = """
            [[nodes]]
            name = "gateway"
            services = []
            endpoint = { kind = "tcp", addr = "127.0.0.1:19401" }

            [[nodes]]
            name = "worker-1"
            services = []
            """;

    @TempDir
    Path dir;

    @Test
    void shouldWriteCaAndNodeFilesTheJdkValidatesWhenRunOnTopology() throws Exception {
        final Path topology = Files.writeString(dir.resolve("topology.toml"), TOPOLOGY);
        final Path tls = dir.resolve("etc/tls");

        final DistributionCommand first = certs("--topology", topology.toString(), "--out", tls.toString(), "--days", "30");
        assertEquals(0, first.exit(), first.output());
        assertTrue(first.output().contains("tls.ca   = " + tls.resolve("ca.pem")), first.output());
        assertEquals("rwx------", mode(tls));
        final X509Certificate ca = certificates(tls.resolve("ca.pem")).get(0);
        for (String node : List.of("gateway", "worker-1")) {
            assertEquals("rw-------", mode(tls.resolve(node + ".key")));
            assertEquals("rw-r--r--", mode(tls.resolve(node + ".pem")));
            final List<X509Certificate> chain = certificates(tls.resolve(node + ".pem"));
            assertEquals("CN=" + node, chain.get(0).getSubjectX500Principal().getName());
            assertTrue(chain.get(0).getSubjectAlternativeNames().contains(List.of(2, node)), node);
            assertEquals(ca, chain.get(1));
            validate(ca, chain.get(0));
            assertKeyMatches(tls.resolve(node + ".key"), chain.get(0));
        }
        assertTrue(certificates(tls.resolve("gateway.pem")).get(0).getSubjectAlternativeNames()
                .contains(List.of(7, "127.0.0.1")), "IP name from the TCP endpoint");

        final DistributionCommand second = certs("--topology", topology.toString(), "--out", tls.toString());
        assertEquals(0, second.exit(), second.output());
        assertTrue(second.output().contains("reusing  " + tls.resolve("ca.pem")), second.output());
        assertEquals(ca, certificates(tls.resolve("ca.pem")).get(0));
        validate(ca, certificates(tls.resolve("worker-1.pem")).get(0));
    }

    @Test
    void shouldExitWithReasonWhenTopologyOrCommandLineIsWrong() throws Exception {
        final Path topology = Files.writeString(dir.resolve("topology.toml"),
                "[[nodes]]\nname = \"a\"\nservices = []\nbogus = 1\n");
        final DistributionCommand bad = certs("--topology", topology.toString(), "--out", dir.resolve("tls").toString());
        assertEquals(1, bad.exit(), bad.output());
        assertTrue(bad.output().contains(topology + ":4: "), bad.output());
        assertTrue(!Files.exists(dir.resolve("tls")), "nothing written");

        final DistributionCommand usage = certs("--topology", topology.toString());
        assertEquals(2, usage.exit(), usage.output());
        assertTrue(usage.output().contains("certs needs --out DIR"), usage.output());
        assertTrue(usage.output().contains("Usage: mycelium certs"), usage.output());
    }

    private DistributionCommand certs(final String... args) throws Exception {
        final List<String> command = new ArrayList<>(List.of("certs"));
        command.addAll(List.of(args));
        return DistributionCommand.run(command.toArray(String[]::new));
    }

    private static List<X509Certificate> certificates(final Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            final List<X509Certificate> list = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                list.add((X509Certificate) c);
            }
            return list;
        }
    }

    private static void validate(final X509Certificate ca, final X509Certificate node) throws Exception {
        final PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                .generateCertPath(List.of(node)), parameters);
    }

    /** Loads the key as a node does (JDK only) and checks that it signs for the certificate's public key. */
    private static void assertKeyMatches(final Path keyFile, final X509Certificate certificate) throws Exception {
        final String pem = Files.readString(keyFile);
        final byte[] der = Base64.getMimeDecoder().decode(pem.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", ""));
        final PrivateKey key = KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(der));
        final Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        final byte[] signature = signer.sign();
        final Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate);
        verifier.update(new byte[] {1, 2, 3});
        assertTrue(verifier.verify(signature), keyFile + " belongs to its certificate");
    }

    private static String mode(final Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
