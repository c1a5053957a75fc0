package io.mycelium.topology;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a node accepts connections from other processes, as declared by {@code endpoint = {kind, addr|path}}.
 *
 * @param kind    the transport kind
 * @param address      for {@link Kind#TCP} an {@code ip:port} literal (IPv6 in brackets); for {@link Kind#UNIX} and
 *                     {@link Kind#SHM} a file path; for {@link Kind#AERON} the channel URI the node subscribes on
 * @param insecureBind for {@link Kind#TCP}: what listening on a non-loopback address without TLS does,
 *                     {@code endpoint.insecure_bind} = {@code "warn"} or {@code "refuse"}; empty when not set (the
 *                     transport's default, warn)
 * @param fanout       for {@link Kind#AERON}: how the node fans out to its peers, {@code endpoint.fanout}:
 *                     {@code "mdc"} (one multi-destination-cast publication to all of them); empty when not set (one
 *                     publication per peer)
 */
public record Endpoint(Kind kind, String address, String insecureBind, String fanout) {

    /** The transport kinds an endpoint can declare; the TOML spelling is the lower-case name. */
    public enum Kind {
        /** A Unix domain socket at a file path. */
        UNIX,
        /** A TCP socket at an {@code ip:port} address. */
        TCP,
        /** A pair of shared-memory rings in a file (one per direction). */
        SHM,
        /** Aeron over UDP: the address is the Aeron channel the node subscribes on ({@code aeron:udp?endpoint=...}). */
        AERON;

        /** @return the spelling used in {@code topology.toml}, e.g. {@code "unix"} */
        public String tomlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * An endpoint without {@code insecure_bind}.
     *
     * @param kind    the transport kind
     * @param address the address or path
     * @throws NullPointerException     if either is null
     * @throws IllegalArgumentException if the address is empty
     */
    public Endpoint(final Kind kind, final String address) {
        this(kind, address, "", "");
    }

    /**
     * An endpoint without fan-out.
     *
     * @param kind         the transport kind
     * @param address      the address, path or channel
     * @param insecureBind the TCP listener's {@code endpoint.insecure_bind}, or empty
     * @throws NullPointerException     if any is null
     * @throws IllegalArgumentException if the address is empty
     */
    public Endpoint(final Kind kind, final String address, final String insecureBind) {
        this(kind, address, insecureBind, "");
    }

    /**
     * Checks the components.
     *
     * @throws NullPointerException     if any is null
     * @throws IllegalArgumentException if the address is empty
     */
    public Endpoint {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(insecureBind, "insecureBind");
        Objects.requireNonNull(fanout, "fanout");
        if (address.isEmpty()) {
            throw new IllegalArgumentException("endpoint address must not be empty");
        }
    }
}
