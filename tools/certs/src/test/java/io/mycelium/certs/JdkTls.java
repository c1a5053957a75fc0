package io.mycelium.certs;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Loads PEM files the way a node does: JDK APIs only (no Bouncy Castle), into a TLS 1.3 context. */
final class JdkTls {

    private static final char[] NO_PASSWORD = new char[0];

    private JdkTls() {
    }

    static SSLContext context(final Path ca, final Path chain, final Path key) throws Exception {
        final CertificateFactory factory = CertificateFactory.getInstance("X.509");
        final List<? extends Certificate> certificates;
        try (var in = java.nio.file.Files.newInputStream(chain)) {
            certificates = List.copyOf(factory.generateCertificates(in));
        }
        final X509Certificate anchor;
        try (var in = java.nio.file.Files.newInputStream(ca)) {
            anchor = (X509Certificate) factory.generateCertificate(in);
        }
        final PrivateKey privateKey = PemFiles.readPrivateKey(key);
        final KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("node", privateKey, NO_PASSWORD, certificates.toArray(Certificate[]::new));
        final KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", anchor);
        final KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, NO_PASSWORD);
        final TrustManagerFactory trustManagers =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        final SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }
}
