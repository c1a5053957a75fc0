package io.mycelium.python.impl.dispatch;

/**
 * Which occurrences of a repeated event get a log line: the first {@value #ALWAYS}, then the powers of two, so a
 * failure on every message stays visible without flooding the log. Stateless.
 */
public final class LogSampling {

    /** Occurrences that are always logged. */
    public static final long ALWAYS = 10;

    private LogSampling() {
    }

    /**
     * @param count the occurrence number, from 1
     * @return whether to log it
     */
    public static boolean shouldLog(final long count) {
        return count <= ALWAYS || Long.bitCount(count) == 1;
    }
}
