package io.mycelium.bus.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.FrameworkUtil;

/**
 * Closes the subscriptions a bundle leaves open when it stops, so a hot-deployed bundle's stale classes are never
 * called again. The owner of a subscription is the bundle that loaded its handler class. Safe for any thread; only
 * used inside OSGi (it is the only class that touches the framework API at run time).
 */
final class BundleLeakGuard implements BundleListener {

    private final BundleContext context;
    private final BiConsumer<List<Long>, String> closer;
    private final LogSink log;
    private final long ownBundleId;
    /** Subscription id to owning bundle id. */
    private final Map<Long, Long> owners = new ConcurrentHashMap<>();

    BundleLeakGuard(final BundleContext context, final BiConsumer<List<Long>, String> closer, final LogSink log) {
        this.context = context;
        this.closer = closer;
        this.log = log;
        this.ownBundleId = context.getBundle().getBundleId();
        context.addBundleListener(this);
    }

    void track(final BusSubscription s, final Object handler) {
        final Bundle owner = FrameworkUtil.getBundle(handler.getClass());
        if (owner != null && owner.getBundleId() != ownBundleId && owner.getBundleId() != 0) {
            owners.put(s.id(), owner.getBundleId());
        }
    }

    void untrack(final BusSubscription s) {
        owners.remove(s.id());
    }

    @Override
    public void bundleChanged(final BundleEvent event) {
        if (event.getType() != BundleEvent.STOPPED) {
            return;
        }
        final long bundleId = event.getBundle().getBundleId();
        final List<Long> left = new ArrayList<>();
        owners.forEach((subscription, owner) -> {
            if (owner == bundleId) {
                left.add(subscription);
            }
        });
        if (!left.isEmpty()) {
            closer.accept(left, event.getBundle().getSymbolicName() + " [" + bundleId + "]");
        }
    }

    void close() {
        try {
            context.removeBundleListener(this);
        } catch (final IllegalStateException e) {
            log.info("bus bundle context already invalid while removing its bundle listener: " + e.getMessage());
        }
    }
}
