package io.mycelium.topology;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a node accepts connections from other processes, as declared by {@code endpoint = {kind, addr|path}}.
 *
 * @param kind    the transport kind
 * @param address for {@link Kind#TCP} an {@code ip:port} literal (IPv6 in brackets); for {@link Kind#UNIX} and
 *                {@link Kind#SHM} a file path
 */
public record Endpoint(Kind kind, String address) {

    /** The transport kinds an endpoint can declare; the TOML spelling is the lower-case name. */
    public enum Kind {
        /** A Unix domain socket at a file path. */
        UNIX,
        /** A TCP socket at an {@code ip:port} address. */
        TCP,
        /** A pair of shared-memory rings in a file (one per direction). */
        SHM;

        /** @return the spelling used in {@code topology.toml}, e.g. {@code "unix"} */
        public String tomlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Checks the components.
     *
     * @throws NullPointerException     if either is null
     * @throws IllegalArgumentException if the address is empty
     */
    public Endpoint {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        if (address.isEmpty()) {
            throw new IllegalArgumentException("endpoint address must not be empty");
        }
    }
}
