package io.mycelium.certs;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private certificate authority: its self-signed certificate and private key, and the node certificates it
 * issues. A node certificate has CN = the node name, a DNS subject alternative name = the node name (when the name
 * is a valid DNS name) plus any IP addresses given, and may serve as TLS server and client. Immutable apart from its
 * random source; safe for one thread at a time (issue certificates from one thread).
 *
 * <p>Certificates are built with Bouncy Castle's builders and signed by the JDK's own providers (no provider is
 * registered), so what this class writes is checked the way a node checks it.
 */
public final class CertificateAuthority {

    /** The validity of a new CA when none is given: ten years. */
    public static final Duration DEFAULT_CA_VALIDITY = Duration.ofDays(3650);
    /** The validity of a node certificate when none is given: 825 days, the longest browsers accept. */
    public static final Duration DEFAULT_NODE_VALIDITY = Duration.ofDays(825);

    /** The longest common name X.509 allows (RFC 5280 ub-common-name): the longest CA or node name. */
    public static final int MAX_NAME_LENGTH = 64;

    /** Names usable as a DNS subject alternative name: dot-separated labels of letters, digits and inner '-'. */
    private static final Pattern DNS_NAME =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    /** Back-dating of notBefore, so a peer whose clock is a little behind accepts a certificate made just now. */
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final SecureRandom random;

    private CertificateAuthority(final X509Certificate certificate, final PrivateKey privateKey,
                                 final SecureRandom random) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.random = random;
    }

    /**
     * Makes a new CA with a fresh key and a self-signed certificate ({@code CN=name}, basic constraints CA with
     * path length 0, key usage certificate and CRL signing).
     *
     * @param name      the CA's common name, e.g. {@code "Mycelium CA (topology.toml)"}
     * @param algorithm the key type
     * @param validity  how long the certificate is valid from now (positive)
     * @return the new CA
     */
    public static CertificateAuthority create(final String name, final KeyAlgorithm algorithm,
                                              final Duration validity) {
        requirePositive(validity);
        final SecureRandom random = new SecureRandom();
        final KeyPair keys = algorithm.generate(random);
        final X500Name subject = commonName(name);
        final Instant now = Instant.now();
        try {
            final JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            final X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(random),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(validity)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate(), random);
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the CA certificate", e);
        }
    }

    /**
     * Reads a CA from its PEM files and checks that the key belongs to the certificate.
     *
     * @param certificateFile the CA certificate ({@code ca.pem})
     * @param keyFile         its private key ({@code ca.key})
     * @return the CA
     * @throws IOException naming the file when a file cannot be read, is not a CA certificate or the key does not
     *                     match it
     */
    public static CertificateAuthority read(final Path certificateFile, final Path keyFile) throws IOException {
        final X509Certificate certificate = PemFiles.readCertificates(certificateFile).get(0);
        if (certificate.getBasicConstraints() < 0) {
            throw new IOException(certificateFile + ": " + certificate.getSubjectX500Principal().getName()
                    + " is not a CA certificate (no basic constraints CA:true)");
        }
        final PrivateKey key = PemFiles.readPrivateKey(keyFile);
        if (!matches(key, certificate.getPublicKey())) {
            throw new IOException(keyFile + ": this key does not belong to the certificate in " + certificateFile
                    + " (" + certificate.getSubjectX500Principal().getName() + ")");
        }
        return new CertificateAuthority(certificate, key, new SecureRandom());
    }

    /**
     * Issues a node certificate signed by this CA, with a fresh key of the CA's key type.
     *
     * @param nodeName    the node name (CN, and DNS subject alternative name when it is a valid DNS name), at most
     *                    {@value #MAX_NAME_LENGTH} characters
     * @param ipAddresses IP subject alternative names to add (may be empty)
     * @param validity    how long the certificate is valid from now (positive; capped at the CA's own expiry)
     * @return the node's certificate chain and key
     */
    public NodeCredentials issue(final String nodeName, final List<InetAddress> ipAddresses,
                                 final Duration validity) {
        return issue(nodeName, ipAddresses, KeyAlgorithm.of(privateKey.getAlgorithm()), validity);
    }

    /**
     * Issues a node certificate signed by this CA.
     *
     * @param nodeName    the node name (CN, and DNS subject alternative name when it is a valid DNS name)
     * @param ipAddresses IP subject alternative names to add (may be empty)
     * @param algorithm   the node key's type
     * @param validity    how long the certificate is valid from now (positive; capped at the CA's own expiry)
     * @return the node's certificate chain and key
     */
    public NodeCredentials issue(final String nodeName, final List<InetAddress> ipAddresses,
                                 final KeyAlgorithm algorithm, final Duration validity) {
        Objects.requireNonNull(nodeName, "nodeName");
        requirePositive(validity);
        final KeyPair keys = algorithm.generate(random);
        final Instant now = Instant.now();
        final Instant caEnd = certificate.getNotAfter().toInstant();
        final Instant end = now.plus(validity).isAfter(caEnd) ? caEnd : now.plus(validity);
        final List<GeneralName> names = new ArrayList<>();
        if (isDnsName(nodeName)) {
            names.add(new GeneralName(GeneralName.dNSName, nodeName));
        }
        for (InetAddress address : ipAddresses) {
            names.add(new GeneralName(GeneralName.iPAddress, address.getHostAddress()));
        }
        // EC keys agree on a key (ECDHE signs, never encrypts); RSA keys may also encipher in TLS 1.2
        final int usage = KeyUsage.digitalSignature
                | (algorithm == KeyAlgorithm.RSA_2048 ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement);
        try {
            final JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            final X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(random),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(end), commonName(nodeName), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate));
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return new NodeCredentials(nodeName, List.of(sign(builder, privateKey), certificate), keys.getPrivate());
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the certificate of node " + nodeName, e);
        }
    }

    /**
     * Writes {@code ca.pem} and {@code ca.key} (0600), replacing what is there; {@link CertificateDirectory}
     * decides whether replacing is allowed.
     *
     * @param certificateFile the certificate file
     * @param keyFile         the key file
     * @throws IOException if a file cannot be written
     */
    public void write(final Path certificateFile, final Path keyFile) throws IOException {
        PemFiles.writePrivateKey(keyFile, privateKey);
        PemFiles.writeCertificates(certificateFile, List.of(certificate));
    }

    /** @return the CA's self-signed certificate (the trust anchor nodes are configured with) */
    public X509Certificate certificate() {
        return certificate;
    }

    /** @return the CA's subject as {@code CN=...} */
    public String name() {
        return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
    }

    /**
     * @param name a node name
     * @return whether it can be a DNS subject alternative name (JDK peers reject certificates with invalid ones)
     */
    public static boolean isDnsName(final String name) {
        return name.length() <= 253 && DNS_NAME.matcher(name).matches();
    }

    private static X500Name commonName(final String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a certificate needs a non-blank name");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("name '" + name + "' is longer than the " + MAX_NAME_LENGTH
                    + " characters a certificate's common name may have: shorten it");
        }
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
    }

    private static BigInteger serial(final SecureRandom random) {
        // 159 random bits: positive and at most 20 octets (RFC 5280 4.1.2.2), unguessable
        return new BigInteger(159, random).setBit(0);
    }

    private static X509Certificate sign(final X509v3CertificateBuilder builder, final PrivateKey key)
            throws CertificateException {
        try {
            final ContentSigner signer = new JcaContentSignerBuilder(KeyAlgorithm.of(key.getAlgorithm())
                    .signatureAlgorithm()).build(key);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key", e);
        }
    }

    private static boolean matches(final PrivateKey key, final PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        try {
            final String algorithm = KeyAlgorithm.of(key.getAlgorithm()).signatureAlgorithm();
            final byte[] probe = "mycelium key check".getBytes(StandardCharsets.US_ASCII);
            final Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            final byte[] signature = signer.sign();
            final Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static void requirePositive(final Duration validity) {
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive, not " + validity);
        }
    }
}
