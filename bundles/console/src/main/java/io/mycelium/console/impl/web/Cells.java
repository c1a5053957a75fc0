package io.mycelium.console.impl.web;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Formats the model's figures as the page shows them, the same in HTML and JSON: counts with thousands separators,
 * rates with one decimal, {@code -1} (the model's "unknown") as {@code n/a}. Stateless.
 */
final class Cells {

    /** What an unknown figure reads as. */
    static final String UNKNOWN = "n/a";

    private Cells() {
    }

    /** @param value a count, or -1 when unknown @return e.g. {@code 12,345} */
    static String count(final long value) {
        return value < 0 ? UNKNOWN : String.format(Locale.ROOT, "%,d", value);
    }

    /** @param perSecond a rate, negative when unknown @return e.g. {@code 1,234.5} */
    static String rate(final double perSecond) {
        return perSecond < 0 ? UNKNOWN : String.format(Locale.ROOT, "%,.1f", perSecond);
    }

    /** @param millis a duration in milliseconds, negative when unknown @return e.g. {@code 0.42} */
    static String millis(final double millis) {
        return millis < 0 ? UNKNOWN : String.format(Locale.ROOT, "%.2f", millis);
    }

    /** @param epochMillis an instant, negative when unknown @return ISO-8601 to the second, or empty */
    static String instant(final long epochMillis) {
        return epochMillis < 0 ? "" : Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** @param millis an uptime @return e.g. {@code 2 h 03 min 04 s} */
    static String uptime(final long millis) {
        final long seconds = Math.max(millis, 0) / 1000;
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min %02d s", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    /** @param counts counts by name @return {@code name=count} pairs, comma-separated, in map order */
    static String counts(final Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + "=" + count(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    /** @param flag a flag @return {@code yes} or the empty string */
    static String yes(final boolean flag) {
        return flag ? "yes" : "";
    }
}
