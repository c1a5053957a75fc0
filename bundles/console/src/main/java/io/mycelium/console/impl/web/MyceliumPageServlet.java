package io.mycelium.console.impl.web;

import io.mycelium.logging.LogLimiter;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Web Console plugin "Mycelium" (label {@value #LABEL}): under {@code /system/console/mycelium} the page
 * (rendered inside the console's frame), {@code data.json} (the same tables for the page's refresh script) and the
 * script and style sheet under {@code res/mycelium/}. Authentication is the Web Console's, as for every plugin.
 *
 * <p>Thread-safe: the console calls it from its request threads; all state is in the {@link PageSource}.
 */
public class MyceliumPageServlet extends AbstractServlet {

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

    private final transient PageSource source;
    private final transient LogLimiter readFailures = new LogLimiter(Duration.ofSeconds(60));

    /** @param source reads the figures shown */
    public MyceliumPageServlet(final PageSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    protected void doGet(final HttpServletRequest request, final HttpServletResponse response)
            throws ServletException, IOException {
        final String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        if (path.equals(DATA)) {
            writeJson(response);
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
        Page page;
        try {
            page = source.read();
        } catch (final RuntimeException e) {
            logReadFailure(e);
            response.getWriter().append("<p class=\"mycelium-error\">Cannot read the node's figures: ")
                    .append(Escape.html(String.valueOf(e))).append("</p>");
            return;
        }
        response.getWriter().append(HtmlPageWriter.write(page, pluginRoot));
    }

    private void writeJson(final HttpServletResponse response) throws IOException {
        setNoCache(response);
        final String json;
        try {
            json = JsonPageWriter.write(source.read());
        } catch (final RuntimeException e) {
            logReadFailure(e);
            response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
                    "cannot read the node's figures: " + e);
            return;
        }
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        final byte[] body = json.getBytes(StandardCharsets.UTF_8);
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
