package io.mycelium.transport.tcp.impl;

import io.mycelium.api.ConfigurationException;
import io.mycelium.api.link.TransportConfiguration;
import io.mycelium.transport.stream.LinkSecurity;
import io.mycelium.transport.stream.PlaintextPolicy;
import io.mycelium.transport.stream.TlsIdentity;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;

/**
 * Reads the TLS and admission keys of a TCP transport's configuration ({@code tls.ca}, {@code tls.cert},
 * {@code tls.key}, {@code plaintext.peers}, {@code legacy.clients}; docs/transports.md, "TLS") into a
 * {@link LinkSecurity}, and checks what would only fail later in a peer's log: that the key belongs to the
 * certificate, that the certificate names this node and is valid now. Stateless.
 */
final class TcpSecurity {

    private static final byte[] PROBE = "mycelium key check".getBytes(StandardCharsets.US_ASCII);

    private TcpSecurity() {
    }

    /**
     * Reads the security settings.
     *
     * @param node           this node's name
     * @param ca             the {@code tls.ca} value, blank for no TLS
     * @param cert           the {@code tls.cert} value
     * @param key            the {@code tls.key} value
     * @param admission      the policies ({@code plaintext.peers}, {@code legacy.clients}) without TLS
     * @param home           the folder relative paths are resolved against (the node's home)
     * @param log            where a certificate that will be refused is reported (WARN) and the TLS set-up noted
     * @throws ConfigurationException naming the property, the file and the fix
     */
    static LinkSecurity read(final String node, final String ca, final String cert, final String key,
            final LinkSecurity admission, final Path home, final Logger log) {
        final PlaintextPolicy plaintext = admission.plaintextPeers();
        final PlaintextPolicy legacy = admission.legacyClients();
        if (ca.isBlank()) {
            if (!cert.isBlank() || !key.isBlank()) {
                throw new ConfigurationException(TcpTransportComponent.PID + ": " + TransportConfiguration.TLS_CERT
                        + "/" + TransportConfiguration.TLS_KEY + " are set but " + TransportConfiguration.TLS_CA
                        + " is not, so TLS would be off. Fix: set " + TransportConfiguration.TLS_CA + " to the CA"
                        + " certificate (ca.pem of bin/mycelium certs), or remove tls.cert and tls.key");
            }
            return admission;
        }
        if (cert.isBlank() || key.isBlank()) {
            throw new ConfigurationException(TcpTransportComponent.PID + ": " + TransportConfiguration.TLS_CA
                    + " is set but " + (cert.isBlank() ? TransportConfiguration.TLS_CERT : TransportConfiguration.TLS_KEY)
                    + " is not. Fix: set tls.cert = <node>.pem and tls.key = <node>.key (bin/mycelium certs writes"
                    + " them for every node of a topology)");
        }
        final Path caFile = home.resolve(ca.trim());
        final Path certFile = home.resolve(cert.trim());
        final Path keyFile = home.resolve(key.trim());
        final List<X509Certificate> authorities = PemReader.certificates(TransportConfiguration.TLS_CA, caFile);
        final List<X509Certificate> chain = PemReader.certificates(TransportConfiguration.TLS_CERT, certFile);
        final PrivateKey privateKey = PemReader.privateKey(TransportConfiguration.TLS_KEY, keyFile);
        checkKeyFits(privateKey, chain.get(0), certFile, keyFile);
        final TlsIdentity identity = new TlsIdentity(privateKey, chain, authorities, caFile.toString(),
                certFile.toString());
        final X509Certificate own = chain.get(0);
        final List<String> names = identity.names();
        if (!names.contains(node)) {
            log.warn("{}: tls.cert = {} names {} but this node is '{}'; peers will refuse it. Fix: make this node's"
                    + " certificate with bin/mycelium certs (its name is the node name)", TcpTransportComponent.PID,
                    certFile, names, node);
        }
        try {
            own.checkValidity();
        } catch (final CertificateExpiredException | CertificateNotYetValidException e) {
            log.warn("{}: tls.cert = {} is not valid now (valid {} to {}); peers will refuse it. Fix: renew it with"
                    + " bin/mycelium certs", TcpTransportComponent.PID, certFile, own.getNotBefore(), own.getNotAfter());
        }
        log.info("{}: TLS 1.3 on for node {}: certificate {} (tls.cert = {}, valid until {}), CA {} (tls.ca = {});"
                + " plaintext.peers = {}, legacy.clients = {}", TcpTransportComponent.PID, node, names, certFile,
                own.getNotAfter(), authorities.get(0).getSubjectX500Principal().getName(), caFile,
                plaintext.configName(), legacy.configName());
        return new LinkSecurity(Optional.of(identity), plaintext, legacy);
    }

    /** Signs a probe with the key and verifies it with the certificate's public key. */
    private static void checkKeyFits(final PrivateKey key, final X509Certificate certificate, final Path certFile,
            final Path keyFile) {
        final String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        boolean fits;
        try {
            final Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            final byte[] signature = signer.sign();
            final Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(PROBE);
            fits = verifier.verify(signature);
        } catch (final GeneralSecurityException e) {
            fits = false;
        }
        if (!fits) {
            throw new ConfigurationException(TcpTransportComponent.PID + ": tls.key = " + keyFile + " does not belong"
                    + " to the certificate of tls.cert = " + certFile + ". Fix: use the <node>.key written with that"
                    + " <node>.pem (bin/mycelium certs)");
        }
    }
}
