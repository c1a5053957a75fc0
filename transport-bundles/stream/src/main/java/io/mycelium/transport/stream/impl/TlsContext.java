package io.mycelium.transport.stream.impl;

import io.mycelium.transport.stream.TlsIdentity;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Makes the TLS 1.3 engines of one transport from its {@link TlsIdentity}: server engines that require a client
 * certificate signed by the configured CA, and client engines that also require the server's certificate to name
 * the node dialed. Names a listener's peer must carry are checked after its HELLO ({@link LinkAdmission}).
 *
 * <p>Immutable and thread-safe. Each dialed link gets an {@link SSLContext} of its own, holding the name it expects;
 * so no TLS session is ever resumed across links and every link proves its certificate afresh.
 */
final class TlsContext {

    /** The only protocol links speak. */
    static final String PROTOCOL = "TLSv1.3";
    private static final char[] KEY_PASSWORD = "mycelium".toCharArray();

    private final TlsIdentity identity;
    private final KeyManager[] keys;
    private final X509TrustManager authorities;
    private final SSLContext server;

    /**
     * @throws GeneralSecurityException when the key does not fit the certificate or the JDK lacks TLS 1.3
     */
    TlsContext(final TlsIdentity identity) throws GeneralSecurityException {
        this.identity = identity;
        try {
            final KeyStore own = KeyStore.getInstance("PKCS12");
            own.load(null, null);
            own.setKeyEntry("node", identity.key(), KEY_PASSWORD, identity.chain().toArray(new X509Certificate[0]));
            final KeyManagerFactory keyFactory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyFactory.init(own, KEY_PASSWORD);
            this.keys = keyFactory.getKeyManagers();
            final KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            int index = 0;
            for (final X509Certificate authority : identity.authorities()) {
                trusted.setCertificateEntry("ca-" + index++, authority);
            }
            final TrustManagerFactory trustFactory = TrustManagerFactory.getInstance("PKIX");
            trustFactory.init(trusted);
            this.authorities = (X509TrustManager) trustFactory.getTrustManagers()[0];
        } catch (final IOException e) {
            throw new GeneralSecurityException("cannot hold the TLS key in memory: " + e.getMessage(), e);
        }
        this.server = SSLContext.getInstance(PROTOCOL);
        server.init(keys, new TrustManager[] {authorities}, null);
    }

    /** Returns where the CA came from ({@code tls.ca}), for messages. */
    String caFile() {
        return identity.caFile();
    }

    /** Returns where this node's certificate came from ({@code tls.cert}), for messages. */
    String certFile() {
        return identity.certFile();
    }

    /**
     * Returns what is wrong with this node's own certificate now (expired, not yet valid), or null; for messages
     * after a peer refused it.
     */
    String ownCertificateProblem() {
        final X509Certificate own = identity.chain().get(0);
        try {
            own.checkValidity();
            return null;
        } catch (final CertificateExpiredException e) {
            return "this node's certificate (tls.cert = " + identity.certFile() + ") expired on " + own.getNotAfter()
                    + "; renew it (bin/mycelium certs)";
        } catch (final CertificateNotYetValidException e) {
            return "this node's certificate (tls.cert = " + identity.certFile() + ") is not valid before "
                    + own.getNotBefore() + "; check this host's clock";
        }
    }

    /** Returns an engine for an accepted connection: TLS 1.3, client certificate required. */
    SSLEngine serverEngine() {
        final SSLEngine engine = server.createSSLEngine();
        engine.setUseClientMode(false);
        final SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(new String[] {PROTOCOL});
        parameters.setNeedClientAuth(true);
        engine.setSSLParameters(parameters);
        return engine;
    }

    /**
     * Returns an engine for a link dialing {@code expectedPeer}: TLS 1.3, presenting this node's certificate,
     * trusting a server certificate only when the CA signed it and it names {@code expectedPeer}.
     */
    SSLEngine clientEngine(final String expectedPeer) throws GeneralSecurityException {
        final SSLContext client = SSLContext.getInstance(PROTOCOL);
        client.init(keys, new TrustManager[] {new PeerNameTrustManager(authorities, expectedPeer, caFile())}, null);
        final SSLEngine engine = client.createSSLEngine();
        engine.setUseClientMode(true);
        final SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(new String[] {PROTOCOL});
        engine.setSSLParameters(parameters);
        return engine;
    }
}
