package io.mycelium.examples.services;

import io.mycelium.api.Delivery;
import io.mycelium.api.MessageBus;
import io.mycelium.api.MessageType;
import io.mycelium.api.ServiceContext;
import io.mycelium.api.Subscription;
import io.mycelium.examples.protocol.Prediction;
import io.mycelium.examples.protocol.Result;
import io.mycelium.examples.protocol.TradeSignal;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example subscriber {@value #SERVICE}: counts {@link TradeSignal}, {@link Prediction} and {@link Result}
 * messages, logs the first few of each type in full and then a summary every 10 s while counts change
 * ({@code java-signal-monitor: received TradeSignal count=<n> (+<delta>, <rate>/s), ... in the last 10.0 s}).
 *
 * <p>Handlers run on the bus's queued-delivery thread of each subscription; counting is thread-safe.
 */
@Component(name = "io.mycelium.examples.services.SignalMonitor", service = {})
public final class SignalMonitor {

    /** The service name this component asks the topology for. */
    public static final String SERVICE = "java-signal-monitor";
    private static final Logger LOG = LoggerFactory.getLogger(SERVICE);
    private static final int LOGGED_IN_FULL = 3;

    private final TypeCounters counters;
    private final List<Subscription> subscriptions;
    private final ScheduledExecutorService thread;
    private final CountSummary summary;

    /**
     * Subscribes.
     *
     * @param context the service's place on this node
     */
    @Activate
    public SignalMonitor(@Reference(target = "(mycelium.service=" + SERVICE + ")") final ServiceContext context) {
        final MessageBus bus = context.bus();
        this.counters = new TypeCounters(List.of(TradeSignal.TYPE.name(), Prediction.TYPE.name(), Result.TYPE.name()));
        this.subscriptions = List.of(subscribe(bus, TradeSignal.TYPE), subscribe(bus, Prediction.TYPE),
                subscribe(bus, Result.TYPE));
        this.summary = new CountSummary(counters, System.nanoTime());
        this.thread = ServiceThreads.scheduler(SERVICE);
        thread.scheduleWithFixedDelay(this::summarize, CountSummary.PERIOD_SECONDS, CountSummary.PERIOD_SECONDS,
                TimeUnit.SECONDS);
        LOG.info("{} on node {}: watching TradeSignal, Prediction, Result", SERVICE, context.nodeName());
    }

    /** Unsubscribes and logs the final counts. */
    @Deactivate
    void stop() {
        subscriptions.forEach(Subscription::close);
        ServiceThreads.stop(thread, SERVICE);
        LOG.info("{}: stopped; received {}", SERVICE, counters.format());
    }

    /** @return the counts so far, as {@code TradeSignal=n Prediction=n Result=n} */
    String counts() {
        return counters.format();
    }

    private <T> Subscription subscribe(final MessageBus bus, final MessageType<T> type) {
        final AtomicLong counter = counters.counter(type.name());
        return bus.subscribe(type, message -> {
            final long count = counter.incrementAndGet();
            if (count <= LOGGED_IN_FULL) {
                LOG.info("{}: received {} #{}: {}", SERVICE, type.name(), count, message);
            }
        }, Delivery.queued());
    }

    private void summarize() {
        final String line = summary.next(System.nanoTime());
        if (line != null) {
            LOG.info("{}: received {}", SERVICE, line);
        }
    }
}
