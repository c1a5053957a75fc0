package io.mycelium.logging.impl;

import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * Starts the one log stream: bridges {@code java.util.logging} and every OSGi Log service (its history, then each
 * new entry) into slf4j. A plain activator rather than a component, so it runs before SCR starts
 * (etc/config.properties {@code mycelium.start.first}) and SCR's first failure already reaches the stream.
 *
 * <p>Called by the framework: start, then stop.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class LoggingActivator implements BundleActivator {

    private final LineSink sink = new Slf4jSink();
    private JulBridge jul;
    private AutoCloseable logService;

    @Override
    public void start(final BundleContext context) {
        jul = new JulBridge(sink);
        jul.install();
        if (logServiceApiPresent()) {
            final LogReaderTracker tracker = new LogReaderTracker(context, sink);
            tracker.open();
            logService = tracker::close;
        } else {
            org.slf4j.LoggerFactory.getLogger(context.getBundle().getSymbolicName()).info("no OSGi Log service API "
                    + "(org.osgi.service.log) is installed, so only slf4j and java.util.logging reach the log");
        }
    }

    @Override
    public void stop(final BundleContext context) throws Exception {
        if (logService != null) {
            logService.close();
        }
        jul.uninstall();
    }

    private static boolean logServiceApiPresent() {
        try {
            Class.forName("org.osgi.service.log.LogReaderService", false, LoggingActivator.class.getClassLoader());
            return true;
        } catch (final ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
