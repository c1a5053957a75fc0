package io.mycelium.transport.stream.impl;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.X509TrustManager;

/**
 * Trusts a server certificate when the configured CA signed it (the PKIX checks of {@code authorities}: chain,
 * validity dates) and it names the node this link dials; used by one dialed link's TLS client. Immutable;
 * called by the JDK on the link's reader thread.
 */
final class PeerNameTrustManager implements X509TrustManager {

    private final X509TrustManager authorities;
    private final String expectedPeer;
    private final String caFile;

    PeerNameTrustManager(final X509TrustManager authorities, final String expectedPeer, final String caFile) {
        this.authorities = authorities;
        this.expectedPeer = expectedPeer;
        this.caFile = caFile;
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType) throws CertificateException {
        throw new CertificateException("a dialing link does not accept clients");
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType) throws CertificateException {
        authorities.checkServerTrusted(chain, authType);
        if (!CertificateNames.names(chain[0], expectedPeer)) {
            throw new PeerNameException("its certificate names " + CertificateNames.describe(chain[0])
                    + " but the topology puts node '" + expectedPeer + "' at this address; give node '"
                    + expectedPeer + "' its own certificate (bin/mycelium certs), or correct the topology's address"
                    + " (certificate signed by the CA of tls.ca = " + caFile + ")");
        }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return authorities.getAcceptedIssuers();
    }

    /** A trusted certificate that names another node than the one dialed. */
    static final class PeerNameException extends CertificateException {
        private static final long serialVersionUID = 1L;

        PeerNameException(final String message) {
            super(message);
        }
    }
}
