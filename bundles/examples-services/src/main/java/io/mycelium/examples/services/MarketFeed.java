package io.mycelium.examples.services;

import io.mycelium.api.ConfigurationException;
import io.mycelium.api.MessageBus;
import io.mycelium.api.ServiceContext;
import io.mycelium.examples.protocol.MarketData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
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
 * The example publisher {@value #SERVICE}: publishes {@link MarketData} for a few symbols (a random walk around a
 * start price each) at a configured rate, round robin over the symbols, on its own thread, and logs a summary every
 * 10 s ({@code java-market-feed: published MarketData count=<n> (+<delta>, <rate>/s) in the last 10.0 s}).
 *
 * <p>Configuration PID {@code io.mycelium.examples.services.MarketFeed} (metatype: symbols, rate).
 */
@Component(name = "io.mycelium.examples.services.MarketFeed", service = {})
@Designate(ocd = MarketFeed.Config.class)
public final class MarketFeed {

    /** The service name this component asks the topology for. */
    public static final String SERVICE = "java-market-feed";
    private static final Logger LOG = LoggerFactory.getLogger(SERVICE);
    private static final int SYMBOL_MAX_BYTES = 16;
    private static final double MAX_RATE = 100_000;

    private final MessageBus bus;
    private final List<String> symbols;
    private final double[] prices;
    private final SplittableRandom random = new SplittableRandom(42);
    private final TypeCounters counters = new TypeCounters(List.of(MarketData.TYPE.name()));
    private final AtomicLong published = counters.counter(MarketData.TYPE.name());
    private final CountSummary summary = new CountSummary(counters, System.nanoTime());
    private final ScheduledExecutorService thread;
    private int next;

    /** The feed's configuration. */
    @ObjectClassDefinition(name = "Mycelium example market feed",
            description = "Publishes MarketData for a few symbols at a fixed rate")
    public @interface Config {
        /** @return the symbols, at most 16 UTF-8 bytes each */
        @AttributeDefinition(description = "Instrument symbols, at most 16 UTF-8 bytes each")
        String[] symbols() default {"BTC", "ETH", "SOL"};

        /** @return messages per second over all symbols */
        @AttributeDefinition(description = "MarketData messages per second over all symbols, in (0, 100000]")
        double rate() default 10.0;
    }

    /**
     * Starts publishing.
     *
     * @param context the service's place on this node
     * @param config  the configuration
     * @throws ConfigurationException if a symbol is empty or too long, or the rate is out of range
     */
    @Activate
    public MarketFeed(@Reference(target = "(mycelium.service=" + SERVICE + ")") final ServiceContext context,
                      final Config config) {
        this.symbols = checkedSymbols(config.symbols());
        final double rate = config.rate();
        if (!(rate > 0 && rate <= MAX_RATE)) {
            throw new ConfigurationException(SERVICE + ": rate must be in (0, " + (long) MAX_RATE
                    + "] messages per second but was " + rate + "; fix 'rate' of PID "
                    + "io.mycelium.examples.services.MarketFeed");
        }
        this.bus = context.bus();
        this.prices = new double[symbols.size()];
        for (int i = 0; i < prices.length; i++) {
            prices[i] = 100.0 * (i + 1);
        }
        this.thread = ServiceThreads.scheduler(SERVICE);
        final long periodNanos = (long) (1e9 / rate);
        thread.scheduleAtFixedRate(this::publishNext, 0, periodNanos, TimeUnit.NANOSECONDS);
        thread.scheduleWithFixedDelay(this::summarize, CountSummary.PERIOD_SECONDS, CountSummary.PERIOD_SECONDS,
                TimeUnit.SECONDS);
        LOG.info("{} on node {}: publishing MarketData for {} at {}/s", SERVICE, context.nodeName(), symbols, rate);
    }

    /** Stops publishing; nothing is published after this returns. */
    @Deactivate
    void stop() {
        ServiceThreads.stop(thread, SERVICE);
        LOG.info("{}: stopped after {} MarketData", SERVICE, published.get());
    }

    private void publishNext() {
        final int index = next;
        next = (index + 1) % symbols.size();
        final double last = prices[index] * (1 + (random.nextDouble() - 0.5) * 0.002);
        prices[index] = last;
        final double spread = last * 0.0005;
        final MarketData data = new MarketData(symbols.get(index), last - spread, last + spread, last,
                1 + random.nextInt(100), System.currentTimeMillis() * 1_000_000L);
        try {
            bus.publish(data);
        } catch (final RuntimeException e) {
            // a scheduled task that throws is never run again: log and keep the feed going
            LOG.warn("{}: publishing {} failed: {}", SERVICE, data, e.toString());
            return;
        }
        published.incrementAndGet();
    }

    private void summarize() {
        final String line = summary.next(System.nanoTime());
        if (line != null) {
            LOG.info("{}: published {}", SERVICE, line);
        }
    }

    /**
     * @param symbols configured symbols
     * @return the symbols, checked
     * @throws ConfigurationException naming the bad symbol
     */
    static List<String> checkedSymbols(final String[] symbols) {
        if (symbols == null || symbols.length == 0) {
            throw new ConfigurationException(SERVICE + ": 'symbols' is empty; configure at least one symbol");
        }
        for (final String symbol : symbols) {
            if (symbol == null || symbol.isBlank()
                    || symbol.getBytes(StandardCharsets.UTF_8).length > SYMBOL_MAX_BYTES) {
                throw new ConfigurationException(SERVICE + ": symbol '" + symbol + "' must be 1.." + SYMBOL_MAX_BYTES
                        + " UTF-8 bytes; fix 'symbols' of PID io.mycelium.examples.services.MarketFeed");
            }
        }
        return List.of(symbols);
    }
}
