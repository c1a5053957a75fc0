package io.mycelium.python.impl.service;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import io.mycelium.api.MessageBus;
import io.mycelium.python.impl.jni.PythonUpcalls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code _mycelium}'s calls: publishes and subscribes on the node's one bus, logs Python output, reports
 * service failures and answers schema questions. Safe for any number of threads; called without the GIL.
 */
public final class BusUpcalls implements PythonUpcalls {

    private static final Logger LOG = LoggerFactory.getLogger(BusUpcalls.class);
    /** Payloads up to this size are copied to the thread's scratch buffer; larger ones are wrapped (module_native.c). */
    static final int SCRATCH_BYTES = 64 * 1024;

    private volatile MessageBus bus;
    private final Supplier<List<String>> schemaDigests;
    private final PythonServiceRegistry services;
    private final ThreadLocal<ByteBuffer> scratch = ThreadLocal.withInitial(() ->
            ByteBuffer.allocateDirect(SCRATCH_BYTES));

    /**
     * @param bus           the node's bus, or {@code null} until {@link #bind} gives one
     * @param schemaDigests the hex digests of the registered schemas, read on each call
     * @param services      the services by id
     */
    public BusUpcalls(final MessageBus bus, final Supplier<List<String>> schemaDigests,
                      final PythonServiceRegistry services) {
        this.bus = bus;
        this.schemaDigests = Objects.requireNonNull(schemaDigests, "schemaDigests");
        this.services = Objects.requireNonNull(services, "services");
    }

    /**
     * Switches to another bus (the service was replaced) and moves every Python subscription to it.
     *
     * @param newBus the bus, or {@code null} when there is none; Python's publish then raises RuntimeError
     */
    public void bind(final MessageBus newBus) {
        synchronized (services) { // a subscribe racing with the switch lands on the new bus via rebind
            bus = newBus;
            services.rebind(newBus);
        }
    }

    @Override
    public void publish(final int typeId, final ByteBuffer payload) {
        final MessageBus current = bus;
        if (current == null) {
            throw new IllegalStateException("no MessageBus service is registered on this node: deploy the bus "
                    + "bundle; messages published from Python are not delivered until then");
        }
        current.publishRaw(typeId, payload);
    }

    @Override
    public void publishScratch(final int typeId, final int length) {
        final ByteBuffer buffer = scratch.get();
        buffer.clear().limit(length);
        publish(typeId, buffer);
    }

    @Override
    public ByteBuffer scratchBuffer() {
        return scratch.get();
    }

    @Override
    public long subscribe(final int serviceId, final int typeId, final boolean inline) {
        synchronized (services) {
            return services.get(serviceId).subscribe(bus, typeId, inline);
        }
    }

    @Override
    public void unsubscribe(final int serviceId, final long subscriptionId) {
        services.get(serviceId).unsubscribe(subscriptionId);
    }

    @Override
    public long callbackTable(final int serviceId) {
        return services.get(serviceId).callbackTable();
    }

    @Override
    public void log(final int level, final String logger, final String message) {
        final Logger log = LoggerFactory.getLogger(logger);
        if (level >= 40) {
            log.error(message);
        } else if (level >= 30) {
            log.warn(message);
        } else if (level >= 20) {
            log.info(message);
        } else {
            log.debug(message);
        }
    }

    @Override
    public void reportError(final int serviceId, final String type, final String message, final String traceback) {
        final PythonService service = services.find(serviceId);
        if (service != null) {
            service.recordError(type, message, traceback);
        } else if (PythonService.SERVICE_STOPPED.equals(type)) { // a stop interrupted a callback: not a failure
            LOG.debug("stopped Python service #{}: a callback ended because the service stopped", serviceId);
        } else {
            LOG.error("stopped Python service #{} raised {}: {}\n{}", serviceId, type, message, traceback);
        }
    }

    @Override
    public String[] schemaDigests() {
        return schemaDigests.get().toArray(String[]::new);
    }
}
