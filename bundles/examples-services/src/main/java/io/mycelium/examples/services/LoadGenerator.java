package io.mycelium.examples.services;

import io.mycelium.api.ConfigurationException;
import io.mycelium.api.Message;
import io.mycelium.api.MessageBus;
import io.mycelium.api.ServiceContext;
import io.mycelium.examples.protocol.CounterUpdate;
import io.mycelium.examples.protocol.Features;
import io.mycelium.examples.protocol.Input;
import io.mycelium.examples.protocol.MarketData;
import io.mycelium.examples.protocol.PredictionRequest;
import io.mycelium.examples.protocol.TradeSignal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load generator {@value #SERVICE}: runs only when configured (a {@code .cfg} in deploy/, factory PID
 * {@code io.mycelium.examples.services.LoadGenerator}), publishes {@code count} messages of one example type at
 * {@code rate} per second (0: as fast as possible) on its own thread, logs a summary every 10 s while it runs
 * ({@code java-load-generator[<name>]: published <Type> count=<n> (+<delta>, <rate>/s) in the last 10.0 s}), then
 * {@code java-load-generator[<name>]: published <count> <Type> in <ms> ms}.
 *
 * <p>Message {@code i} (from 1) carries {@code i} in its sequence-like field (CounterUpdate.counter_id,
 * MarketData.timestamp, Input.sequence, PredictionRequest.id, Features.features[0], TradeSignal.timestamp).
 */
@Component(name = "io.mycelium.examples.services.LoadGenerator", service = {},
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = LoadGenerator.Config.class, factory = true)
public final class LoadGenerator {

    /** The service name this component asks the topology for. */
    public static final String SERVICE = "java-load-generator";
    private static final Logger LOG = LoggerFactory.getLogger(SERVICE);
    private static final long TICK_MICROS = 1_000;
    private static final Map<String, LongFunction<Message>> SAMPLES = Map.of(
            "CounterUpdate", i -> new CounterUpdate(i, (int) i, 1),
            "MarketData", i -> new MarketData("BTC", 99.5, 100.5, 100.0, 1.0, i),
            "TradeSignal", i -> new TradeSignal("BTC", "buy", 1.0, 0.0, i),
            "PredictionRequest", i -> new PredictionRequest(i, sampleFeatures(i)),
            "Features", i -> new Features("BTC", sampleFeatures(i)),
            "Input", i -> new Input(sampleFloats(i), i));

    private final MessageBus bus;
    private final String name;
    private final String type;
    private final LongFunction<Message> sample;
    private final long count;
    private final long rate;
    private final ScheduledExecutorService thread;
    private final TypeCounters counters;
    private final CountSummary summary;
    private long published;
    private long startNanos;

    /** The generator's configuration. */
    @ObjectClassDefinition(name = "Mycelium example load generator",
            description = "Publishes a number of example messages at a rate, once")
    public @interface Config {
        /** @return the message type */
        @AttributeDefinition(description = "Message type: CounterUpdate, MarketData, TradeSignal, "
                + "PredictionRequest, Features or Input")
        String type() default "CounterUpdate";

        /** @return how many messages */
        @AttributeDefinition(description = "How many messages to publish, at least 1")
        long count() default 100_000;

        /** @return messages per second, 0 for as fast as possible */
        @AttributeDefinition(description = "Messages per second (a multiple of 1000 is exact), 0 for as fast as "
                + "possible")
        long rate() default 0;

        /** @return milliseconds to wait before the first message */
        @AttributeDefinition(description = "Milliseconds to wait before the first message")
        long delay_ms() default 0;

        /** @return a name for the log lines */
        @AttributeDefinition(description = "A name for the log lines")
        String name() default "load";
    }

    /**
     * Starts publishing.
     *
     * @param context the service's place on this node
     * @param config  the configuration
     * @throws ConfigurationException if the type is unknown, or count, rate or delay is out of range
     */
    @Activate
    public LoadGenerator(@Reference(target = "(mycelium.service=" + SERVICE + ")") final ServiceContext context,
                         final Config config) {
        this.type = config.type();
        this.sample = SAMPLES.get(type);
        if (sample == null) {
            throw new ConfigurationException(SERVICE + ": unknown type '" + type + "'; use one of "
                    + SAMPLES.keySet().stream().sorted().toList());
        }
        if (config.count() < 1 || config.rate() < 0 || config.delay_ms() < 0) {
            throw new ConfigurationException(SERVICE + ": count must be >= 1, rate and delay.ms >= 0, but were "
                    + config.count() + ", " + config.rate() + ", " + config.delay_ms());
        }
        this.bus = context.bus();
        this.name = config.name();
        this.count = config.count();
        this.rate = config.rate();
        this.counters = new TypeCounters(List.of(type));
        this.summary = new CountSummary(counters, System.nanoTime());
        this.thread = ServiceThreads.scheduler(SERVICE);
        LOG.info("{}[{}]: publishing {} {} at {}/s after {} ms", SERVICE, name, count, type,
                config.rate() == 0 ? "max" : config.rate(), config.delay_ms());
        thread.scheduleAtFixedRate(this::tick, config.delay_ms() * 1_000, TICK_MICROS, TimeUnit.MICROSECONDS);
        thread.scheduleWithFixedDelay(this::summarize, CountSummary.PERIOD_SECONDS, CountSummary.PERIOD_SECONDS,
                TimeUnit.SECONDS);
    }

    /** Stops publishing. */
    @Deactivate
    void stop() {
        ServiceThreads.stop(thread, SERVICE);
    }

    private void tick() {
        if (published == 0) {
            startNanos = System.nanoTime();
        }
        final long end = due(rate, count, System.nanoTime() - startNanos);
        try {
            while (published < end && !Thread.currentThread().isInterrupted()) {
                bus.publish(sample.apply(published + 1));
                published++;
            }
            counters.counter(type).set(published); // read by summarize on this same thread
        } catch (final RuntimeException e) {
            LOG.warn("{}[{}]: publishing {} #{} failed, stopping: {}", SERVICE, name, type, published + 1,
                    e.toString());
            thread.shutdown();
            return;
        }
        if (published == count) {
            LOG.info("{}[{}]: published {} {} in {} ms", SERVICE, name, count, type,
                    (System.nanoTime() - startNanos) / 1_000_000);
            // shutting the scheduler down cancels this periodic task; the thread then ends
            thread.shutdown();
        }
    }

    /**
     * How many messages should have been published after {@code elapsedNanos}: the first at once, then {@code rate}
     * per second. Worked out from the elapsed time, not as a quota per tick, so a rate below one message per tick
     * (200/s on 1 ms ticks) or between whole multiples of it (1500/s) is kept, and a late tick catches up.
     */
    static long due(final long rate, final long count, final long elapsedNanos) {
        if (rate == 0) {
            return count;
        }
        return Math.min(count, 1 + (long) (rate * (elapsedNanos / 1e9)));
    }

    private void summarize() {
        final String line = summary.next(System.nanoTime());
        if (line != null) {
            LOG.info("{}[{}]: published {}", SERVICE, name, line);
        }
    }

    private static float[] sampleFeatures(final long i) {
        final float[] features = new float[16];
        features[0] = i;
        for (int k = 1; k < features.length; k++) {
            features[k] = k * 0.5f;
        }
        return features;
    }

    private static byte[] sampleFloats(final long i) {
        final ByteBuffer buffer = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putFloat(i).putFloat(1.0f).putFloat(2.0f).putFloat(3.0f);
        return buffer.array();
    }
}
