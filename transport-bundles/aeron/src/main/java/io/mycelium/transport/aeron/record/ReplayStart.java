package io.mycelium.transport.aeron.record;

import io.mycelium.api.ConfigurationException;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a subscriber that has <b>no checkpoint</b> in a peer's recording starts ({@value #PROPERTY}): all retained
 * history ({@code all}, the default), only what is published from now on ({@code live}), or what was published
 * since a time, written as an age ({@code 90s}, {@code 5m}, {@code 2h}, {@code 1d}: before this node asked) or an
 * ISO-8601 instant ({@code 2026-12-05T07:00:00Z}). A node that has a checkpoint always resumes there: the setting
 * is for the first join, not for restarts. Immutable.
 *
 * @param kind    which of the three
 * @param age     the age, for {@link Kind#AGE}
 * @param instant the instant, for {@link Kind#INSTANT}
 * @param text    as written, for messages
 */
public record ReplayStart(Kind kind, Duration age, Instant instant, String text) {

    /** The framework property ({@code etc/config.properties}, or {@code -D} in {@code MYCELIUM_JAVA_OPTS}). */
    public static final String PROPERTY = "mycelium.aeron.replay.from";
    /** All retained history: the default. */
    public static final ReplayStart ALL = new ReplayStart(Kind.ALL, Duration.ZERO, Instant.EPOCH, "all");
    private static final Pattern AGE = Pattern.compile("(\\d{1,9})\\s*([smhd])");

    /** What the setting names. */
    public enum Kind {
        /** All retained history. */
        ALL,
        /** Nothing before the moment the node joins. */
        LIVE,
        /** What was published within an age before the node joins. */
        AGE,
        /** What was published at or after an instant. */
        INSTANT
    }

    /**
     * Reads a setting.
     *
     * @param where where it was written, for the error
     * @param text  the value; blank means {@link #ALL}
     * @return the start
     * @throws ConfigurationException naming where, the value and what is accepted
     */
    public static ReplayStart parse(final String where, final String text) {
        final String value = text == null ? "" : text.trim();
        final String lower = value.toLowerCase(Locale.ROOT);
        if (value.isEmpty() || lower.equals("all")) {
            return ALL;
        }
        if (lower.equals("live") || lower.equals("now")) {
            return new ReplayStart(Kind.LIVE, Duration.ZERO, Instant.EPOCH, value);
        }
        final Matcher age = AGE.matcher(lower);
        if (age.matches() && Long.parseLong(age.group(1)) > 0) {
            final long n = Long.parseLong(age.group(1));
            final Duration d = switch (age.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return new ReplayStart(Kind.AGE, d, Instant.EPOCH, value);
        }
        try {
            return new ReplayStart(Kind.INSTANT, Duration.ZERO, Instant.parse(value), value);
        } catch (final DateTimeParseException e) {
            throw new ConfigurationException(where + ": " + PROPERTY + " = '" + value + "' is not a replay start;"
                    + " write all (every retained message, the default), live (nothing from before), an age such"
                    + " as 90s, 5m, 2h or 1d, or an ISO-8601 instant such as 2026-12-05T07:00:00Z");
        }
    }

    /**
     * @param nowMs the current time, epoch milliseconds
     * @return the earliest publish time (epoch ms) to deliver, {@link Long#MIN_VALUE} for everything
     */
    public long sinceEpochMillis(final long nowMs) {
        return switch (kind) {
            case ALL -> Long.MIN_VALUE;
            case LIVE -> nowMs;
            case AGE -> nowMs - age.toMillis();
            case INSTANT -> instant.toEpochMilli();
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
