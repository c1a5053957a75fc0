package io.mycelium.transport.unix.impl;

import io.mycelium.api.Schema;
import io.mycelium.api.link.LinkBus;
import io.mycelium.transport.stream.StreamTransport;
import io.mycelium.transport.stream.TransportConfig;
import io.mycelium.transport.stream.TransportStats;
import io.mycelium.transport.stream.UnixEndpoints;

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
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
public final class UnixTransportComponent {

    /** The factory PID. */
    public static final String PID = "io.mycelium.transport.unix";

    /** The configuration (metatype, for .cfg files and the Web Console). */
    @ObjectClassDefinition(name = "Mycelium Unix transport", description = "Links between nodes over Unix"
            + " (docs/transports.md).")
    public @interface Config {

        @AttributeDefinition(description = "This node's name.")
        String node();

        @AttributeDefinition(description = "Socket path to listen on; empty to only dial.", required = false)
        String listen() default "";

        @AttributeDefinition(description = "name=address for every peer reached over this transport.",
                required = false)
        String[] peers() default {};

        @AttributeDefinition(description = "The topology's socket_dir.", required = false)
        String socket_dir() default "/tmp/mycelium";

        @AttributeDefinition(description = "Mode of the socket file, octal or rwx text.")
        String socket_mode() default "rw-------";

        @AttributeDefinition(description = "Most links accepted at once.")
        int max_connections() default 64;

        @AttributeDefinition(description = "Largest payload accepted from a peer, bytes.")
        int max_payload_length() default 16777216;

        @AttributeDefinition(description = "Time a connection may take for its handshake, ms.")
        long handshake_timeout_ms() default 5000;

        @AttributeDefinition(description = "Outbound frames queued per link.")
        int queue_capacity() default 8192;

        @AttributeDefinition(description = "What a full outbound queue does: DROP_NEWEST or DISCONNECT.")
        String overflow() default "DROP_NEWEST";

        @AttributeDefinition(description = "Bytes of a pooled outbound frame buffer.")
        int slot_size() default 512;

        @AttributeDefinition(description = "Time between PINGs, ms.")
        long heartbeat_interval_ms() default 1000;

        @AttributeDefinition(description = "Silence after which a peer is declared dead, ms.")
        long liveness_timeout_ms() default 5000;

        @AttributeDefinition(description = "First reconnect delay, ms.")
        long reconnect_initial_ms() default 100;

        @AttributeDefinition(description = "Largest reconnect delay, ms.")
        long reconnect_max_ms() default 5000;

        @AttributeDefinition(description = "Time a connect attempt may take, ms.")
        int connect_timeout_ms() default 2000;

        @AttributeDefinition(description = "Close a link that sends a type id the schema lacks.")
        boolean close_on_unknown_type() default false;

        @AttributeDefinition(description = "Microseconds a link's reader keeps polling its socket after draining it"
                + " before blocking in its selector (0..10000; 0 disables). Cuts request/reply latency; costs at"
                + " most this much CPU per burst.")
        long read_spin_micros() default 50;

        @AttributeDefinition(description = "Digest (hex) of the schema to use when several are registered.",
                required = false)
        String schema_digest() default "";
    }

    private final StreamTransport transport;

    /**
     * Starts the links.
     *
     * @throws IOException when the listen address cannot be bound (the component then stays unsatisfied and SCR
     *                     logs the message)
     */
    @Activate
    public UnixTransportComponent(@Reference(name = "bus") final LinkBus bus,
            @Reference(name = "schemas", service = Schema.class, cardinality = ReferenceCardinality.AT_LEAST_ONE,
                    policyOption = ReferencePolicyOption.GREEDY) final List<Schema> schemas,
            final Map<String, Object> properties) throws IOException {
        final String mode = String.valueOf(properties.getOrDefault("socket.mode", UnixEndpoints.DEFAULT_MODE));
        this.transport = TransportConfig.start(new UnixEndpoints(mode), properties, bus, schemas);
    }

    /** Returns a snapshot of the links and counters. */
    public TransportStats stats() {
        return transport.stats();
    }

    /** Says GOODBYE to every peer and stops. */
    @Deactivate
    public void deactivate() {
        transport.close();
    }
}
