package io.mycelium.transport.shm.impl;

import io.mycelium.api.ConfigurationException;
import io.mycelium.api.Schema;
import io.mycelium.api.link.LinkBus;
import io.mycelium.api.link.TransportConfiguration;
import io.mycelium.transport.stream.LinkProperties;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.StreamTransport;
import io.mycelium.transport.stream.TransportStats;
import io.mycelium.transport.stream.TransportStatsSource;

import java.io.IOException;
import java.util.LinkedHashMap;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Links this node to same-host peers over shared memory: one instance per factory configuration of {@value #PID}
 * (normally {@code shm~topology}, created by the topology bundle for a node whose endpoint or a peer's is {@code
 * kind = "shm"}).
 *
 * <p>Activation reclaims segments a crashed run of this node left, binds the control socket at the endpoint path
 * and dials the peers; deactivation says GOODBYE to every peer, removes every segment and the socket file. The
 * links are stream links (handshake, interest, PING/PONG, GOODBYE, overflow, counters) whose frames travel in the
 * rings of a mapped segment ({@link ShmEndpoints}); keys, limits and counters are listed in docs/transports.md.
 */
@Designate(ocd = ShmTransportComponent.Config.class, factory = true)
@Component(name = ShmTransportComponent.PID, configurationPid = ShmTransportComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = TransportStatsSource.class,
        property = TransportStatsSource.KIND + "=" + ShmTransportComponent.KIND)
public final class ShmTransportComponent implements TransportStatsSource {

    /** The kind of this transport, as written in {@code topology.toml}. */
    public static final String KIND = "shm";
    /** The factory PID. */
    public static final String PID = TransportConfiguration.FACTORY_PID_PREFIX + KIND;
    /** Property: the capacity in bytes of each ring of a segment this node creates (power of two, at least 4096). */
    public static final String RING_CAPACITY = "ring.capacity";
    /** Default {@value} bytes per ring: 128 KiB records at most, 2 MiB of /dev/shm per link. */
    public static final int DEFAULT_RING_CAPACITY = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(ShmTransportComponent.class);

    /**
     * The shared-memory transport's configuration (metatype): the topology's values and the ring size. The limits
     * and timings every stream transport shares (queue.capacity, overflow, read.spin.micros, ...) are read by {@link
     * LinkProperties} and listed in docs/transports.md.
     */
    @ObjectClassDefinition(name = "Mycelium shared-memory transport", description = "Links between nodes on one"
            + " host over shared-memory rings. Limits and timings (queue.capacity, overflow, read.spin.micros, ...)"
            + " are in docs/transports.md.")
    public @interface Config {

        @AttributeDefinition(description = "This node's name.")
        String node();

        @AttributeDefinition(description = "Control socket path this node owns (segments are created beside it);"
                + " empty to only dial.", required = false)
        String listen() default "";

        @AttributeDefinition(description = "name=control socket path for every peer reached over shared memory.",
                required = false)
        String[] peers() default {};

        @AttributeDefinition(description = "Capacity in bytes of each ring of a segment this node creates: a power"
                + " of two, at least 4096; the longest frame is capacity / 8 - 8 bytes.", required = false)
        int ring_capacity() default DEFAULT_RING_CAPACITY;

        @AttributeDefinition(description = "Digest (hex) of the schema to use when several are registered.",
                required = false)
        String schema_digest() default "";
    }

    private final ShmCounters counters = new ShmCounters();
    private final StreamTransport transport;

    /**
     * Starts the links.
     *
     * @throws ConfigurationException when a property is invalid; the message names the PID, property and value
     * @throws IOException            when the control socket cannot be bound
     */
    @Activate
    public ShmTransportComponent(@Reference(name = "bus") final LinkBus bus,
            @Reference(name = "schemas", service = Schema.class, cardinality = ReferenceCardinality.AT_LEAST_ONE,
                    policyOption = ReferencePolicyOption.GREEDY) final List<Schema> schemas,
            final Config config, final Map<String, Object> properties) throws IOException {
        final LinkSettings settings = LinkProperties.settings(PID, config.node(), properties);
        final ShmEndpoints endpoints = endpoints(config.ring_capacity(), settings.readSpinMicros());
        this.transport = LinkProperties.start(PID, endpoints, settings, LinkProperties.admission(PID, properties),
                LinkProperties.security(PID, properties), config.listen(), config.peers(), config.schema_digest(),
                bus, schemas);
    }

    private ShmEndpoints endpoints(final int ringCapacity, final long spinMicros) {
        try {
            return new ShmEndpoints(new ShmSettings(ringCapacity, spinMicros), counters, LOG);
        } catch (final IllegalArgumentException e) {
            throw new ConfigurationException(PID + ": " + e.getMessage() + "; set " + RING_CAPACITY + " in etc/"
                    + PID + "~<name>.cfg", e);
        }
    }

    /** Returns the stream counters, the shared-memory counters, the open links and the dialed peers' states. */
    @Override
    public TransportStats stats() {
        final TransportStats stats = transport.stats();
        final Map<String, Long> all = new LinkedHashMap<>(stats.counters());
        counters.addTo(all);
        return new TransportStats(stats.kind(), stats.node(), stats.listenAddress(), all, stats.links(),
                stats.peers());
    }

    /** Says GOODBYE to every peer, removes the segments and the control socket, and stops. */
    @Deactivate
    public void deactivate() {
        transport.close();
    }
}
