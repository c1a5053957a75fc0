package io.mycelium.topology.impl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Checks and formats the {@code ip:port} literals of {@code topology.toml}. Hostnames are never resolved (like the
 * original, which parses addresses as socket-address literals). Stateless.
 */
final class Addresses {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");

    /** Largest TCP port. */
    static final int MAX_PORT = 65_535;

    private Addresses() {
    }

    /**
     * @param address a candidate {@code ip:port} (IPv6 as {@code [ip]:port}); port 0 means "any free port"
     * @return whether it is a literal socket address
     */
    static boolean isSocketAddress(final String address) {
        final int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            return false;
        }
        final String host = address.substring(0, colon);
        final String port = address.substring(colon + 1);
        if (!port.chars().allMatch(Character::isDigit) || port.length() > 5 || Integer.parseInt(port) > MAX_PORT) {
            return false;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            return isIpv6(host.substring(1, host.length() - 1));
        }
        return isIpv4(host);
    }

    /**
     * @param host the {@code host} field of a node
     * @return whether it is an IP literal or a syntactically valid host name
     */
    static boolean isHost(final String host) {
        return isIpv4(host) || isIpv6(host) || HOST_NAME.matcher(host).matches() && !host.contains("..");
    }

    /**
     * @param host a host name or IP literal
     * @param port a port
     * @return {@code host:port}, with an IPv6 literal in brackets
     */
    static String join(final String host, final int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * @param address an {@code ip:port} literal
     * @return whether its IP is the any-address ({@code 0.0.0.0} or {@code [::]}), valid to bind but not to dial
     */
    static boolean isWildcard(final String address) {
        return address.startsWith("0.0.0.0:") || address.startsWith("[::]:");
    }

    private static boolean isIpv4(final String host) {
        final var m = IPV4.matcher(host);
        if (!m.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(final String host) {
        if (host.indexOf(':') < 0 || !IPV6_CHARS.matcher(host).matches()) {
            return false;
        }
        try {
            // Only colon-hex literals reach here, so this parses the literal and never does a DNS lookup.
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
