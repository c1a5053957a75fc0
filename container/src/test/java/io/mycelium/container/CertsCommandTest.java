package io.mycelium.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import io.mycelium.certs.CertificateDirectory;
import io.mycelium.certs.PemFiles;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsCommandTest {

    private static final String TOPOLOGY = """
            [[nodes]]
            name = "node-a"
            services = []
            endpoint = { kind = "unix" }

            [[nodes]]
            name = "node-b"
            services = []
            host = "127.0.0.2"
            port = 9401
            endpoint = { kind = "tcp", addr = "127.0.0.2:9401" }
            """;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void shouldWriteCaAndEveryNodeAndPrintSettingsWhenTopologyIsValid() throws Exception {
        assertEquals(0, run(topology(TOPOLOGY), "--out", dir.resolve("tls").toString(), "--days", "30"));

        final CertificateDirectory files = new CertificateDirectory(dir.resolve("tls"));
        final List<X509Certificate> b = PemFiles.readCertificates(files.nodeCertificate("node-b"));
        assertEquals("CN=node-b", b.get(0).getSubjectX500Principal().getName());
        assertTrue(b.get(0).getSubjectAlternativeNames().contains(List.of(7, "127.0.0.2")), "IP name from addr");
        assertEquals(PemFiles.readCertificates(files.caCertificate()).get(0), b.get(1));
        assertTrue(Files.exists(files.nodeKey("node-a")));
        assertTrue(stdout().contains("tls.ca   = " + files.caCertificate()), stdout());
        assertTrue(stdout().contains("tls.cert = " + files.nodeCertificate("node-a")), stdout());
        assertTrue(stdout().contains("a new CA"), stdout());
    }

    @Test
    void shouldReuseCaWhenRunAgain() throws Exception {
        final String topology = topology(TOPOLOGY);
        final String tls = dir.resolve("tls").toString();
        assertEquals(0, run(topology, "--out", tls));
        final X509Certificate ca = PemFiles.readCertificates(dir.resolve("tls/ca.pem")).get(0);

        assertEquals(0, run(topology, "--out", tls));
        assertEquals(ca, PemFiles.readCertificates(dir.resolve("tls/ca.pem")).get(0));
        assertEquals(ca, PemFiles.readCertificates(dir.resolve("tls/node-a.pem")).get(1));
        assertTrue(stdout().contains("reusing  " + dir.resolve("tls/ca.pem")), stdout());
        assertTrue(stdout().contains("replaced " + dir.resolve("tls/node-a.pem")), stdout());
    }

    @Test
    void shouldRefuseHalfCaUnlessForcedWhenCertificateIsMissing() throws Exception {
        final String topology = topology(TOPOLOGY);
        final String tls = dir.resolve("tls").toString();
        assertEquals(0, run(topology, "--out", tls));
        Files.delete(dir.resolve("tls/ca.pem"));
        final String key = Files.readString(dir.resolve("tls/ca.key"));

        assertEquals(1, run(topology, "--out", tls));
        assertTrue(stderr().contains("ca.key exists but") && stderr().contains("--force"), stderr());
        assertEquals(key, Files.readString(dir.resolve("tls/ca.key")), "the key is left alone");

        assertEquals(0, run(topology, "--out", tls, "--force"));
        assertTrue(stdout().contains("replaced " + dir.resolve("tls/ca.pem")), stdout());
    }

    @Test
    void shouldNameFileAndLineWhenTopologyIsInvalid() throws Exception {
        assertEquals(1, run(topology("[[nodes]]\nname = \"a\"\nservices = []\n\n[[nodes]]\nname = \"bad name\"\nservices = []\n"), "--out",
                dir.resolve("tls").toString()));
        assertTrue(stderr().contains("topology.toml:6: node 'bad name' has an invalid name"), stderr());
        assertFalse(Files.exists(dir.resolve("tls")));
    }

    @Test
    void shouldNameTheFileWhenTopologyIsMissingOrOutIsNoFolder() throws Exception {
        assertEquals(1, run(dir.resolve("absent.toml").toString(), "--out", dir.toString()));
        assertTrue(stderr().contains("absent.toml: cannot read the topology file"), stderr());

        final Path file = Files.writeString(dir.resolve("file"), "x");
        assertEquals(1, run(topology(TOPOLOGY), "--out", file.resolve("tls").toString()));
        assertTrue(stderr().contains("cannot write " + file), stderr());
    }

    @Test
    void shouldRefuseNodeNamedCaWhenItWouldOverwriteTheCa() throws Exception {
        assertEquals(1, run(topology("[[nodes]]\nname = \"ca\"\nservices = []\n"), "--out", dir.resolve("tls").toString()));
        assertTrue(stderr().contains("a node named 'ca' would overwrite"), stderr());
    }

    @Test
    void shouldRejectCommandLineWhenOutOrDaysIsWrong() {
        assertThrows(UsageException.class, () -> CertsOptions.parse(new String[] {"--topology", "t.toml"}));
        assertThrows(UsageException.class, () -> CertsOptions.parse(new String[] {"--out", "x"}));
        final UsageException e = assertThrows(UsageException.class, () -> CertsOptions.parse(
                new String[] {"--topology", "t", "--out", "x", "--days", "0"}));
        assertTrue(e.getMessage().contains("--days 0 is out of range"), e.getMessage());
        assertThrows(UsageException.class, () -> CertsOptions.parse(new String[] {"--days", "many"}));
        assertThrows(UsageException.class, () -> CertsOptions.parse(new String[] {"--bogus"}));
    }

    private int run(final String topology, final String... more) throws Exception {
        out.reset();
        err.reset();
        final String[] args = new String[more.length + 2];
        args[0] = "--topology";
        args[1] = topology;
        System.arraycopy(more, 0, args, 2, more.length);
        return new CertsCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(CertsOptions.parse(args));
    }

    private String topology(final String text) throws Exception {
        return Files.writeString(dir.resolve("topology.toml"), text).toString();
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
