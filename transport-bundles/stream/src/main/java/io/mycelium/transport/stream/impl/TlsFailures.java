package io.mycelium.transport.stream.impl;

import java.io.EOFException;
import java.io.IOException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;

/**
 * Turns a failed TLS handshake into one sentence an operator can act on: what was wrong and what to fix, for the
 * side that found the fault (its certificate checks) and for the side that was told (the peer's alert). Stateless.
 */
final class TlsFailures {

    private static final String ALERT = "Received fatal alert: ";

    private TlsFailures() {
    }

    /**
     * Describes why the handshake with the peer failed.
     *
     * @param failure  what the engine or the socket threw
     * @param context  the TLS configuration, for the file names
     * @param thisNode this node's name
     * @return e.g. "the peer's certificate is not signed by the CA of tls.ca = /etc/tls/ca.pem (...); ..."
     */
    static String describe(final IOException failure, final TlsContext context, final String thisNode) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PeerNameTrustManager.PeerNameException) {
                return "the peer's certificate is signed by the CA, but " + cause.getMessage();
            }
            if (cause instanceof CertificateExpiredException || cause instanceof CertPathValidatorException
                    && ((CertPathValidatorException) cause).getReason()
                    == CertPathValidatorException.BasicReason.EXPIRED) {
                return "the peer's certificate has expired (" + cause.getMessage() + "); give the peer a new"
                        + " certificate (bin/mycelium certs)";
            }
            if (cause instanceof CertificateNotYetValidException || cause instanceof CertPathValidatorException
                    && ((CertPathValidatorException) cause).getReason()
                    == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return "the peer's certificate is not valid yet (" + cause.getMessage() + "); check both hosts'"
                        + " clocks";
            }
            if (cause instanceof CertPathBuilderException || cause instanceof CertPathValidatorException) {
                return "the peer's certificate is not signed by the CA of tls.ca = " + context.caFile() + " ("
                        + cause.getMessage() + "); give both nodes certificates from the same CA (bin/mycelium"
                        + " certs) and the same tls.ca";
            }
            final String message = String.valueOf(cause.getMessage());
            if (message.contains("Empty client certificate chain")) {
                // The client's key manager offers only a certificate of a CA this listener names as trusted.
                return "the peer presented no certificate signed by the CA of tls.ca = " + context.caFile()
                        + "; give it a certificate from this CA (bin/mycelium certs) and the same tls.ca";
            }
            if (message.startsWith(ALERT)) {
                return alert(message.substring(ALERT.length()), context, thisNode);
            }
            if (cause instanceof EOFException || message.contains("Remote host terminated the handshake")
                    || message.contains("Broken pipe") || message.contains("Connection reset")) {
                return "the peer closed the connection during the TLS handshake: it may not speak TLS here (its"
                        + " transport has no tls.ca), it refused this node's certificate, or the handshake took longer"
                        + " than its pending.handshake.timeout.ms (see the peer's log)";
            }
        }
        return "TLS handshake failed: " + failure.getMessage();
    }

    private static String alert(final String alert, final TlsContext context, final String thisNode) {
        final String own = context.ownCertificateProblem();
        if (own != null && !alert.equals("handshake_failure")) {
            return "the peer refused this node's certificate (alert " + alert + "): " + own;
        }
        switch (alert) {
            case "certificate_expired":
                return "the peer refused this node's certificate as expired (alert certificate_expired); renew"
                        + " tls.cert = " + context.certFile() + " (bin/mycelium certs)";
            case "certificate_unknown":
            case "bad_certificate":
            case "unknown_ca":
            case "access_denied":
            case "unsupported_certificate":
                return "the peer refused this node's certificate (alert " + alert + "): check that tls.cert = "
                        + context.certFile() + " is signed by the CA the peer trusts (its tls.ca) and names this node"
                        + " '" + thisNode + "'";
            case "handshake_failure":
            case "protocol_version":
            case "insufficient_security":
                return "the peer refused the TLS handshake (alert " + alert + "): it may have no TLS configured"
                        + " (tls.ca, tls.cert, tls.key in its transport configuration or [tls] in the topology), or"
                        + " it does not speak TLS 1.3";
            default:
                return "the peer ended the TLS handshake with alert " + alert + " (see the peer's log)";
        }
    }
}
