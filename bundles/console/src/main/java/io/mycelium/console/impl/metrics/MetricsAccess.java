package io.mycelium.console.impl.metrics;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;

/**
 * Who may read {@code /metrics}: the {@code auth} setting and the Web Console's login it checks against. Immutable
 * and thread-safe.
 *
 * @param mode     the setting
 * @param user     the Web Console's user, or {@code null} when the launcher did not set one
 * @param password the Web Console's password, or {@code null}
 */
record MetricsAccess(Mode mode, String user, String password) {

    /** The values of {@code auth}. */
    enum Mode {
        /** Clients on this machine read freely; others need the Web Console's login. */
        LOOPBACK,
        /** Every client needs the Web Console's login. */
        CONSOLE,
        /** No login asked (for a node whose HTTP service only a trusted scraper reaches). */
        NONE;

        /**
         * @param text the setting as written
         * @return the mode
         * @throws IllegalArgumentException naming the accepted values
         */
        static Mode parse(final String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException("auth = '" + text + "' is not one of loopback, console, none", e);
            }
        }
    }

    /**
     * @param remoteAddress the client's IP address as the servlet container reports it
     * @param authorization the request's {@code Authorization} header, or {@code null}
     * @return whether the client may read the metrics
     */
    boolean allows(final String remoteAddress, final String authorization) {
        return switch (mode) {
            case NONE -> true;
            case LOOPBACK -> isLoopback(remoteAddress) || loggedIn(authorization);
            case CONSOLE -> loggedIn(authorization);
        };
    }

    private boolean loggedIn(final String authorization) {
        if (user == null || password == null || authorization == null
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        final byte[] given;
        try {
            given = Base64.getDecoder().decode(authorization.substring(6).trim());
        } catch (final IllegalArgumentException e) {
            return false;
        }
        // constant time, so the comparison does not tell how much of a guess was right
        return MessageDigest.isEqual(given, (user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isLoopback(final String address) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        try {
            // a literal from the container: no name lookup happens
            return InetAddress.getByName(address.startsWith("[") ? address.substring(1, address.length() - 1)
                    : address).isLoopbackAddress();
        } catch (final UnknownHostException e) {
            return false;
        }
    }
}
