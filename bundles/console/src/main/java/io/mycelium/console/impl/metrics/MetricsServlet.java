package io.mycelium.console.impl.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mycelium.logging.LogLimiter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Serves the registry in the Prometheus text exposition format (version 0.0.4) to GET requests the access rule
 * allows; others get 401 with a Basic challenge. Thread-safe: scrapes may run concurrently (each reads the node).
 */
final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServlet.class);

    private final transient PrometheusRegistry registry;
    private final transient MetricsAccess access;
    private final transient PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final transient LogLimiter refusals = new LogLimiter(Duration.ofMinutes(1));
    private final transient LogLimiter failures = new LogLimiter(Duration.ofMinutes(1));

    MetricsServlet(final PrometheusRegistry registry, final MetricsAccess access) {
        this.registry = registry;
        this.access = access;
    }

    @Override
    protected void doGet(final HttpServletRequest request, final HttpServletResponse response) throws IOException {
        if (!access.allows(request.getRemoteAddr(), request.getHeader("Authorization"))) {
            final long suppressed = refusals.tryAcquire();
            if (suppressed != LogLimiter.SUPPRESSED) {
                LOG.warn("metrics: refused {} from {} without the Web Console login (auth = {} in"
                        + " etc/io.mycelium.console.metrics.cfg){}", request.getRequestURI(), request.getRemoteAddr(),
                        access.mode().name().toLowerCase(java.util.Locale.ROOT), refusals.summary(suppressed));
            }
            response.setHeader("WWW-Authenticate", "Basic realm=\"Mycelium metrics\", charset=\"UTF-8\"");
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED,
                    "the metrics need the Web Console's login from this address");
            return;
        }
        final MetricSnapshots snapshots;
        try {
            snapshots = registry.scrape();
        } catch (final RuntimeException e) {
            final long suppressed = failures.tryAcquire();
            if (suppressed != LogLimiter.SUPPRESSED) {
                LOG.error("metrics: reading the node failed: {}{}", e, failures.summary(suppressed), e);
            }
            response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "reading the node failed: " + e);
            return;
        }
        // written to memory first (tens of kilobytes): a scraper that hangs up early then costs no stack trace
        final ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
        writer.write(body, snapshots);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(writer.getContentType());
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.size());
        try (OutputStream out = response.getOutputStream()) {
            body.writeTo(out);
        } catch (final IOException e) {
            // the client closed the connection (curl | head): its loss, not the node's
            LOG.debug("metrics: client {} went away while reading: {}", request.getRemoteAddr(), e.toString());
        }
    }
}
