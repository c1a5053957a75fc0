package io.mycelium.transport.tcp.impl;

import io.mycelium.api.ConfigurationException;
import io.mycelium.api.link.TransportConfiguration;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a TCP listener on a non-loopback address without TLS may do (issue 13 item 5): any host that reaches it can
 * connect without authentication. Configuration key {@value #KEY}: {@code warn} (the default) logs one WARN at every
 * start naming the address and how to turn TLS on; {@code refuse} does not start the transport (an ERROR, and a
 * problem of the node's health). TLS counts as configured when {@value #TLS_CA} is not blank. Stateless.
 */
final class PlaintextListenPolicy {

    /** The configuration key: {@code warn} or {@code refuse}. */
    static final String KEY = TransportConfiguration.INSECURE_BIND;
    /** The TLS transport's CA file: set means the listener authenticates its peers. */
    static final String TLS_CA = TransportConfiguration.TLS_CA;

    private static final Logger LOG = LoggerFactory.getLogger(TcpTransportComponent.class);
    private static final String RISK = "any host that reaches it can connect without authentication and publish to"
            + " every service";
    private static final String FIX = "turn TLS on (tls.ca, tls.cert and tls.key: docs/transports.md, section TLS)"
            + " or listen on a loopback address such as 127.0.0.1";

    private PlaintextListenPolicy() {
    }

    /**
     * Checks a listen address against the policy, before the transport binds it; warns when it is allowed.
     *
     * @param node       this node's name
     * @param listen     the configured listen address, possibly blank (then nothing is bound)
     * @param properties the transport's configuration
     * @throws ConfigurationException when {@value #KEY} is neither warn nor refuse, or it is refuse and the address is
     *                                not loopback while TLS is not configured; the message names the address
     */
    static void check(final String node, final String listen, final Map<String, Object> properties) {
        final String mode = text(properties.get(KEY), "warn").toLowerCase(Locale.ROOT);
        if (!mode.equals("warn") && !mode.equals("refuse")) {
            throw new ConfigurationException(TcpTransportComponent.PID + ": " + KEY + " = '" + properties.get(KEY)
                    + "' is not one of warn, refuse");
        }
        if (listen.isBlank() || !text(properties.get(TLS_CA), "").isEmpty()) {
            return;
        }
        final InetAddress ip;
        try {
            ip = TcpEndpoints.parse(listen).getAddress();
        } catch (final IOException e) {
            return; // a bad address is reported by the address check
        }
        if (ip == null || ip.isLoopbackAddress()) {
            return;
        }
        final String where = listen + (ip.isAnyLocalAddress() ? " (all interfaces, IPv4 and IPv6)"
                : " (not loopback: reachable from other hosts)");
        if (mode.equals("refuse")) {
            throw new ConfigurationException(TcpTransportComponent.PID + ": node " + node + " refuses to listen on "
                    + where + " without TLS (" + KEY + " = refuse): " + RISK + "; " + FIX);
        }
        LOG.warn("tcp transport of node {} listens on {} without TLS: {}; {}; {} = refuse forbids this", node,
                where, RISK, FIX, KEY);
    }

    private static String text(final Object value, final String absent) {
        return value == null || String.valueOf(value).isBlank() ? absent : String.valueOf(value).trim();
    }
}
