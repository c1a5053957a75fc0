package io.mycelium.certs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void shouldWriteKeysOwnerOnlyAndCertificatesReadableWhenWritingCaAndNode() throws Exception {
        final CertificateDirectory files = new CertificateDirectory(dir.resolve("tls"));
        final CertificateAuthority ca = newCa();
        files.writeAuthority(ca);
        files.writeNode(ca.issue("node-a", List.of(), Duration.ofDays(1)));

        assertEquals("rw-------", mode(files.caKey()));
        assertEquals("rw-------", mode(files.nodeKey("node-a")));
        assertEquals("rw-r--r--", mode(files.caCertificate()));
        assertEquals("rw-r--r--", mode(files.nodeCertificate("node-a")));
        assertEquals("rwx------", mode(files.directory()));
        try (var listing = Files.list(files.directory())) {
            assertEquals(4, listing.count(), "no temporary files are left behind");
        }
    }

    @Test
    void shouldLoadWrittenFilesWithPlainJdkApisWhenNodeReadsThem() throws Exception {
        final CertificateDirectory files = new CertificateDirectory(dir);
        final CertificateAuthority ca = newCa();
        files.writeAuthority(ca);
        final NodeCredentials node = ca.issue("node-a", List.of(), Duration.ofDays(1));
        files.writeNode(node);

        // what a node does without this library: strip the PEM armour, PKCS8EncodedKeySpec, KeyFactory
        final String pem = Files.readString(files.nodeKey("node-a"));
        final byte[] der = Base64.getMimeDecoder().decode(pem.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", ""));
        final PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        assertArrayEquals(node.privateKey().getEncoded(), key.getEncoded());
        try (var in = Files.newInputStream(files.nodeCertificate("node-a"))) {
            final List<?> chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            assertEquals(node.chain(), chain);
        }
        try (var in = Files.newInputStream(files.caCertificate())) {
            assertEquals(ca.certificate(), CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
    }

    @Test
    void shouldReturnSameCaWhenDirectoryHoldsOne() throws Exception {
        final CertificateDirectory files = new CertificateDirectory(dir);
        final CertificateAuthority ca = newCa();
        files.writeAuthority(ca);

        final CertificateAuthority again = files.readAuthority().orElseThrow();
        assertEquals(ca.certificate(), again.certificate());
        final NodeCredentials node = again.issue("node-b", List.of(), Duration.ofDays(1));
        CertificateAuthorityTest.validate(ca.certificate(), node.chain());
    }

    @Test
    void shouldReturnNothingWhenDirectoryIsEmptyOrMissing() throws Exception {
        assertTrue(new CertificateDirectory(dir).readAuthority().isEmpty());
        assertTrue(new CertificateDirectory(dir.resolve("absent")).readAuthority().isEmpty());
    }

    @Test
    void shouldRefuseWithFixWhenCaKeyExistsWithoutCertificate() throws Exception {
        final CertificateDirectory files = new CertificateDirectory(dir);
        files.writeAuthority(newCa());
        Files.delete(files.caCertificate());

        final IOException e = assertThrows(IOException.class, files::readAuthority);
        assertTrue(e.getMessage().contains("ca.key exists but") && e.getMessage().contains("ca.pem does not")
                && e.getMessage().contains("--force"), e.getMessage());
    }

    @Test
    void shouldRefuseWhenCaKeyBelongsToAnotherCertificate() throws Exception {
        final CertificateDirectory files = new CertificateDirectory(dir);
        files.writeAuthority(newCa());
        final Path otherKey = dir.resolve("other");
        Files.createDirectory(otherKey);
        final CertificateDirectory other = new CertificateDirectory(otherKey);
        other.writeAuthority(newCa());
        Files.copy(other.caKey(), files.caKey(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        final IOException e = assertThrows(IOException.class, files::readAuthority);
        assertTrue(e.getMessage().contains("does not belong to the certificate"), e.getMessage());
    }

    @Test
    void shouldRefuseNodeNamesThatAreUnsafeFileNamesOrTheCa() {
        final CertificateDirectory files = new CertificateDirectory(dir);
        assertThrows(IllegalArgumentException.class, () -> files.nodeCertificate("../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> files.nodeKey(".hidden"));
        assertThrows(IllegalArgumentException.class, () -> files.nodeKey("n".repeat(65)), "longer than a CN");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> files.nodeKey("ca"));
        assertTrue(e.getMessage().contains("rename the node"), e.getMessage());
    }

    @Test
    void shouldExplainWhenKeyFileIsTraditionalOrGarbage() throws Exception {
        final Path traditional = dir.resolve("old.key");
        Files.writeString(traditional, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        final IOException e = assertThrows(IOException.class, () -> PemFiles.readPrivateKey(traditional));
        assertTrue(e.getMessage().contains("traditional") && e.getMessage().contains("openssl pkcs8"),
                e.getMessage());

        final Path garbage = dir.resolve("bad.pem");
        Files.writeString(garbage, "hello");
        final IOException e2 = assertThrows(IOException.class, () -> PemFiles.readCertificates(garbage));
        assertTrue(e2.getMessage().startsWith(garbage.toString()), e2.getMessage());

        final Path damaged = dir.resolve("damaged.key");
        Files.writeString(damaged, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        final IOException e3 = assertThrows(IOException.class, () -> PemFiles.readPrivateKey(damaged));
        assertTrue(e3.getMessage().contains("damaged"), e3.getMessage());
    }

    @Test
    void shouldReadBackWhatItWroteWhenReadingNode() throws Exception {
        final CertificateDirectory files = new CertificateDirectory(dir);
        final CertificateAuthority ca = newCa();
        final NodeCredentials node = ca.issue("node-a", List.of(), Duration.ofDays(1));
        files.writeNode(node);

        final NodeCredentials read = files.readNode("node-a");
        assertEquals(node.chain(), read.chain());
        assertEquals(node.privateKey(), read.privateKey());
        assertEquals(ca.certificate(), (X509Certificate) read.chain().get(1));
    }

    private static CertificateAuthority newCa() {
        return CertificateAuthority.create("Test CA", KeyAlgorithm.EC_P256, Duration.ofDays(30));
    }

    private static String mode(final Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
