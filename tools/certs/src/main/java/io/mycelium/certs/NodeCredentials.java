package io.mycelium.certs;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A node's TLS identity: its certificate chain (the node certificate first, then the CA certificate) and private
 * key. Immutable; safe for any thread.
 */
public final class NodeCredentials {

    private final String nodeName;
    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;

    /**
     * @param nodeName   the node name the certificate was issued for
     * @param chain      the node certificate first, then its issuers
     * @param privateKey the node certificate's key
     */
    NodeCredentials(final String nodeName, final List<X509Certificate> chain, final PrivateKey privateKey) {
        this.nodeName = nodeName;
        this.chain = List.copyOf(chain);
        this.privateKey = privateKey;
    }

    /**
     * Reads a node's chain and key as {@link #write} wrote them.
     *
     * @param nodeName  the node name
     * @param chainFile {@code <node>.pem}
     * @param keyFile   {@code <node>.key}
     * @return the credentials
     * @throws IOException naming the file when one cannot be read
     */
    public static NodeCredentials read(final String nodeName, final Path chainFile, final Path keyFile)
            throws IOException {
        return new NodeCredentials(nodeName, PemFiles.readCertificates(chainFile), PemFiles.readPrivateKey(keyFile));
    }

    /**
     * Writes the chain (mode 0644) and the key (PKCS#8, mode 0600), replacing existing files.
     *
     * @param chainFile {@code <node>.pem}
     * @param keyFile   {@code <node>.key}
     * @throws IOException if a file cannot be written
     */
    public void write(final Path chainFile, final Path keyFile) throws IOException {
        PemFiles.writePrivateKey(keyFile, privateKey);
        PemFiles.writeCertificates(chainFile, chain);
    }

    /** @return the node name the certificate names */
    public String nodeName() {
        return nodeName;
    }

    /** @return the node's own certificate */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** @return the node certificate followed by its issuers */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** @return the node certificate's private key */
    public PrivateKey privateKey() {
        return privateKey;
    }
}
