package io.mycelium.topology.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.mycelium.topology.Endpoint;

/**
 * Says what a node listens on before and after a plan change, one line per transport whose listener changes, e.g.
 * {@code node a: tcp listener 127.0.0.1:19401 -> 0.0.0.0:19401 (all interfaces, IPv4 and IPv6)} or
 * {@code node a: unix listener /tmp/mycelium/a.sock -> none}: what a node exposes must never change silently (a
 * {@code topology.toml} dropped into deploy/ can move it onto every interface). Stateless.
 */
final class ListenChanges {

    private ListenChanges() {
    }

    /**
     * @param from the running plan ({@link NodePlan#EMPTY} at start)
     * @param to   the new plan ({@link NodePlan#EMPTY} at stop)
     * @return one line per transport kind whose listen address differs, in kind order; empty when none does
     */
    static List<String> between(final NodePlan from, final NodePlan to) {
        final String node = to.nodeName().isEmpty() ? from.nodeName() : to.nodeName();
        final List<String> lines = new ArrayList<>();
        for (Endpoint.Kind kind : Endpoint.Kind.values()) {
            final Optional<String> before = listen(from, kind);
            final Optional<String> after = listen(to, kind);
            if (!before.equals(after)) {
                lines.add("node " + node + ": " + kind.tomlName() + " listener " + describe(kind, before) + " -> "
                        + describe(kind, after));
            }
        }
        return lines;
    }

    private static Optional<String> listen(final NodePlan plan, final Endpoint.Kind kind) {
        final TransportPlan transport = plan.transports().get(kind);
        return transport == null ? Optional.empty() : transport.listen();
    }

    /**
     * @param kind   the transport
     * @param listen its listen address or path, if any
     * @return the address as the operator reads it: {@code none}, and for TCP who can reach it when that is more than
     *         this host
     */
    static String describe(final Endpoint.Kind kind, final Optional<String> listen) {
        if (listen.isEmpty()) {
            return "none";
        }
        final String address = listen.get();
        if (kind != Endpoint.Kind.TCP) {
            return address;
        }
        if (Addresses.isWildcard(address)) {
            return address + " (all interfaces, IPv4 and IPv6)";
        }
        return isLoopback(address) ? address : address + " (not loopback: reachable from other hosts)";
    }

    /** @return whether a TCP {@code host:port} binds a loopback address only (a host name other than localhost: no) */
    static boolean isLoopback(final String address) {
        final int colon = address.lastIndexOf(':');
        String host = colon < 0 ? "" : address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.isEmpty() || host.equalsIgnoreCase("localhost") || host.startsWith("127.")
                || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1");
    }
}
