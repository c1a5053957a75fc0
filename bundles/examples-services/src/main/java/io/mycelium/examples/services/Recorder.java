package io.mycelium.examples.services;

import io.mycelium.api.ConfigurationException;
import io.mycelium.api.Delivery;
import io.mycelium.api.MessageBus;
import io.mycelium.api.MessageType;
import io.mycelium.api.ServiceContext;
import io.mycelium.api.Subscription;
import io.mycelium.examples.protocol.ExamplesSchema;
import io.mycelium.examples.protocol.MarketData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder {@value #SERVICE}: counts every message of every example type it sees (inline, so nothing is
 * dropped) and logs one summary line every report interval (10 s by default) naming the types whose count changed:
 * {@code java-recorder: MarketData count=<n> (+<delta>, <rate>/s), ... in the last 10.0 s}. Operators read the counts
 * from the log, or with the Gogo command {@code mycelium:recorded}. MarketData's {@code timestamp} is also checked as
 * a sequence (the load generator numbers its messages 1, 2, 3, ...): the summary adds
 * {@code MarketData seq first=<n> last=<n> gaps=<n> repeats=<n>}, which end-to-end tests of replay read.
 *
 * <p>Configuration PID {@code io.mycelium.examples.services.Recorder} (metatype: report interval).
 */
@Component(name = "io.mycelium.examples.services.Recorder", service = Recorder.class, immediate = true,
        property = {"osgi.command.scope=mycelium", "osgi.command.function=recorded"})
@Designate(ocd = Recorder.Config.class)
public final class Recorder {

    /** The service name this component asks the topology for. */
    public static final String SERVICE = "java-recorder";
    private static final Logger LOG = LoggerFactory.getLogger(SERVICE);

    private final TypeCounters counters;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final CountSummary summary;
    private final ScheduledExecutorService thread;
    private final SequenceCheck marketDataSequence = new SequenceCheck();

    /** The recorder's configuration. */
    @ObjectClassDefinition(name = "Mycelium example recorder",
            description = "Counts every example message and logs a summary of the changed counts")
    public @interface Config {
        /** @return milliseconds between count summaries */
        @AttributeDefinition(description = "Milliseconds between count summaries, at least 10")
        long report_ms() default CountSummary.PERIOD_SECONDS * 1_000;
    }

    /**
     * Subscribes to every type of the example schema.
     *
     * @param context the service's place on this node
     * @param config  the configuration
     * @throws ConfigurationException if the report interval is below 10 ms
     */
    @Activate
    public Recorder(@Reference(target = "(mycelium.service=" + SERVICE + ")") final ServiceContext context,
                    final Config config) {
        if (config.report_ms() < 10) {
            throw new ConfigurationException(SERVICE + ": report.ms must be at least 10 but was " + config.report_ms()
                    + "; fix it in PID io.mycelium.examples.services.Recorder");
        }
        final List<MessageType<?>> types = ExamplesSchema.INSTANCE.types();
        this.counters = new TypeCounters(types.stream().map(MessageType::name).toList());
        final MessageBus bus = context.bus();
        for (final MessageType<?> type : types) {
            final AtomicLong counter = counters.counter(type.name());
            subscriptions.add(bus.subscribe(type, message -> {
                counter.incrementAndGet();
                if (message instanceof MarketData marketData) {
                    marketDataSequence.accept(marketData.timestamp());
                }
            }, Delivery.INLINE));
        }
        this.summary = new CountSummary(counters, System.nanoTime());
        this.thread = ServiceThreads.scheduler(SERVICE);
        thread.scheduleWithFixedDelay(this::report, config.report_ms(), config.report_ms(), TimeUnit.MILLISECONDS);
        LOG.info("{} on node {}: counting {} example types", SERVICE, context.nodeName(), types.size());
    }

    /** Unsubscribes, summarises the last changes and logs the final counts. */
    @Deactivate
    void stop() {
        subscriptions.forEach(Subscription::close);
        ServiceThreads.stop(thread, SERVICE);
        report();
        LOG.info("{}: stopped; {}", SERVICE, counters.format());
    }

    /**
     * The Gogo command {@code mycelium:recorded}.
     *
     * @return every type's count, as {@code Name=count ...}
     */
    public String recorded() {
        return counters.format();
    }

    /**
     * @param typeName an example type name, e.g. {@code MarketData}
     * @return how many messages of that type were recorded
     * @throws IllegalArgumentException if the name is not an example type
     */
    public long count(final String typeName) {
        return counters.count(typeName);
    }

    private synchronized void report() {
        final String line = summary.next(System.nanoTime());
        if (line != null) {
            LOG.info("{}: {}{}", SERVICE, line, marketDataSequence.started()
                    ? "; MarketData seq " + marketDataSequence.format() : "");
        }
    }
}
