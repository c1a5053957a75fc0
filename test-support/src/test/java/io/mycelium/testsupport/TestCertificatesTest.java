package io.mycelium.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCertificatesTest {

    @TempDir
    Path dir;

    @Test
    void shouldWriteCaAndNodeFilesWhenCreated() throws Exception {
        final TestCertificates certs = TestCertificates.create(dir.resolve("tls"), "node-a", "node-b");

        assertEquals(dir.resolve("tls").resolve("ca.pem"), certs.ca());
        assertEquals("CN=node-b", leaf(certs.certificate("node-b")).getSubjectX500Principal().getName());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.key("node-a"))));
        final TestCertificates other = TestCertificates.create(dir.resolve("other"), "node-a");
        assertNotEquals(leaf(certs.ca()), leaf(other.ca()), "another folder is another CA");
    }

    private static X509Certificate leaf(final Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
