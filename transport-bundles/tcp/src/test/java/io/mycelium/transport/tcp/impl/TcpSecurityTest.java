package io.mycelium.transport.tcp.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.ConfigurationException;
import io.mycelium.testsupport.StderrCapture;
import io.mycelium.testsupport.TestCertificates;
import io.mycelium.transport.stream.LinkProperties;
import io.mycelium.transport.stream.LinkSecurity;
import io.mycelium.transport.stream.PlaintextPolicy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The TLS keys of the TCP configuration: files read relative to the node's home, and every mistake named. */
class TcpSecurityTest {

    private static final Logger LOG = LoggerFactory.getLogger(TcpSecurityTest.class);
    private static final String PID = "io.mycelium.transport.tcp";

    @TempDir
    Path home;

    private TestCertificates certificates;

    @BeforeEach
    void makeCertificates() throws Exception {
        certificates = TestCertificates.create(home.resolve("etc/tls"), "a", "b");
    }

    private LinkSecurity read(final String node, final String ca, final String cert, final String key) {
        return TcpSecurity.read(node, ca, cert, key, LinkSecurity.DEFAULT, home, LOG);
    }

    @Test
    void shouldReadPemFilesRelativeToHomeWhenTlsCaIsSet() {
        final LinkSecurity security = read("a", "etc/tls/ca.pem", "etc/tls/a.pem", "etc/tls/a.key");

        assertTrue(security.tlsConfigured());
        assertEquals(List.of("a"), security.tls().orElseThrow().names());
        assertEquals(home.resolve("etc/tls/ca.pem").toString(), security.tls().orElseThrow().caFile());
        assertEquals(PlaintextPolicy.LOOPBACK, security.plaintextPeers());
        assertEquals(PlaintextPolicy.LOOPBACK, security.legacyClients());
    }

    @Test
    void shouldStayPlaintextWithTheConfiguredPoliciesWhenTlsCaIsBlank() {
        final LinkSecurity security = TcpSecurity.read("a", "", "", "", LinkProperties.security(PID,
                Map.of("plaintext.peers", "never", "legacy.clients", "ALWAYS")), home, LOG);

        assertFalse(security.tlsConfigured());
        assertEquals(PlaintextPolicy.NEVER, security.plaintextPeers());
        assertEquals(PlaintextPolicy.ALWAYS, security.legacyClients());
    }

    @Test
    void shouldNameTheMissingKeyWhenTlsCaIsSetWithoutCertificate() {
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> read("a", "etc/tls/ca.pem", "", "etc/tls/a.key"));
        assertTrue(e.getMessage().contains("tls.ca is set but tls.cert is not"), e.getMessage());
    }

    @Test
    void shouldRefuseCertificateWithoutCaWhenTlsWouldSilentlyBeOff() {
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> read("a", "", "etc/tls/a.pem", "etc/tls/a.key"));
        assertTrue(e.getMessage().contains("TLS would be off"), e.getMessage());
    }

    @Test
    void shouldNameBothFilesWhenKeyBelongsToAnotherCertificate() {
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> read("a", "etc/tls/ca.pem", "etc/tls/a.pem", "etc/tls/b.key"));
        assertTrue(e.getMessage().contains("b.key does not belong to the certificate of tls.cert = "
                + home.resolve("etc/tls/a.pem")), e.getMessage());
    }

    @Test
    void shouldNamePropertyAndFileWhenCertificateFileIsNotPem() throws Exception {
        Files.writeString(home.resolve("junk.pem"), "not a certificate");
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> read("a", "junk.pem", "etc/tls/a.pem", "etc/tls/a.key"));
        assertTrue(e.getMessage().startsWith("io.mycelium.transport.tcp: tls.ca = " + home.resolve("junk.pem")),
                e.getMessage());
    }

    @Test
    void shouldNameTheFixWhenKeyIsNotPkcs8() throws Exception {
        Files.writeString(home.resolve("old.key"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> read("a", "etc/tls/ca.pem", "etc/tls/a.pem", "old.key"));
        assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
    }

    @Test
    void shouldWarnWhenCertificateNamesAnotherNode() {
        try (StderrCapture log = StderrCapture.start()) {
            read("gateway", "etc/tls/ca.pem", "etc/tls/a.pem", "etc/tls/a.key");
            assertTrue(log.text().contains("names [a] but this node is 'gateway'; peers will refuse it"), log.text());
        }
    }

    @Test
    void shouldNameTheAllowedValuesWhenPolicyIsUnknown() {
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> LinkProperties.security(PID, Map.of("plaintext.peers", "sometimes")));
        assertEquals("io.mycelium.transport.tcp: plaintext.peers = 'sometimes' is not one of loopback, always, never",
                e.getMessage());
    }
}
