package io.mycelium.console.impl.metrics;

import java.util.Dictionary;
import java.util.Hashtable;

import jakarta.servlet.Servlet;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mycelium.console.impl.model.NodeSnapshots;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Publishes {@code /metrics} through the HTTP whiteboard (Jakarta Servlet) of the node's HTTP service: the node's
 * metric families ({@link NodeMetrics}) and the JVM's basics (the client's JVM collectors) in one registry of its
 * own. A configuration change re-registers the servlet. A bad setting is logged at ERROR with the file and key, and
 * the safe default is used instead.
 */
@Component(configurationPid = MetricsEndpoint.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = {})
@Designate(ocd = MetricsConfig.class)
public final class MetricsEndpoint {

    /** The configuration PID: {@code etc/io.mycelium.console.metrics.cfg}. */
    static final String PID = "io.mycelium.console.metrics";
    private static final String FILE = "etc/" + PID + ".cfg";
    private static final String DEFAULT_PATH = "/metrics";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final ServiceRegistration<Servlet> registration;

    /**
     * @param config    the settings
     * @param snapshots the node's read model
     * @param context   this bundle's context, to register the servlet
     */
    @Activate
    public MetricsEndpoint(final MetricsConfig config, @Reference final NodeSnapshots snapshots,
            final BundleContext context) {
        if (!config.enabled()) {
            LOG.info("metrics: not served (enabled = false in {})", FILE);
            registration = null;
            return;
        }
        final String path = path(config.path());
        final PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new NodeMetrics(snapshots.sampler()::read));
        try {
            JvmMetrics.builder().register(registry);
        } catch (final RuntimeException | LinkageError e) {
            // the node's own metrics matter more than the JVM's: serve them anyway, and say what is missing
            LOG.error("metrics: the JVM metrics are left out, the JVM collectors failed: {}", e.toString());
        }
        final MetricsAccess access = new MetricsAccess(mode(config.auth()),
                context.getProperty("felix.webconsole.username"), context.getProperty("felix.webconsole.password"));
        final Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("osgi.http.whiteboard.servlet.pattern", path);
        properties.put("osgi.http.whiteboard.servlet.name", "mycelium-metrics");
        registration = context.registerService(Servlet.class, new MetricsServlet(registry, access), properties);
        LOG.info("metrics: Prometheus metrics at {} on the node's HTTP service (auth = {})", path,
                access.mode().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** Stops serving. */
    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (final IllegalStateException alreadyGone) {
                // the framework unregistered it as the bundle stopped
            }
        }
    }

    private static String path(final String configured) {
        final String path = configured == null ? "" : configured.trim();
        if (!path.startsWith("/") || path.length() < 2 || path.contains("*") || path.contains(" ")) {
            LOG.error("metrics: path = '{}' in {} must start with '/' and name a path without '*' or spaces; serving"
                    + " {} instead", configured, FILE, DEFAULT_PATH);
            return DEFAULT_PATH;
        }
        return path;
    }

    private static MetricsAccess.Mode mode(final String configured) {
        try {
            return MetricsAccess.Mode.parse(configured);
        } catch (final IllegalArgumentException e) {
            LOG.error("metrics: {} in {}; asking every client for the Web Console login (auth = console) instead",
                    e.getMessage(), FILE);
            return MetricsAccess.Mode.CONSOLE;
        }
    }
}
