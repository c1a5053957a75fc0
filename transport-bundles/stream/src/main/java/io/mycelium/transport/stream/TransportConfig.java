package io.mycelium.transport.stream;

import io.mycelium.api.ConfigurationException;
import io.mycelium.api.Schema;
import io.mycelium.api.link.LinkBus;
import io.mycelium.protocol.frame.FrameDescriptor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a transport component's configuration properties (docs/transports.md) into a started
 * {@link StreamTransport}, so that the Unix and TCP components share one reading of them.
 *
 * <p>Stateless and thread-safe. Every bad value is a {@link ConfigurationException} naming the PID's property,
 * its value and the fix.
 */
public final class TransportConfig {

    /** Property: this node's name (required). */
    public static final String NODE = "node";
    /** Property: the address to listen on; absent or empty to only dial. */
    public static final String LISTEN = "listen";
    /** Property: {@code name=address} for each peer. */
    public static final String PEERS = "peers";
    /** Property: hex digest selecting the schema when several are registered. */
    public static final String SCHEMA_DIGEST = "schema.digest";

    private TransportConfig() {
    }

    /**
     * Starts a transport from {@code properties}.
     *
     * @param endpoints  how channels of this kind are opened
     * @param properties the component's configuration
     * @param bus        the node's bus
     * @param schemas    the registered schemas; one is chosen by {@link #selectSchema}
     * @return the started transport; close it on deactivation
     * @throws ConfigurationException when a property is invalid or no schema can be chosen
     * @throws IOException            when the listen address cannot be bound
     */
    public static StreamTransport start(final StreamEndpoints endpoints, final Map<String, ?> properties,
            final LinkBus bus, final List<Schema> schemas) throws IOException {
        final String pid = "io.mycelium.transport." + endpoints.kind();
        final Schema schema = selectSchema(schemas, text(properties, SCHEMA_DIGEST, ""), pid);
        final LinkSettings settings = settings(properties, pid);
        final StreamTransport transport = new StreamTransport(settings, endpoints, bus, schema);
        transport.start(text(properties, LISTEN, ""), peers(properties.get(PEERS), pid));
        return transport;
    }

    /**
     * Reads the limits and timings.
     *
     * @throws ConfigurationException naming the property when a value is missing, not a number or out of range
     */
    public static LinkSettings settings(final Map<String, ?> properties, final String pid) {
        final String node = text(properties, NODE, "");
        if (node.isBlank()) {
            throw new ConfigurationException(pid + ": property 'node' (this node's name) is missing; the topology"
                    + " bundle sets it, or set it in etc/" + pid + "~<name>.cfg");
        }
        final String overflow = text(properties, "overflow", OverflowPolicy.DROP_NEWEST.name());
        final OverflowPolicy policy;
        try {
            policy = OverflowPolicy.valueOf(overflow.trim().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new ConfigurationException(pid + ": overflow = '" + overflow + "' is not one of DROP_NEWEST,"
                    + " DISCONNECT", e);
        }
        try {
            return new LinkSettings(node,
                    (int) number(properties, "max.connections", LinkSettings.DEFAULT_MAX_CONNECTIONS, pid),
                    (int) number(properties, "max.payload.length", FrameDescriptor.DEFAULT_MAX_PAYLOAD_LENGTH, pid),
                    number(properties, "handshake.timeout.ms", LinkSettings.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS, pid),
                    (int) number(properties, "queue.capacity", LinkSettings.DEFAULT_QUEUE_CAPACITY, pid), policy,
                    (int) number(properties, "slot.size", LinkSettings.DEFAULT_SLOT_SIZE, pid),
                    number(properties, "heartbeat.interval.ms", LinkSettings.DEFAULT_HEARTBEAT_INTERVAL_MILLIS, pid),
                    number(properties, "liveness.timeout.ms", LinkSettings.DEFAULT_LIVENESS_TIMEOUT_MILLIS, pid),
                    number(properties, "reconnect.initial.ms", LinkSettings.DEFAULT_RECONNECT_INITIAL_MILLIS, pid),
                    number(properties, "reconnect.max.ms", LinkSettings.DEFAULT_RECONNECT_MAX_MILLIS, pid),
                    (int) number(properties, "connect.timeout.ms", LinkSettings.DEFAULT_CONNECT_TIMEOUT_MILLIS, pid),
                    Boolean.parseBoolean(text(properties, "close.on.unknown.type", "false")),
                    number(properties, "read.spin.micros", LinkSettings.DEFAULT_READ_SPIN_MICROS, pid));
        } catch (final IllegalArgumentException e) {
            throw new ConfigurationException(pid + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code name=address} entries (a String array, a collection, or one comma-separated string).
     *
     * @throws ConfigurationException when an entry has no '=' or an empty side
     */
    public static Map<String, String> peers(final Object value, final String pid) {
        final List<String> entries = new ArrayList<>();
        if (value instanceof String[]) {
            entries.addAll(List.of((String[]) value));
        } else if (value instanceof Iterable<?>) {
            for (final Object entry : (Iterable<?>) value) {
                entries.add(String.valueOf(entry));
            }
        } else if (value != null && !value.toString().isBlank()) {
            entries.addAll(List.of(value.toString().split(",")));
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
            throw new ConfigurationException(pid + ": schema.digest = " + digestHex + " matches no registered schema"
                    + " (registered: " + describe(schemas) + ")");
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
