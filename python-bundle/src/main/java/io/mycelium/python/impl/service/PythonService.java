package io.mycelium.python.impl.service;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.mycelium.api.Delivery;
import io.mycelium.api.MessageBus;
import io.mycelium.api.RawMessageHandler;
import io.mycelium.api.Subscription;
import io.mycelium.python.impl.dispatch.DispatcherSettings;
import io.mycelium.python.impl.dispatch.PythonDispatcher;
import io.mycelium.python.impl.jni.NativeBridge;
import io.mycelium.logging.LogLimiter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java side of one Python service: its bus subscriptions, its dispatcher, its callback table and its error
 * count. Safe for any number of threads; {@link #close()} is idempotent.
 */
public final class PythonService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PythonService.class);
    /** The exception that stops a service's threads (mycelium_native/_services.py); not a failure. */
    static final String SERVICE_STOPPED = "mycelium_native._services.ServiceStopped";
    /** How long a close waits for a callback in progress before the caller interrupts it or leaves it behind. */
    static final long CLOSE_WAIT_MILLIS = 500;

    private final int id;
    private final String name;
    private final long callbackTable;
    private final PythonDispatcher dispatcher;
    private final Map<Long, BusBinding> subscriptions = new HashMap<>(); // guarded by this
    private final AtomicLong errors = new AtomicLong();
    /** A callback failing on every message must not flood the log: ten lines per 10 s, the rest counted. */
    private final LogLimiter errorLog = new LogLimiter(Duration.ofSeconds(10), 10);
    private long nextSubscriptionId = 1; // guarded by this
    private volatile boolean closed;
    private final AtomicBoolean released = new AtomicBoolean();
    private final long startedMillis = System.currentTimeMillis();
    private volatile String lastTraceback = "";

    /**
     * Creates the callback table and starts the dispatcher.
     *
     * @param id            the service id Python code uses
     * @param name          the service name (file name without {@code .py})
     * @param settings      the dispatcher's queue limit and idle spin
     */
    PythonService(final int id, final String name, final DispatcherSettings settings) {
        this.id = id;
        this.name = name;
        this.callbackTable = NativeBridge.newDict();
        this.dispatcher = new PythonDispatcher(id, name, callbackTable, settings);
    }

    /** @return the service id */
    public int id() {
        return id;
    }

    /** @return the service name */
    public String name() {
        return name;
    }

    /** @return the address of the callback table, {@code {subscription id: (decode, callback)}} */
    long callbackTable() {
        return callbackTable;
    }

    /**
     * Subscribes to a type; messages go to the dispatcher, or straight to the callback on the publisher's thread when
     * {@code inline}. The subscription follows the bus: {@link #rebind} moves it to a replacement bus.
     *
     * @param bus    the node's bus, or {@code null} while there is none (the subscription waits for one)
     * @param typeId the type id
     * @param inline whether the callback runs on the publisher's thread
     * @return the subscription id
     * @throws IllegalStateException if the service is stopped
     */
    synchronized long subscribe(final MessageBus bus, final int typeId, final boolean inline) {
        if (closed) {
            throw new IllegalStateException("Python service '" + name + "' is stopped; it cannot subscribe");
        }
        final long subscriptionId = nextSubscriptionId++;
        final BusBinding binding = new BusBinding(name, typeId, inline
                ? (type, payload) -> dispatcher.deliverInline(subscriptionId, payload)
                : (type, payload) -> dispatcher.offer(subscriptionId, type, payload));
        binding.bind(bus);
        subscriptions.put(subscriptionId, binding);
        return subscriptionId;
    }

    /**
     * Closes a subscription; idempotent.
     *
     * @param subscriptionId the id from {@link #subscribe}
     */
    synchronized void unsubscribe(final long subscriptionId) {
        final BusBinding binding = subscriptions.remove(subscriptionId);
        if (binding != null) {
            binding.bind(null);
        }
    }

    /**
     * Moves every subscription to {@code bus} (the bus service was replaced or went away).
     *
     * @param bus the new bus, or {@code null} when there is none
     */
    synchronized void rebind(final MessageBus bus) {
        for (final BusBinding binding : subscriptions.values()) {
            binding.bind(bus);
        }
    }

    /** @return open subscriptions */
    public synchronized int subscriptionCount() {
        return subscriptions.size();
    }

    /**
     * Logs and counts a failure of this service.
     *
     * @param type      the Python exception type
     * @param message   the exception message
     * @param traceback the formatted traceback
     */
    void recordError(final String type, final String message, final String traceback) {
        if (SERVICE_STOPPED.equals(type)) { // a callback was sleeping while its service stopped: not a failure
            LOG.debug("Python service '{}': a callback ended because the service stopped", name);
            return;
        }
        final long count = errors.incrementAndGet();
        lastTraceback = traceback == null || traceback.isBlank() ? type + ": " + message : traceback;
        final String protocolPackage = missingProtocolPackage(type, message);
        if (protocolPackage != null) {
            // FileInstall may hand over a .py before the protocol bundle beside it: expected, and retried
            LOG.warn("Python service '{}' cannot import {} yet: no protocol bundle has put that Python package on"
                    + " sys.path; it starts again when a protocol is deployed", name, protocolPackage);
            return;
        }
        final long suppressed = errorLog.tryAcquire();
        if (suppressed != LogLimiter.SUPPRESSED) {
            LOG.error("Python service '{}' raised {}: {} (failure #{}){}\n{}", name, type, message, count,
                    errorLog.summary(suppressed), traceback);
        }
    }

    /**
     * Tells an import of a protocol's Python package that is not (yet) deployed from any other failure.
     *
     * @param type    the Python exception type
     * @param message its message, e.g. {@code No module named 'mycelium_protocol_examples'}
     * @return the missing package ({@code mycelium_protocol} or {@code mycelium_protocol_<name>}, without a
     *         submodule), or {@code null} when the failure is something else
     */
    static String missingProtocolPackage(final String type, final String message) {
        final String quoted = "'mycelium_protocol";
        final int start = message.indexOf(quoted);
        if (!"ModuleNotFoundError".equals(type) || start < 0) {
            return null;
        }
        int end = start + 1;
        while (end < message.length() && (Character.isLetterOrDigit(message.charAt(end))
                || message.charAt(end) == '_')) {
            end++;
        }
        return message.substring(start + 1, end);
    }

    /** @return failures recorded: exceptions at import and in callbacks */
    public long errors() {
        return errors.get();
    }

    /** @return when this service was created (epoch milliseconds) */
    public long startedMillis() {
        return startedMillis;
    }

    /** @return the traceback of the last failure recorded, or the empty string */
    public String lastTraceback() {
        return lastTraceback;
    }

    /** @return the dispatcher's counters */
    public PythonDispatcher dispatcher() {
        return dispatcher;
    }

    /** Closes every subscription, stops the dispatcher and releases the callback table. Idempotent. */
    @Override
    public void close() {
        if (!close(CLOSE_WAIT_MILLIS)) {
            LOG.warn("Python service '{}': callback table kept because a callback is still running on {}", name,
                    dispatcher.busyThreads());
        }
    }

    /**
     * Closes every subscription and stops the dispatcher, waiting up to {@code waitMillis} for callbacks in
     * progress; releases the callback table once none runs. Idempotent.
     *
     * @param waitMillis how long to wait for callbacks in progress
     * @return whether no callback of this service runs any more (else see {@link #awaitTermination})
     */
    public boolean close(final long waitMillis) {
        synchronized (this) {
            if (!closed) {
                closed = true;
                subscriptions.values().forEach(binding -> binding.bind(null));
                subscriptions.clear();
            }
        }
        // outside the lock: a running callback may call unsubscribe while the dispatcher waits for it
        return releaseWhenTerminated(dispatcher.close(waitMillis));
    }

    /**
     * Waits up to {@code waitMillis} for the callbacks of a closed service to return; releases the callback table
     * then.
     *
     * @param waitMillis the bound
     * @return whether no callback of this service runs any more
     */
    public boolean awaitTermination(final long waitMillis) {
        return releaseWhenTerminated(dispatcher.awaitTermination(waitMillis));
    }

    private boolean releaseWhenTerminated(final boolean terminated) {
        if (terminated && released.compareAndSet(false, true)) {
            NativeBridge.release(callbackTable);
        }
        return terminated;
    }

    /** One Python subscription's raw handler and its subscription on the current bus. Guarded by the service. */
    private static final class BusBinding {
        private final String serviceName;
        private final int typeId;
        private final RawMessageHandler handler;
        private Subscription current;

        BusBinding(final String serviceName, final int typeId, final RawMessageHandler handler) {
            this.serviceName = serviceName;
            this.typeId = typeId;
            this.handler = handler;
        }

        /**
         * Closes the subscription on the old bus and subscribes on {@code bus} (none when null), attributed to the
         * service so that the bus's stats, consoles and metrics name it.
         */
        void bind(final MessageBus bus) {
            if (current != null) {
                current.close();
                current = null;
            }
            if (bus != null) {
                current = bus.forService(serviceName).subscribeRaw(typeId, handler, Delivery.INLINE);
            }
        }
    }
}
