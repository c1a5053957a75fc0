package io.mycelium.transport.stream;

import java.util.Locale;

/**
 * Where a listener admits connections that are not authenticated by TLS: plaintext TCP peers when TLS is configured
 * ({@code plaintext.peers}), and clients of the legacy (original Mycelium) handshake ({@code legacy.clients}).
 * A connection refused by the policy is answered REJECT {@code UNAUTHORISED} (legacy clients, which never get a
 * reply, are closed), logged with the peer's address and why, and counted in {@code rejected.unauthorised}.
 */
public enum PlaintextPolicy {

    /** Allowed on Unix sockets and from loopback addresses ({@code 127.0.0.0/8}, {@code ::1}); the default. */
    LOOPBACK,
    /** Allowed from every address. */
    ALWAYS,
    /** Never allowed. */
    NEVER;

    /**
     * Returns whether a connection is allowed.
     *
     * @param local whether it came over a Unix socket or from a loopback address
     */
    public boolean allows(final boolean local) {
        return this == ALWAYS || this == LOOPBACK && local;
    }

    /** Returns the spelling used in configurations, e.g. {@code loopback}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a configured value, ignoring case and surrounding blanks.
     *
     * @param key   the configuration key, for the message
     * @param value the configured text
     * @throws IllegalArgumentException naming the key, the value and the allowed values
     */
    public static PlaintextPolicy parse(final String key, final String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " = '" + value + "' is not one of loopback, always, never", e);
        }
    }
}
