package io.mycelium.certs;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;

/** The key types this tool makes, each with the signature algorithm its certificates are signed with. */
public enum KeyAlgorithm {

    /** Elliptic curve P-256 (secp256r1), signed with SHA256withECDSA: small keys, fast handshakes; the default. */
    EC_P256("EC", "SHA256withECDSA"),

    /** RSA with a 2048-bit modulus, signed with SHA256withRSA: for peers that cannot use EC keys. */
    RSA_2048("RSA", "SHA256withRSA");

    private final String keyAlgorithm;
    private final String signatureAlgorithm;

    KeyAlgorithm(final String keyAlgorithm, final String signatureAlgorithm) {
        this.keyAlgorithm = keyAlgorithm;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** @return the JCA signature algorithm a key of this type signs certificates with */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /**
     * Makes a new key pair with the JDK's own providers.
     *
     * @param random the randomness source
     * @return a fresh key pair
     */
    KeyPair generate(final SecureRandom random) {
        try {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
            if (this == EC_P256) {
                generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            } else {
                generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), random);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            // every Java 17 runtime ships EC (SunEC) and RSA: this is a broken JDK, not a user error
            throw new IllegalStateException("this Java runtime cannot make " + name() + " keys", e);
        }
    }

    /**
     * @param keyAlgorithm a key's {@link java.security.Key#getAlgorithm()}
     * @return the matching value
     * @throws IllegalArgumentException for key types this tool does not sign with
     */
    static KeyAlgorithm of(final String keyAlgorithm) {
        for (KeyAlgorithm a : values()) {
            if (a.keyAlgorithm.equals(keyAlgorithm)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unsupported key algorithm " + keyAlgorithm + " (use EC or RSA keys)");
    }
}
