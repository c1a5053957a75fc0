package io.mycelium.transport.aeron.impl;

import io.mycelium.api.ConfigurationException;
import io.mycelium.api.Schema;
import io.mycelium.api.link.LinkBus;
import io.mycelium.api.link.TransportConfiguration;
import io.mycelium.transport.aeron.record.NodeRecording;
import io.mycelium.transport.stream.LinkProperties;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.TransportStats;
import io.mycelium.transport.stream.TransportStatsSource;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Links this node to its peers over Aeron: one instance per factory configuration of {@value #PID} (normally
 * {@code aeron~topology}, created by the topology bundle for nodes whose peers declare {@code endpoint.kind =
 * "aeron"}).
 *
 * <p>Activation starts (or attaches to) the media driver, subscribes to this node's channel and publishes to every
 * peer's; deactivation says GOODBYE, closes the client and stops an embedded driver (removing its directory).
 * Configuration keys, counters and limits are listed in docs/transports.md, "Aeron".
 */
@Designate(ocd = AeronTransportComponent.Config.class, factory = true)
@Component(name = AeronTransportComponent.PID, configurationPid = AeronTransportComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = TransportStatsSource.class,
        property = TransportStatsSource.KIND + "=" + AeronTransportComponent.KIND)
public final class AeronTransportComponent implements TransportStatsSource {

    /** The kind of this transport, as written in {@code topology.toml}. */
    public static final String KIND = "aeron";
    /** The factory PID. */
    public static final String PID = TransportConfiguration.FACTORY_PID_PREFIX + KIND;
    /**
     * Framework property (etc/config.properties): the {@code aeron.dir} of an external media driver to use instead
     * of the embedded one.
     */
    public static final String EXTERNAL_DIR_PROPERTY = "mycelium.aeron.dir";
    /**
     * Framework property (etc/config.properties): the longest park, in microseconds, of the idle strategy of the
     * embedded driver and of the links' thread (default 1000): longer costs an idle node less CPU and a sporadic
     * message more latency.
     */
    public static final String IDLE_MAX_PARK_PROPERTY = "mycelium.aeron.idle.max.park.us";
    private static final long MAX_IDLE_PARK_MICROS = 1_000_000;

    /**
     * The Aeron transport's configuration (metatype): the topology's values. The limits and timings every link
     * shares ({@code overflow}, {@code handshake.timeout.ms}, {@code heartbeat.interval.ms},
     * {@code liveness.timeout.ms}, {@code max.payload.length}) are read by {@link LinkProperties}.
     */
    @ObjectClassDefinition(name = "Mycelium Aeron transport", description = "Links between nodes over Aeron."
            + " Keys and counters are in docs/transports.md, \"Aeron\".")
    public @interface Config {

        @AttributeDefinition(description = "This node's name.")
        String node();

        @AttributeDefinition(description = "The Aeron channel this node subscribes on, e.g."
                + " aeron:udp?endpoint=127.0.0.1:40123; empty to only publish.", required = false)
        String listen() default "";

        @AttributeDefinition(description = "name=channel for every peer reached over Aeron.", required = false)
        String[] peers() default {};

        @AttributeDefinition(description = "The topology's socket_dir (unused by Aeron).", required = false)
        String socket_dir() default "/tmp/mycelium";

        @AttributeDefinition(description = "Digest (hex) of the schema to use when several are registered.",
                required = false)
        String schema_digest() default "";

        @AttributeDefinition(description = "The Aeron stream id of every link.", required = false)
        int stream_id() default AeronTransport.DEFAULT_STREAM_ID;

        @AttributeDefinition(description = "The topology's endpoint.fanout: \"mdc\" sends the types every peer"
                + " subscribes to once, on one multi-destination-cast publication; empty for one publication per"
                + " peer.", required = false)
        String fanout() default "";
    }

    private final AeronDriver driver;
    private final AeronTransport transport;
    /** Recording and replay of the topology's {@code record} types; null when this node has none. */
    private final NodeRecording recording;

    /**
     * Starts the driver and the links.
     *
     * @throws io.mycelium.api.ConfigurationException when a property or channel is invalid, or the driver directory
     *                                                is held by a live driver; the message names what and where
     */
    @Activate
    public AeronTransportComponent(@Reference(name = "bus") final LinkBus bus,
            @Reference(name = "schemas", service = Schema.class, cardinality = ReferenceCardinality.AT_LEAST_ONE,
                    policyOption = ReferencePolicyOption.GREEDY) final List<Schema> schemas,
            final Config config, final Map<String, Object> properties, final BundleContext bundleContext) {
        final Logger log = LoggerFactory.getLogger("io.mycelium.transport." + KIND);
        final LinkSettings settings = LinkProperties.settings(PID, config.node(), properties);
        final Map<String, String> peers = AeronChannels.peers(PID, config.node(), config.peers());
        final String listen = config.listen().isBlank() ? "" : AeronChannels.channel(PID, "listen", config.listen());
        final boolean fanOut = fanOut(config.fanout());
        final Schema schema = LinkProperties.selectSchema(schemas, config.schema_digest(), PID);
        final String external = property(bundleContext, EXTERNAL_DIR_PROPERTY);
        final long maxParkNanos = maxParkNanos(property(bundleContext, IDLE_MAX_PARK_PROPERTY));
        this.driver = external.isBlank()
                ? AeronDriver.embedded(driverDirectory(bundleContext, config.node()), config.node(), maxParkNanos, log)
                : AeronDriver.external(Path.of(external), config.node(), log);
        NodeRecording started = null;
        try {
            started = NodeRecording.start(PID, config.node(), properties, listen, peers, driver.directory(),
                    dataDirectory(bundleContext), bus, schema, log);
            this.recording = started;
            this.transport = new AeronTransport(settings, driver.directory(), config.stream_id(),
                    started == null ? bus : started.linkBus(), schema, maxParkNanos, log);
            transport.start(listen, peers, fanOut);
        } catch (final RuntimeException e) {
            if (started != null) {
                started.close();
            }
            driver.close();
            throw e;
        }
    }

    /**
     * Reads the {@code fanout} property.
     *
     * @throws ConfigurationException naming the PID and the value when it is neither empty nor mdc
     */
    static boolean fanOut(final String value) {
        if (value.isBlank()) {
            return false;
        }
        if (value.trim().equals("mdc")) {
            return true;
        }
        throw new ConfigurationException(PID + ": fanout = '" + value + "' is not a fan-out this"
                + " transport has; write mdc (one multi-destination-cast publication to every peer) or leave it"
                + " empty");
    }

    /**
     * Reads {@value #IDLE_MAX_PARK_PROPERTY}.
     *
     * @param value the property's value, possibly blank (the default, 1000 µs)
     * @return the longest park in nanoseconds
     * @throws ConfigurationException naming the property and the value when it is not 1..1000000
     */
    static long maxParkNanos(final String value) {
        if (value.isBlank()) {
            return AeronDriver.IDLE_MAX_PARK_NANOS;
        }
        try {
            final long micros = Long.parseLong(value);
            if (micros >= 1 && micros <= MAX_IDLE_PARK_MICROS) {
                return micros * 1_000;
            }
        } catch (final NumberFormatException e) {
            // reported below with the accepted range
        }
        throw new ConfigurationException(IDLE_MAX_PARK_PROPERTY + " = '" + value + "' (etc/config.properties) is not"
                + " a number of microseconds from 1 to " + MAX_IDLE_PARK_MICROS);
    }

    /** Returns where the embedded driver of {@code node} lives: {@code <data>/aeron/<node>}. */
    static Path driverDirectory(final BundleContext bundleContext, final String node) {
        return dataDirectory(bundleContext).resolve("aeron").resolve(node).toAbsolutePath();
    }

    /** Returns the node's data folder ({@code mycelium.data}, else a folder under the temp directory). */
    static Path dataDirectory(final BundleContext bundleContext) {
        final String data = property(bundleContext, "mycelium.data");
        return data.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "mycelium-data") : Path.of(data);
    }

    private static String property(final BundleContext bundleContext, final String name) {
        final String value = bundleContext == null ? null : bundleContext.getProperty(name);
        return value == null ? "" : value.trim();
    }

    /** Returns a snapshot of the counters, the open links and every peer's state. */
    @Override
    public TransportStats stats() {
        final TransportStats stats = transport.stats();
        if (recording == null) {
            return stats;
        }
        final Map<String, Long> counters = new java.util.LinkedHashMap<>(stats.counters());
        counters.putAll(recording.counters());
        return new TransportStats(stats.kind(), stats.node(), stats.listenAddress(), counters, stats.links(),
                stats.peers());
    }

    /** Says GOODBYE to every peer, closes the links and stops an embedded driver. */
    @Deactivate
    public void deactivate() {
        try {
            transport.close();
            if (recording != null) {
                recording.close();
            }
        } finally {
            driver.close();
        }
    }
}
