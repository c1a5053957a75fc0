package io.mycelium.transport.stream.impl;

import io.mycelium.logging.LogLimiter;
import io.mycelium.transport.stream.LinkSecurity;
import io.mycelium.transport.stream.PlaintextPolicy;
import io.mycelium.transport.stream.TransportCounter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides, once a listener has read a peer's handshake, whether the peer may in: the {@link LinkSecurity} policy
 * for plaintext peers ({@code plaintext.peers}, consulted while TLS is configured) and legacy clients
 * ({@code legacy.clients}), and for TLS peers whether the certificate names who the peer says it is.
 *
 * <p>A TLS peer is admitted when its certificate names the node its HELLO names and that node is one this transport
 * links with (a peer in the topology, or this node); or, for a client (a HELLO name that is no node, e.g. a Python
 * SDK service), when its certificate names such a node: the client acts for that node. A HELLO that names a node
 * its certificate does not name is refused, so no node's certificate can stand in for another node.
 *
 * <p>Thread-safe: one per transport, called on link reader threads. Every refusal is counted in
 * {@code rejected.unauthorised} and logged at WARN with the peer's address, the reason and the fix, at most once per
 * {@value LinkGate#LOG_SECONDS} s per cause (with the count of lines left out).
 */
final class LinkAdmission {

    private final TransportContext context;
    private final LinkSecurity security;
    private volatile Set<String> nodes = Set.of();
    private final LogLimiter plaintextRefusals = new LogLimiter(Duration.ofSeconds(LinkGate.LOG_SECONDS));
    private final LogLimiter plaintextLegacyRefusals = new LogLimiter(Duration.ofSeconds(LinkGate.LOG_SECONDS));
    private final LogLimiter legacyRefusals = new LogLimiter(Duration.ofSeconds(LinkGate.LOG_SECONDS));
    private final LogLimiter nameRefusals = new LogLimiter(Duration.ofSeconds(LinkGate.LOG_SECONDS));

    LinkAdmission(final TransportContext context, final LinkSecurity security) {
        this.context = context;
        this.security = security;
    }

    /** Sets the nodes TLS peers may be: the transport's peers and this node. Any thread. */
    void nodes(final Set<String> names) {
        nodes = Set.copyOf(names);
    }

    /**
     * Decides on a v1 HELLO.
     *
     * @return null to admit, otherwise the REJECT UNAUTHORISED text (the refusal is counted and logged)
     */
    String refusal(final StreamLink link, final String helloName) {
        final X509Certificate certificate = link.peerCertificate();
        if (certificate == null) {
            if (!plaintextAllowed(link)) {
                return refusePlaintext(link, plaintextRefusals, "client '" + helloName + "'");
            }
            return null;
        }
        final boolean namesClaimed = CertificateNames.names(certificate, helloName);
        final Set<String> known = nodes;
        if (namesClaimed && known.contains(helloName)) {
            return null;
        }
        if (!namesClaimed && !known.contains(helloName)) {
            for (final String name : CertificateNames.of(certificate)) {
                if (known.contains(name)) {
                    context.log.info("{} client '{}' at {} presents the certificate of node '{}': admitted as a"
                            + " client of node '{}'", context.endpoints.kind(), helloName, link.remoteAddress(), name,
                            name);
                    return null;
                }
            }
        }
        final String why;
        if (namesClaimed) {
            why = "its certificate names '" + helloName + "', which is no node this " + context.endpoints.kind()
                    + " transport links with (nodes: " + String.join(", ", new TreeSet<>(known)) + ")";
        } else if (known.contains(helloName)) {
            why = "it claims to be node '" + helloName + "' but its certificate names "
                    + CertificateNames.describe(certificate);
        } else {
            why = "its certificate names " + CertificateNames.describe(certificate) + ", no node this "
                    + context.endpoints.kind() + " transport links with (nodes: "
                    + String.join(", ", new TreeSet<>(known)) + ")";
        }
        return refuse(link, nameRefusals, "'" + helloName + "'", why, "give node '" + helloName + "' its own"
                + " certificate (bin/mycelium certs --topology ...) and check that the topology names it");
    }

    /** Decides on a legacy handshake; returns whether it may in (a refusal is counted and logged). */
    boolean admitLegacy(final StreamLink link) {
        if (link.peerCertificate() == null && !plaintextAllowed(link)) {
            refusePlaintext(link, plaintextLegacyRefusals, "legacy client");
            return false;
        }
        if (security.legacyClients().allows(isLocal(link.channel()))) {
            return true;
        }
        refuse(link, legacyRefusals, "legacy client", "legacy.clients = " + security.legacyClients().configName()
                + " admits the legacy (original Mycelium) handshake " + where(security.legacyClients())
                + ", and legacy clients cannot be authenticated", "connect with the v1 SDK (mycelium.TcpTransport,"
                + " with TLS) or set legacy.clients = always on node " + context.settings.nodeName());
        return false;
    }

    private boolean plaintextAllowed(final StreamLink link) {
        return !context.gate.tlsConfigured() || security.plaintextPeers().allows(isLocal(link.channel()));
    }

    private String refusePlaintext(final StreamLink link, final LogLimiter limiter, final String who) {
        return refuse(link, limiter, who, "it connected in plaintext, and while TLS is configured"
                + " plaintext.peers = " + security.plaintextPeers().configName() + " admits plaintext "
                + where(security.plaintextPeers()), "connect with TLS (the client's tls.ca, tls.cert and tls.key,"
                + " or [tls] in its topology; docs/transports.md, TLS) or set plaintext.peers = always on node "
                + context.settings.nodeName());
    }

    private String refuse(final StreamLink link, final LogLimiter limiter, final String who, final String why,
            final String fix) {
        final String text = "node " + context.settings.nodeName() + " refused " + who + " at " + link.remoteAddress()
                + ": " + why;
        link.failed(text);
        final long suppressed = limiter.tryAcquire();
        if (suppressed != LogLimiter.SUPPRESSED) {
            context.log.warn("{} listener {}: {} (UNAUTHORISED). Fix: {}{}", context.endpoints.kind(),
                    context.endpoints.localAddress(link.channel()), text, fix, limiter.summary(suppressed));
        }
        // Counted after the line is out: whoever sees the count (console, metrics, a test) can already read why.
        context.counters.increment(TransportCounter.REJECTED_UNAUTHORISED);
        return text + ". Fix: " + fix;
    }

    private static String where(final PlaintextPolicy policy) {
        switch (policy) {
            case ALWAYS:
                return "from every address";
            case NEVER:
                return "from no address";
            default:
                return "only on Unix sockets and from loopback addresses";
        }
    }

    /** Returns whether the connection came over a Unix socket or from a loopback address. */
    static boolean isLocal(final SocketChannel socket) {
        final SocketAddress remote;
        try {
            remote = socket.getRemoteAddress();
        } catch (final IOException e) {
            return false;
        }
        if (remote instanceof InetSocketAddress inet) {
            return inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
        }
        return true; // Unix domain socket: the same host, guarded by the socket file's mode
    }
}
