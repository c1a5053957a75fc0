package io.mycelium.transport.tcp.impl;

import io.mycelium.api.ConfigurationException;
import io.mycelium.api.link.LinkBus;
import io.mycelium.api.Schema;
import io.mycelium.api.link.TransportConfiguration;
import io.mycelium.transport.stream.LinkProperties;
import io.mycelium.transport.stream.LinkSecurity;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.StreamTransport;
import io.mycelium.transport.stream.TransportStats;
import io.mycelium.transport.stream.TransportStatsSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
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
import org.slf4j.LoggerFactory;

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

        @AttributeDefinition(description = "PEM file of the CA certificate that signs peers' certificates; set to"
                + " turn on TLS 1.3 (mutual). Relative to the node's home folder.", required = false)
        String tls_ca() default "";

        @AttributeDefinition(description = "PEM file of this node's certificate chain (bin/mycelium certs:"
                + " <node>.pem).", required = false)
        String tls_cert() default "";

        @AttributeDefinition(description = "PEM file of this node's PKCS#8 private key (bin/mycelium certs:"
                + " <node>.key).", required = false)
        String tls_key() default "";

        @AttributeDefinition(description = "Where plaintext connections are admitted while TLS is configured:"
                + " loopback, always or never.", required = false)
        String plaintext_peers() default "loopback";

        @AttributeDefinition(description = "Where legacy (original Mycelium) clients are admitted: loopback,"
                + " always or never.", required = false)
        String legacy_clients() default "loopback";
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
            final Config config, final Map<String, Object> properties, final BundleContext bundleContext)
            throws IOException {
        final LinkSettings settings = LinkProperties.settings(PID, config.node(), properties);
        checkAddresses(config.listen(), LinkProperties.peers(config.peers(), PID));
        final LinkSecurity security = TcpSecurity.read(config.node(), config.tls_ca(), config.tls_cert(),
                config.tls_key(), LinkProperties.security(PID, properties), home(bundleContext),
                LoggerFactory.getLogger("io.mycelium.transport." + KIND));
        PlaintextListenPolicy.check(config.node(), config.listen(), properties);
        this.transport = LinkProperties.start(PID, new TcpEndpoints(), settings,
                LinkProperties.admission(PID, properties), security, config.listen(), config.peers(),
                config.schema_digest(), bus, schemas);
    }

    /** Returns the node's home folder ({@code mycelium.home}), which relative TLS file names are resolved in. */
    static Path home(final BundleContext bundleContext) {
        final String home = bundleContext == null ? null : bundleContext.getProperty("mycelium.home");
        return Path.of(home == null || home.isBlank() ? "" : home).toAbsolutePath();
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
