package io.mycelium.transport.unix.impl;

import io.mycelium.api.ConfigurationException;
import io.mycelium.api.link.LinkBus;
import io.mycelium.api.Schema;
import io.mycelium.api.link.TransportConfiguration;
import io.mycelium.transport.stream.LinkProperties;
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
 * Links this node to its peers over Unix: one instance per factory configuration of
 * {@value #PID} (normally {@code unix~topology}, created by the topology bundle).
 *
 * <p>Activation binds the listen address and starts dialing; deactivation says GOODBYE to every peer and removes
 * its socket file.
 * Configuration keys, limits, counters and error reasons are listed in docs/transports.md.
 */
@Designate(ocd = UnixTransportComponent.Config.class, factory = true)
@Component(name = UnixTransportComponent.PID, configurationPid = UnixTransportComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = TransportStatsSource.class,
        property = TransportStatsSource.KIND + "=" + UnixTransportComponent.KIND)
public final class UnixTransportComponent implements TransportStatsSource {

    /** The kind of this transport, as written in {@code topology.toml}. */
    public static final String KIND = "unix";
    /** The factory PID. */
    public static final String PID = TransportConfiguration.FACTORY_PID_PREFIX + KIND;
    /** Property: the socket file's mode, {@code rw-------} or {@code 0600} style. */
    public static final String SOCKET_MODE = "socket.mode";
    /** Property: the users (names or uids) whose processes may connect; empty admits any. */
    public static final String PEER_UIDS = "peer.uids";

    /**
     * The Unix transport's configuration (metatype, for {@code .cfg} files and the Web Console): the topology's
     * values and the socket file's mode. The limits and timings every stream transport shares are read by {@link
     * LinkProperties} and listed in docs/transports.md.
     */
    @ObjectClassDefinition(name = "Mycelium Unix transport", description = "Links between nodes over Unix"
            + " sockets. Limits and timings (max.connections, queue.capacity, ...) are in docs/transports.md.")
    public @interface Config {

        @AttributeDefinition(description = "This node's name.")
        String node();

        @AttributeDefinition(description = "Socket path to listen on; empty to only dial.", required = false)
        String listen() default "";

        @AttributeDefinition(description = "name=socket path for every peer reached over Unix sockets.",
                required = false)
        String[] peers() default {};

        @AttributeDefinition(description = "The topology's socket_dir (informational: listen and peers are full"
                + " paths).", required = false)
        String socket_dir() default "/tmp/mycelium";

        @AttributeDefinition(description = "Mode of the socket file, octal (0600) or rwx text.")
        String socket_mode() default UnixEndpoints.DEFAULT_MODE;

        @AttributeDefinition(description = "Users (names or numeric uids) whose processes may connect, checked with"
                + " SO_PEERCRED; empty admits every process that can open the socket file (socket.mode 0600: this"
                + " node's user and root). A refused v1 client gets REJECT UNAUTHORISED.", required = false)
        String[] peer_uids() default {};

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
    public UnixTransportComponent(@Reference(name = "bus") final LinkBus bus,
            @Reference(name = "schemas", service = Schema.class, cardinality = ReferenceCardinality.AT_LEAST_ONE,
                    policyOption = ReferencePolicyOption.GREEDY) final List<Schema> schemas,
            final Config config, final Map<String, Object> properties) throws IOException {
        this.transport = LinkProperties.start(PID, endpoints(config.socket_mode(), config.peer_uids()),
                LinkProperties.settings(PID, config.node(), properties), LinkProperties.admission(PID, properties),
                LinkProperties.security(PID, properties), config.listen(), config.peers(), config.schema_digest(),
                bus, schemas);
    }

    /**
     * @param mode      the configured {@code socket.mode}
     * @param peerUids  the configured {@code peer.uids}
     * @return endpoints creating socket files with that mode and admitting those users' processes
     * @throws ConfigurationException naming the PID and property when the mode is neither octal nor rwx text, or a
     *                                user is unknown
     */
    static UnixEndpoints endpoints(final String mode, final String[] peerUids) {
        final PeerUsers peerUsers;
        try {
            peerUsers = PeerUsers.parse(peerUids);
        } catch (final IllegalArgumentException e) {
            throw new ConfigurationException(PID + ": " + e.getMessage() + "; set " + PEER_UIDS + " in etc/"
                    + PID + "~<name>.cfg to user names or uids (comma-separated), or leave it empty", e);
        }
        try {
            return new UnixEndpoints(mode, peerUsers);
        } catch (final IllegalArgumentException e) {
            throw new ConfigurationException(PID + ": " + e.getMessage() + "; set " + SOCKET_MODE + " in etc/"
                    + PID + "~<name>.cfg", e);
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
