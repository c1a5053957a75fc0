package io.mycelium.examples.services;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns {@link TypeCounters} into the periodic summary an example service logs instead of a line per message:
 * {@code MarketData count=1234 (+100, 10.0/s), TradeSignal count=7 (+2, 0.2/s) in the last 10.0 s}, naming only
 * the counts that changed since the previous summary. Confined to the one thread that calls {@link #next}.
 */
final class CountSummary {

    /** How often the example services summarise: often enough to see them work, rare enough not to drown the log. */
    static final long PERIOD_SECONDS = 10;

    private final TypeCounters counters;
    private final Map<String, Long> previous = new LinkedHashMap<>();
    private long previousNanos;

    /**
     * @param counters the counters summarised
     * @param nowNanos the start of the first period, from {@link System#nanoTime()}
     */
    CountSummary(final TypeCounters counters, final long nowNanos) {
        this.counters = counters;
        this.previousNanos = nowNanos;
    }

    /**
     * Ends the current period.
     *
     * @param nowNanos now, from {@link System#nanoTime()}
     * @return the summary of the period that ended, or {@code null} when no count changed in it (nothing to say)
     */
    String next(final long nowNanos) {
        final double seconds = Math.max(1e-3, (nowNanos - previousNanos) / 1e9);
        previousNanos = nowNanos;
        final StringBuilder text = new StringBuilder();
        counters.snapshot().forEach((name, count) -> {
            final long delta = count - previous.getOrDefault(name, 0L);
            if (delta != 0) {
                previous.put(name, count);
                text.append(text.length() == 0 ? "" : ", ").append(name).append(" count=").append(count)
                        .append(" (+").append(delta).append(", ")
                        .append(String.format(Locale.ROOT, "%.1f", delta / seconds)).append("/s)");
            }
        });
        return text.length() == 0 ? null
                : text.append(String.format(Locale.ROOT, " in the last %.1f s", seconds)).toString();
    }
}
