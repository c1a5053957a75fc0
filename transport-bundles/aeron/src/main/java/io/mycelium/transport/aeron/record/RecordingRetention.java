package io.mycelium.transport.aeron.record;

import io.mycelium.api.ConfigurationException;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much of a recording the archive keeps: at most {@code maxBytes} of the newest history and nothing older than
 * {@code maxAge} (either may be unbounded). Aeron deletes history only in whole segment files, from the start of a
 * recording ({@code purgeSegments}), and keeps no time per message: the size bound is applied at the last segment
 * boundary that keeps at least {@code maxBytes}, the age bound to segment files whose last write is older than
 * {@code maxAge}; the segment being written is never removed. Immutable.
 *
 * @param maxBytes the newest bytes of history to keep, {@link Long#MAX_VALUE} for no bound
 * @param maxAge   the oldest history to keep, {@link Duration#ZERO} for no bound
 */
public record RecordingRetention(long maxBytes, Duration maxAge) {

    /** Keeps everything (the default). */
    public static final RecordingRetention UNBOUNDED = new RecordingRetention(Long.MAX_VALUE, Duration.ZERO);

    private static final Pattern SIZE = Pattern.compile("([0-9]+)\\s*(B|KiB|MiB|GiB|TiB)");
    private static final Pattern AGE = Pattern.compile("([0-9]+)\\s*(s|m|h|d)");

    /**
     * @throws IllegalArgumentException if a bound is not positive
     */
    public RecordingRetention {
        if (maxBytes <= 0 || maxAge.isNegative()) {
            throw new IllegalArgumentException("retention bounds must be positive: " + maxBytes + " bytes, " + maxAge);
        }
    }

    /**
     * Reads the topology's spelling: a size ({@code "512MiB"}), an age ({@code "24h"}) or both separated by a comma
     * ({@code "24h, 2GiB"}); sizes in B, KiB, MiB, GiB or TiB, ages in s, m, h or d.
     *
     * @param where the file and line, or property, for the message
     * @param text  the value
     * @return the retention
     * @throws ConfigurationException naming {@code where} and the value when it is not one of those forms
     */
    public static RecordingRetention parse(final String where, final String text) {
        long bytes = Long.MAX_VALUE;
        Duration age = Duration.ZERO;
        for (final String part : text.split(",")) {
            final String p = part.trim();
            final Matcher size = SIZE.matcher(p);
            final Matcher time = AGE.matcher(p);
            if (size.matches() && bytes == Long.MAX_VALUE) {
                bytes = Math.multiplyExact(Long.parseLong(size.group(1)), unit(size.group(2)));
            } else if (time.matches() && age.isZero()) {
                age = Duration.ofSeconds(Math.multiplyExact(Long.parseLong(time.group(1)), seconds(time.group(2))));
            } else {
                throw new ConfigurationException(where + ": retention '" + text + "' is not a size, an age or one of"
                        + " each. Fix: write e.g. \"512MiB\", \"24h\" or \"24h, 2GiB\" (sizes in B/KiB/MiB/GiB/TiB,"
                        + " ages in s/m/h/d, both above 0)");
            }
        }
        if (bytes <= 0 || age.isNegative() || (age.isZero() && text.matches(".*\\b0+\\s*[smhd]\\b.*"))) {
            throw new ConfigurationException(where + ": retention '" + text + "' must be above 0");
        }
        return new RecordingRetention(bytes, age);
    }

    /** Returns whether nothing is ever removed. */
    public boolean isUnbounded() {
        return maxBytes == Long.MAX_VALUE && maxAge.isZero();
    }

    @Override
    public String toString() {
        if (isUnbounded()) {
            return "keep everything";
        }
        return (maxBytes == Long.MAX_VALUE ? "" : "newest " + maxBytes + " bytes")
                + (maxBytes != Long.MAX_VALUE && !maxAge.isZero() ? ", " : "")
                + (maxAge.isZero() ? "" : "younger than " + maxAge.toString().substring(2).toLowerCase(Locale.ROOT));
    }

    private static long unit(final String unit) {
        return switch (unit) {
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            case "TiB" -> 1L << 40;
            default -> 1L;
        };
    }

    private static long seconds(final String unit) {
        return switch (unit) {
            case "m" -> 60L;
            case "h" -> 3_600L;
            case "d" -> 86_400L;
            default -> 1L;
        };
    }
}
