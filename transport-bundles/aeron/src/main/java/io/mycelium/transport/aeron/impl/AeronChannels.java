package io.mycelium.transport.aeron.impl;

import io.aeron.ChannelUri;
import io.mycelium.api.ConfigurationException;
import io.mycelium.api.link.TransportConfiguration;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the channels of the Aeron transport's configuration: each is an Aeron channel URI ({@code aeron:udp?...}),
 * or a bare {@code host:port} that stands for {@code aeron:udp?endpoint=host:port}. Stateless.
 */
public final class AeronChannels {

    private static final String UDP_PREFIX = "aeron:udp?endpoint=";

    private AeronChannels() {
    }

    /**
     * Checks one channel and fills in the default form.
     *
     * @param pid      the configuration's PID, for messages
     * @param property the property (or peer entry) that carried the value, for messages
     * @param value    a channel URI or {@code host:port}
     * @return the channel URI
     * @throws ConfigurationException naming the PID, the property and the value when it is not a UDP channel with an
     *                                endpoint
     */
    public static String channel(final String pid, final String property, final String value) {
        final String trimmed = value.trim();
        final String uri = trimmed.startsWith("aeron:") ? trimmed : UDP_PREFIX + trimmed;
        final ChannelUri parsed;
        try {
            parsed = ChannelUri.parse(uri);
        } catch (final RuntimeException e) {
            throw new ConfigurationException(pid + ": " + property + " = '" + value + "' is not an Aeron channel: "
                    + e.getMessage() + " (expected aeron:udp?endpoint=host:port or host:port)", e);
        }
        if (!parsed.isUdp()) {
            throw new ConfigurationException(pid + ": " + property + " = '" + value + "': only aeron:udp channels link"
                    + " nodes (aeron:ipc stays inside one driver)");
        }
        final String endpoint = parsed.get("endpoint");
        if (endpoint == null || endpoint.lastIndexOf(':') <= 0) {
            throw new ConfigurationException(pid + ": " + property + " = '" + value + "' has no endpoint=host:port");
        }
        final String port = endpoint.substring(endpoint.lastIndexOf(':') + 1);
        try {
            final int p = Integer.parseInt(port);
            if (p < 1 || p > 65_535) {
                throw new NumberFormatException("out of range");
            }
        } catch (final NumberFormatException e) {
            throw new ConfigurationException(pid + ": " + property + " = '" + value + "': port '" + port
                    + "' is not in 1..65535", e);
        }
        return uri;
    }

    /**
     * Reads the {@code peers} property: {@code name=channel} entries, this node's own entry left out.
     *
     * @param pid     the configuration's PID, for messages
     * @param node    this node's name
     * @param entries the entries
     * @return peer name to channel URI, in the given order
     * @throws ConfigurationException naming the entry when one has no {@code =}, an empty name or a bad channel
     */
    public static Map<String, String> peers(final String pid, final String node, final String[] entries) {
        final Map<String, String> peers = new LinkedHashMap<>();
        for (final String entry : entries) {
            final int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new ConfigurationException(pid + ": " + TransportConfiguration.PEERS + " entry '" + entry
                        + "' is not name=channel");
            }
            final String name = entry.substring(0, eq).trim();
            if (!name.equals(node)) {
                peers.put(name, channel(pid, TransportConfiguration.PEERS + " entry '" + entry + "'",
                        entry.substring(eq + 1)));
            }
        }
        return peers;
    }
}
