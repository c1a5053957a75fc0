package io.mycelium.transport.tcp.impl;

import io.mycelium.api.ConfigurationException;
import io.mycelium.api.link.LinkBus;
import io.mycelium.api.Schema;
import io.mycelium.api.link.TransportConfiguration;
import io.mycelium.transport.stream.LinkProperties;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.StreamTransport;
import io.mycelium.transport.stream.TransportStats;
import io.mycelium.transport.stream.TransportStatsSource;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Links this node to its peers over TCP: one instance per factory configuration of
 * {@value #PID} (normally {@code tcp~topology}, created by the topology bundle).
 *
 * <p>Activation binds the listen address and starts dialing; deactivation says GOODBYE to every peer.
 * Configuration keys, limits, counters and error reasons are listed in docs/transports.md.
 */
@Designate(ocd = TcpTransportComponent.Config.class, factory = true)
@Component(name = TcpTransportComponent.PID, configurationPid = TcpTransportComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = TransportStatsSource.class,
        property = TransportStatsSource.KIND + "=" + TcpTransportComponent.KIND)
public final class TcpTransportComponent implements TransportStatsSource {

    /** The kind of this transport, as written in {@code topology.toml}. */
    public static final String KIND = "tcp";
    /** The factory PID. */
    public static final String PID = TransportConfiguration.FACTORY_PID_PREFIX + KIND;

    /**
     * The TCP transport's configuration (metatype, for {@code .cfg} files and the Web Console): the topology's
     * values. The limits and timings every stream transport shares are read by {@link LinkProperties} and listed in
     * docs/transports.md.
     */
    @ObjectClassDefinition(name = "Mycelium TCP transport", description = "Links between nodes over TCP. Limits"
            + " and timings (max.connections, queue.capacity, ...) are in docs/transports.md.")
    public @interface Config {

        @AttributeDefinition(description = "This node's name.")
        String node();

        @AttributeDefinition(description = "host:port to listen on (no host: 127.0.0.1); empty to only dial.",
                required = false)
        String listen() default "";

        @AttributeDefinition(description = "name=host:port for every peer reached over TCP.", required = false)
        String[] peers() default {};

        @AttributeDefinition(description = "The topology's socket_dir (unused by TCP).", required = false)
        String socket_dir() default "/tmp/mycelium";

        @AttributeDefinition(description = "Digest (hex) of the schema to use when several are registered.",
                required = false)
        String schema_digest() default "";
    }

    private final StreamTransport transport;

    /**
     * Starts the links.
     *
     * @param config     the typed configuration
     * @param properties the same configuration as properties, for the settings every stream transport shares
     * @throws ConfigurationException when a property is invalid; the message names the PID, property and value
     * @throws IOException            when the listen address cannot be bound (the component then stays unsatisfied
     *                                and SCR logs the message)
     */
    @Activate
    public TcpTransportComponent(@Reference(name = "bus") final LinkBus bus,
            @Reference(name = "schemas", service = Schema.class, cardinality = ReferenceCardinality.AT_LEAST_ONE,
                    policyOption = ReferencePolicyOption.GREEDY) final List<Schema> schemas,
            final Config config, final Map<String, Object> properties) throws IOException {
        final LinkSettings settings = LinkProperties.settings(PID, config.node(), properties);
        checkAddresses(config.listen(), LinkProperties.peers(config.peers(), PID));
        PlaintextListenPolicy.check(config.node(), config.listen(), properties);
        this.transport = LinkProperties.start(PID, new TcpEndpoints(), settings,
                LinkProperties.admission(PID, properties), config.listen(), config.peers(), config.schema_digest(),
                bus, schemas);
    }

    /**
     * Checks that the listen address and every peer's address are {@code host:port}, before anything starts.
     *
     * @param listen the configured listen address, possibly empty
     * @param peers  the configured peers, name to address
     * @throws ConfigurationException naming the PID, the property and the address when one has no valid port
     */
    static void checkAddresses(final String listen, final Map<String, String> peers) {
        if (!listen.isBlank()) {
            checkAddress(TransportConfiguration.LISTEN + " = '" + listen + "'", listen);
        }
        for (final Map.Entry<String, String> peer : peers.entrySet()) {
            checkAddress(TransportConfiguration.PEERS + " entry '" + peer.getKey() + "=" + peer.getValue() + "'",
                    peer.getValue());
        }
    }

    private static void checkAddress(final String property, final String address) {
        try {
            TcpEndpoints.parseUnresolved(address);
        } catch (final IOException e) {
            throw new ConfigurationException(PID + ": " + property + ": " + e.getMessage(), e);
        }
    }

    /** Returns a snapshot of the counters, the open links and the dialed peers' states. */
    @Override
    public TransportStats stats() {
        return transport.stats();
    }

    /** Says GOODBYE to every peer and stops. */
    @Deactivate
    public void deactivate() {
        transport.close();
    }
}
