package io.mycelium.logging.impl;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Puts an {@link OsgiLogBridge} on every Log service's reader for as long as both are there. Its own class, so the
 * bundle still starts (without this bridge) where no Log service API is installed: the import is optional.
 *
 * <p>Opened and closed by the activator; the tracker callbacks run on the threads that register and unregister
 * Log services.
 */
final class LogReaderTracker extends ServiceTracker<LogReaderService, OsgiLogBridge> {

    private final LineSink sink;

    LogReaderTracker(final BundleContext context, final LineSink sink) {
        super(context, LogReaderService.class, null);
        this.sink = sink;
    }

    @Override
    public OsgiLogBridge addingService(final ServiceReference<LogReaderService> reference) {
        final LogReaderService reader = context.getService(reference);
        if (reader == null) {
            return null;
        }
        final OsgiLogBridge bridge = new OsgiLogBridge(sink);
        bridge.start(reader);
        return bridge;
    }

    @Override
    public void removedService(final ServiceReference<LogReaderService> reference, final OsgiLogBridge bridge) {
        bridge.stop();
        context.ungetService(reference);
    }
}
