package io.mycelium.transport.tcp.impl;

import io.mycelium.api.ConfigurationException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of a node's TLS configuration with the JDK alone (what {@code bin/mycelium certs} writes):
 * certificates ({@code CERTIFICATE} blocks) and an unencrypted PKCS#8 private key ({@code PRIVATE KEY}). Every
 * failure is a {@link ConfigurationException} naming the property, the file and the fix. Stateless.
 */
final class PemReader {

    private static final Pattern KEY_BLOCK = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final String[] KEY_TYPES = {"EC", "RSA", "Ed25519", "Ed448"};

    private PemReader() {
    }

    /** Reads every certificate of {@code file}, the value of {@code property}; at least one. */
    static List<X509Certificate> certificates(final String property, final Path file) {
        final List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (final Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) certificate);
            }
        } catch (final IOException | GeneralSecurityException e) {
            throw new ConfigurationException(where(property, file) + " cannot be read as PEM certificates: "
                    + e.getMessage() + ". Fix: point " + property + " at a file of -----BEGIN CERTIFICATE-----"
                    + " blocks (bin/mycelium certs writes them)", e);
        }
        if (out.isEmpty()) {
            throw new ConfigurationException(where(property, file) + " holds no certificate. Fix: point " + property
                    + " at a file of -----BEGIN CERTIFICATE----- blocks (bin/mycelium certs writes them)");
        }
        return out;
    }

    /** Reads the private key of {@code file}, the value of {@code property}. */
    static PrivateKey privateKey(final String property, final Path file) {
        final String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (final IOException e) {
            throw new ConfigurationException(where(property, file) + " cannot be read: " + e.getMessage(), e);
        }
        final Matcher block = KEY_BLOCK.matcher(text);
        if (!block.find()) {
            throw new ConfigurationException(where(property, file) + " holds no unencrypted PKCS#8 key (-----BEGIN"
                    + " PRIVATE KEY-----). Fix: convert it with openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW, or"
                    + " make a new one with bin/mycelium certs");
        }
        final PKCS8EncodedKeySpec spec;
        try {
            spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(block.group(1)));
        } catch (final IllegalArgumentException e) {
            throw new ConfigurationException(where(property, file) + " holds a damaged key: " + e.getMessage(), e);
        }
        for (final String type : KEY_TYPES) {
            try {
                return KeyFactory.getInstance(type).generatePrivate(spec);
            } catch (final GeneralSecurityException e) {
                // Not a key of this type: the next type may read it; none reading it is reported below.
                continue;
            }
        }
        throw new ConfigurationException(where(property, file) + " holds a key that is damaged or of a type other"
                + " than EC, RSA, Ed25519 and Ed448");
    }

    private static String where(final String property, final Path file) {
        return TcpTransportComponent.PID + ": " + property + " = " + file;
    }
}
