package io.mycelium.console.impl.web;

import io.mycelium.console.impl.model.NodeSnapshots;
import io.mycelium.logging.LogLimiter;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Web Console plugin "Mycelium" (label {@value #LABEL}, category {@value #TITLE}), registered as a
 * {@code jakarta.servlet.Servlet} service as Web Console 5 expects. Under {@code /system/console/mycelium}: the
 * page (inside the console's frame), {@code data.json} (the same tables, for the page's refresh script) and the
 * script and style sheet under {@code res/mycelium/}. Authentication is the Web Console's, as for every plugin.
 *
 * <p>Thread-safe: the console calls it from its request threads; readers serialise their own reads.
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + MyceliumPageServlet.LABEL,
        ServletConstants.PLUGIN_TITLE + "=" + MyceliumPageServlet.TITLE,
        ServletConstants.PLUGIN_CATEGORY + "=" + MyceliumPageServlet.TITLE,
        ServletConstants.PLUGIN_CSS_REFERENCES + "=/" + MyceliumPageServlet.LABEL + "/res/mycelium/mycelium.css"})
public final class MyceliumPageServlet extends AbstractServlet {

    /** The plugin's label: its path below the console root. */
    public static final String LABEL = "mycelium";
    /** The page's title and the Web Console menu category it is listed under. */
    public static final String TITLE = "Mycelium";

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MyceliumPageServlet.class);
    private static final String DATA = "/" + LABEL + "/data.json";
    private static final String RESOURCES = "/" + LABEL + "/res/mycelium/";
    /** Only the bundle's own assets: a name, no path (no {@code ..}, no other bundle entry). */
    private static final Pattern ASSET = Pattern.compile("[a-z0-9-]+\\.(js|css)");

    /** Reads for server-rendered pages: rates since the previous page load. */
    private final transient NodeSnapshots.Sampler pageLoads;
    /** Reads for each open page's script: rates since that page's previous refresh. */
    private final transient PageReaders<NodeSnapshots.Sampler> scripts;
    private final transient LogLimiter readFailures = new LogLimiter(Duration.ofSeconds(60));

    /** @param snapshots the node's read model */
    @Activate
    public MyceliumPageServlet(@Reference final NodeSnapshots snapshots) {
        this.pageLoads = snapshots.sampler();
        this.scripts = new PageReaders<>(snapshots::sampler);
    }

    @Override
    protected void doGet(final HttpServletRequest request, final HttpServletResponse response) throws IOException {
        final String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        if (path.equals(DATA)) {
            writeJson(request.getParameter("reader"), response);
        } else if (path.startsWith(RESOURCES)) {
            if (ASSET.matcher(path.substring(RESOURCES.length())).matches()) {
                spoolResource(request, response);
            }
            if (!response.isCommitted()) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such asset: " + path);
            }
        } else if (!path.equals("/" + LABEL) && !path.equals("/" + LABEL + "/")) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such page: " + path);
        }
        // else: nothing written, so the Web Console renders its frame around renderContent
    }

    @Override
    protected URL getResource(final String path) {
        return path.startsWith(RESOURCES) ? getClass().getResource(path.substring(LABEL.length() + 1)) : null;
    }

    @Override
    public void renderContent(final HttpServletRequest request, final HttpServletResponse response)
            throws IOException {
        final Object root = request.getAttribute(ServletConstants.ATTR_PLUGIN_ROOT);
        final String pluginRoot = root instanceof String text ? text
                : request.getContextPath() + request.getServletPath() + "/" + LABEL;
        final String reader = UUID.randomUUID().toString().replace("-", "");
        final String html;
        try {
            // the script's reader starts from this instant, so its first refresh shows rates of the last second
            scripts.reader(reader).read();
            html = HtmlPageWriter.write(SnapshotPage.of(pageLoads.read()), pluginRoot, reader);
        } catch (final RuntimeException e) {
            logReadFailure(e);
            response.getWriter().append("<p class=\"mycelium-error\">Cannot read the node's figures: ")
                    .append(Escape.html(String.valueOf(e))).append(" (the node's log has the details)</p>");
            return;
        }
        response.getWriter().append(html);
    }

    private void writeJson(final String reader, final HttpServletResponse response) throws IOException {
        setNoCache(response);
        final String json;
        try {
            json = JsonPageWriter.write(SnapshotPage.of(scripts.reader(reader).read()));
        } catch (final RuntimeException e) {
            logReadFailure(e);
            response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "cannot read the node's figures: " + e
                    + " (the node's log has the details)");
            return;
        }
        final byte[] body = json.getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private void logReadFailure(final RuntimeException e) {
        final long suppressed = readFailures.tryAcquire();
        if (suppressed != LogLimiter.SUPPRESSED) {
            LOG.warn("Mycelium console page: cannot read the node's figures{}", readFailures.summary(suppressed), e);
        }
    }
}
