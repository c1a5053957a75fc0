package io.mycelium.transport.stream;

import io.mycelium.api.ConfigurationException;
import io.mycelium.api.link.LinkBus;
import io.mycelium.api.Schema;
import io.mycelium.api.link.TransportConfiguration;
import io.mycelium.protocol.frame.FrameDescriptor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the limits and timings every stream transport shares, so that each transport's own typed configuration
 * (its metatype) holds only the topology's values, whose addresses it alone understands, and what is its own: the
 * limits and timings below come from the component properties, the topology values ({@link TransportConfiguration#NODE node}, {@link TransportConfiguration#LISTEN listen},
 * {@link TransportConfiguration#PEERS peers}, {@link TransportConfiguration#SCHEMA_DIGEST schema.digest}) from the
 * transport's typed configuration, and {@link #start} puts them together. docs/transports.md lists every key.
 *
 * <p>Why a property reader and not a shared annotation: metatype annotations cannot inherit, so a second typed
 * annotation would either be copied into every transport's OCD or be missing from it anyway; and DS turns a bad
 * number into a {@code ComponentException} thrown from the accessor, without the PID or the fix. Here every key is
 * written once, with its default in {@link LinkSettings}.
 *
 * <p>Stateless and thread-safe. Every bad value is a {@link ConfigurationException} naming the PID's property,
 * its value and the fix.
 */
public final class LinkProperties {

    /** Property: most links accepted at once. */
    public static final String MAX_CONNECTIONS = "max.connections";
    /** Property: largest payload accepted from a peer, bytes. */
    public static final String MAX_PAYLOAD_LENGTH = "max.payload.length";
    /** Property: time a connection may take for its handshake, ms. */
    public static final String HANDSHAKE_TIMEOUT_MS = "handshake.timeout.ms";
    /** Property: outbound frames queued per link. */
    public static final String QUEUE_CAPACITY = "queue.capacity";
    /** Property: what a full outbound queue does, {@code DROP_NEWEST} or {@code DISCONNECT}. */
    public static final String OVERFLOW = "overflow";
    /** Property: bytes of a typical outbound frame; with queue.capacity it bounds the link's outbound ring. */
    public static final String SLOT_SIZE = "slot.size";
    /** Property: time between PINGs, ms. */
    public static final String HEARTBEAT_INTERVAL_MS = "heartbeat.interval.ms";
    /** Property: silence after which a peer is declared dead, ms. */
    public static final String LIVENESS_TIMEOUT_MS = "liveness.timeout.ms";
    /** Property: first reconnect delay, ms. */
    public static final String RECONNECT_INITIAL_MS = "reconnect.initial.ms";
    /** Property: largest reconnect delay, ms. */
    public static final String RECONNECT_MAX_MS = "reconnect.max.ms";
    /** Property: time a connect attempt may take, ms. */
    public static final String CONNECT_TIMEOUT_MS = "connect.timeout.ms";
    /** Property: whether a link that sends a type id the schema lacks is closed. */
    public static final String CLOSE_ON_UNKNOWN_TYPE = "close.on.unknown.type";
    /** Property: microseconds a link's reader keeps polling before it blocks in its selector. */
    public static final String READ_SPIN_MICROS = "read.spin.micros";
    /** Property: connections accepted and still handshaking at once ({@link AdmissionSettings}). */
    public static final String MAX_PENDING_HANDSHAKES = "max.pending.handshakes";
    /** Property: time an accepted connection may take for its handshake, ms. */
    public static final String PENDING_HANDSHAKE_TIMEOUT_MS = "pending.handshake.timeout.ms";
    /** Property: bytes of partly received frames the transport's links may hold at once. */
    public static final String PARTIAL_FRAMES_MAX_BYTES = "partial.frames.max.bytes";
    /** Property: where plaintext peers are admitted while TLS is configured ({@link PlaintextPolicy}). */
    public static final String PLAINTEXT_PEERS = TransportConfiguration.PLAINTEXT_PEERS;
    /** Property: where legacy clients are admitted ({@link PlaintextPolicy}). */
    public static final String LEGACY_CLIENTS = TransportConfiguration.LEGACY_CLIENTS;

    private LinkProperties() {
    }

    /**
     * Starts a transport.
     *
     * @param pid          the transport's factory PID, for error messages
     * @param endpoints    how channels of this kind are opened
     * @param settings     the limits and timings, from {@link #settings}
     * @param listen       the address to listen on, or empty to only dial
     * @param peers        {@code name=address} entries, read by {@link #peers}
     * @param schemaDigest the hex digest choosing the schema when several are registered, or empty
     * @param bus          the node's bus
     * @param schemas      the registered schemas; one is chosen by {@link #selectSchema}
     * @return the started transport; close it on deactivation
     * @throws ConfigurationException when a peers entry is invalid or no schema can be chosen
     * @throws IOException            when the listen address cannot be bound
     */
    public static StreamTransport start(final String pid, final StreamEndpoints endpoints,
            final LinkSettings settings, final String listen, final String[] peers, final String schemaDigest,
            final LinkBus bus, final List<Schema> schemas) throws IOException {
        return start(pid, endpoints, settings, AdmissionSettings.DEFAULTS, LinkSecurity.DEFAULT, listen, peers,
                schemaDigest, bus, schemas);
    }

    /**
     * Starts a transport with its admission limits, TLS and admission policy; otherwise as
     * {@link #start(String, StreamEndpoints, LinkSettings, String, String[], String, LinkBus, List)}.
     *
     * @param admission the limits for connections still handshaking and partly received frames, from {@link
     *                  #admission}
     * @param security  the TLS identity (if any) and the policy for plaintext peers and legacy clients, from {@link
     *                  #security} (a TLS transport adds its identity)
     * @throws ConfigurationException also when the TLS key cannot be used with its certificate
     */
    public static StreamTransport start(final String pid, final StreamEndpoints endpoints,
            final LinkSettings settings, final AdmissionSettings admission, final LinkSecurity security,
            final String listen, final String[] peers, final String schemaDigest, final LinkBus bus,
            final List<Schema> schemas) throws IOException {
        final Schema schema = selectSchema(schemas, schemaDigest, pid);
        final Map<String, String> peerAddresses = peers(peers, pid);
        final StreamTransport transport;
        try {
            transport = new StreamTransport(settings, admission, endpoints, bus, schema, security);
        } catch (final IllegalArgumentException e) {
            throw new ConfigurationException(pid + ": " + e.getMessage(), e);
        }
        transport.start(listen, peerAddresses);
        return transport;
    }

    /**
     * Reads the limits and timings; an absent key takes its default from {@link LinkSettings}.
     *
     * @param pid        the transport's factory PID, for error messages
     * @param node       this node's name ({@link TransportConfiguration#NODE}), null when not configured
     * @param properties the component properties
     * @throws ConfigurationException naming the property when the node is missing or a value is not a number or
     *                                out of range
     */
    public static LinkSettings settings(final String pid, final String node, final Map<String, ?> properties) {
        if (node == null || node.isBlank()) {
            throw new ConfigurationException(pid + ": property '" + TransportConfiguration.NODE + "' (this node's"
                    + " name) is missing; the topology bundle sets it, or set it in etc/" + pid + "~<name>.cfg");
        }
        final String overflow = text(properties, OVERFLOW, OverflowPolicy.DROP_NEWEST.name());
        final OverflowPolicy policy;
        try {
            policy = OverflowPolicy.valueOf(overflow.trim().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new ConfigurationException(pid + ": overflow = '" + overflow + "' is not one of DROP_NEWEST,"
                    + " DISCONNECT", e);
        }
        try {
            return new LinkSettings(node,
                    (int) number(properties, MAX_CONNECTIONS, LinkSettings.DEFAULT_MAX_CONNECTIONS, pid),
                    (int) number(properties, MAX_PAYLOAD_LENGTH, FrameDescriptor.DEFAULT_MAX_PAYLOAD_LENGTH, pid),
                    number(properties, HANDSHAKE_TIMEOUT_MS, LinkSettings.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS, pid),
                    (int) number(properties, QUEUE_CAPACITY, LinkSettings.DEFAULT_QUEUE_CAPACITY, pid), policy,
                    (int) number(properties, SLOT_SIZE, LinkSettings.DEFAULT_SLOT_SIZE, pid),
                    number(properties, HEARTBEAT_INTERVAL_MS, LinkSettings.DEFAULT_HEARTBEAT_INTERVAL_MILLIS, pid),
                    number(properties, LIVENESS_TIMEOUT_MS, LinkSettings.DEFAULT_LIVENESS_TIMEOUT_MILLIS, pid),
                    number(properties, RECONNECT_INITIAL_MS, LinkSettings.DEFAULT_RECONNECT_INITIAL_MILLIS, pid),
                    number(properties, RECONNECT_MAX_MS, LinkSettings.DEFAULT_RECONNECT_MAX_MILLIS, pid),
                    (int) number(properties, CONNECT_TIMEOUT_MS, LinkSettings.DEFAULT_CONNECT_TIMEOUT_MILLIS, pid),
                    Boolean.parseBoolean(text(properties, CLOSE_ON_UNKNOWN_TYPE, "false")),
                    number(properties, READ_SPIN_MICROS, LinkSettings.DEFAULT_READ_SPIN_MICROS, pid));
        } catch (final IllegalArgumentException e) {
            throw new ConfigurationException(pid + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the admission limits; an absent key takes its default from {@link AdmissionSettings}.
     *
     * @param pid        the transport's factory PID, for error messages
     * @param properties the component properties
     * @throws ConfigurationException naming the property when a value is not a number or out of range
     */
    public static AdmissionSettings admission(final String pid, final Map<String, ?> properties) {
        try {
            return new AdmissionSettings(
                    (int) number(properties, MAX_PENDING_HANDSHAKES,
                            AdmissionSettings.DEFAULT_MAX_PENDING_HANDSHAKES, pid),
                    number(properties, PENDING_HANDSHAKE_TIMEOUT_MS,
                            AdmissionSettings.DEFAULT_PENDING_HANDSHAKE_TIMEOUT_MILLIS, pid),
                    number(properties, PARTIAL_FRAMES_MAX_BYTES,
                            AdmissionSettings.DEFAULT_PARTIAL_FRAMES_MAX_BYTES, pid));
        } catch (final IllegalArgumentException e) {
            throw new ConfigurationException(pid + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the admission policy ({@value #PLAINTEXT_PEERS}, {@value #LEGACY_CLIENTS}; absent or blank: {@code
     * loopback}) without TLS; a transport that has TLS adds its identity to it.
     *
     * @throws ConfigurationException naming the PID, the property, the value and the allowed values
     */
    public static LinkSecurity security(final String pid, final Map<String, ?> properties) {
        return new LinkSecurity(Optional.empty(), policy(pid, properties, PLAINTEXT_PEERS),
                policy(pid, properties, LEGACY_CLIENTS));
    }

    private static PlaintextPolicy policy(final String pid, final Map<String, ?> properties, final String key) {
        final String value = text(properties, key, "");
        try {
            return value.isBlank() ? PlaintextPolicy.LOOPBACK : PlaintextPolicy.parse(key, value);
        } catch (final IllegalArgumentException e) {
            throw new ConfigurationException(pid + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code name=address} entries (a String array, a collection, or one comma-separated string; an element
     * of an array or collection may itself hold several, comma-separated, as DS makes a one-element array of a
     * {@code .cfg} file's text).
     *
     * @throws ConfigurationException when an entry has no '=' or an empty side
     */
    public static Map<String, String> peers(final Object value, final String pid) {
        final List<String> entries = new ArrayList<>();
        if (value instanceof String[]) {
            for (final String entry : (String[]) value) {
                split(entry, entries);
            }
        } else if (value instanceof Iterable<?>) {
            for (final Object entry : (Iterable<?>) value) {
                split(String.valueOf(entry), entries);
            }
        } else if (value != null) {
            split(value.toString(), entries);
        }
        final Map<String, String> peers = new LinkedHashMap<>();
        for (final String entry : entries) {
            final int equals = entry.indexOf('=');
            if (equals <= 0 || equals == entry.trim().length() - 1) {
                throw new ConfigurationException(pid + ": peers entry '" + entry + "' is not name=address (e.g."
                        + " strategy=/tmp/mycelium/strategy.sock or strategy=10.0.0.2:9000)");
            }
            peers.put(entry.substring(0, equals).trim(), entry.substring(equals + 1).trim());
        }
        return peers;
    }

    /**
     * Chooses the schema whose digest links send: the only one, or the one whose digest is {@code digestHex}.
     *
     * @throws ConfigurationException when there is none, or several and {@code digestHex} does not pick one
     */
    public static Schema selectSchema(final List<Schema> schemas, final String digestHex, final String pid) {
        if (!digestHex.isBlank()) {
            for (final Schema schema : schemas) {
                if (schema.digestHex().equalsIgnoreCase(digestHex.trim())) {
                    return schema;
                }
            }
            throw new ConfigurationException(pid + ": " + TransportConfiguration.SCHEMA_DIGEST + " = " + digestHex
                    + " matches no registered schema (registered: " + describe(schemas) + ")");
        }
        if (schemas.size() == 1) {
            return schemas.get(0);
        }
        if (schemas.isEmpty()) {
            throw new ConfigurationException(pid + ": no Schema service is registered; deploy the contracts"
                    + " bundle before the transport can handshake");
        }
        throw new ConfigurationException(pid + ": " + schemas.size() + " schemas are registered (" + describe(schemas)
                + ") and links can carry only one; set schema.digest in the transport configuration to choose");
    }

    private static void split(final String text, final List<String> entries) {
        if (!text.isBlank()) {
            entries.addAll(List.of(text.split(",")));
        }
    }

    private static String describe(final List<Schema> schemas) {
        final List<String> out = new ArrayList<>();
        for (final Schema schema : schemas) {
            out.add(schema.id() + " " + schema.digestHex());
        }
        return String.join(", ", out);
    }

    private static String text(final Map<String, ?> properties, final String key, final String fallback) {
        final Object value = properties.get(key);
        return value == null ? fallback : value.toString();
    }

    private static long number(final Map<String, ?> properties, final String key, final long fallback,
            final String pid) {
        final Object value = properties.get(key);
        if (value == null || value.toString().isBlank()) {
            return fallback;
        }
        if (value instanceof Number) {
            return ((Number) value).longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (final NumberFormatException e) {
            throw new ConfigurationException(pid + ": " + key + " = '" + value + "' is not a whole number", e);
        }
    }
}
