package io.mycelium.container;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;

import org.apache.felix.framework.Logger;

/**
 * Writes the launcher's own log lines, and the framework's (it is the {@code felix.log.logger} of the node), in the
 * node's one line format: the format slf4j-simple gives every bundle, read from the same
 * {@code org.slf4j.simpleLogger.*} system properties that {@code bin/mycelium} sets, e.g.
 * {@code 2026-11-24T10:56:38.123 [main] ERROR framework - message}. The launcher cannot use slf4j itself: slf4j is a
 * bundle, and the launcher's class path is the framework alone. READY and STOPPED are not log lines: they stay plain
 * on standard output for scripts.
 *
 * <p>Safe for any thread: each line, stack trace included, is written with one call.
 */
final class LogLine {

    /** Logger name of the framework's own messages. */
    static final String FRAMEWORK = "org.apache.felix.framework";
    /** Logger name of the launcher's messages. */
    static final String LAUNCHER = "io.mycelium.container";
    private static final String[] FELIX_LEVELS = {"ERROR", "ERROR", "WARN", "INFO", "DEBUG"};

    private final String loggerName;
    private final PrintStream out;

    /**
     * @param loggerName the logger name (shown as its last segment when {@code showShortLogName} is set)
     * @param out        where lines go: standard error, like slf4j-simple's
     */
    LogLine(final String loggerName, final PrintStream out) {
        this.loggerName = loggerName;
        this.out = out;
    }

    /** @return the launcher's lines, on standard error */
    static LogLine launcher() {
        return new LogLine(LAUNCHER, System.err);
    }

    /**
     * @param out where lines go
     * @return the framework's logger ({@code felix.log.logger}): the messages {@code felix.log.level} lets through,
     *     as {@link #FRAMEWORK} lines instead of Felix's own {@code "ERROR: ..."} on standard output
     */
    static Logger framework(final PrintStream out) {
        final LogLine line = new LogLine(FRAMEWORK, out);
        return new Logger() {
            @Override
            protected void doLog(final int level, final String message, final Throwable error) {
                line.log(level, message, error);
            }
        };
    }

    /**
     * Writes one line of a level numbered as the framework numbers them.
     *
     * @param level   1 error, 2 warning, 3 info, 4 debug
     * @param message the message
     * @param error   the exception, or {@code null}
     */
    void log(final int level, final String message, final Throwable error) {
        write(level >= 0 && level < FELIX_LEVELS.length ? FELIX_LEVELS[level] : "INFO", message, error);
    }

    /**
     * @param message an error of the launcher
     * @param error   the exception, or {@code null}
     */
    void error(final String message, final Throwable error) {
        write("ERROR", message, error);
    }

    private void write(final String level, final String message, final Throwable error) {
        out.print(format(level, message, error, Thread.currentThread().getName(), new Date()));
        out.flush();
    }

    /**
     * @return one line as slf4j-simple writes it under the current {@code org.slf4j.simpleLogger.*} properties,
     *     followed by the stack trace if any
     */
    String format(final String level, final String message, final Throwable error, final String thread,
                  final Date time) {
        final StringBuilder line = new StringBuilder(64);
        if (flag("showDateTime", false)) {
            final String pattern = System.getProperty("org.slf4j.simpleLogger.dateTimeFormat");
            if (pattern != null) {
                line.append(new SimpleDateFormat(pattern, Locale.ROOT).format(time)).append(' ');
            }
        }
        if (flag("showThreadName", true)) {
            line.append('[').append(thread).append("] ");
        }
        final boolean brackets = flag("levelInBrackets", false);
        line.append(brackets ? "[" : "").append(level).append(brackets ? "] " : " ");
        if (flag("showShortLogName", false)) {
            line.append(loggerName.substring(loggerName.lastIndexOf('.') + 1)).append(" - ");
        } else if (flag("showLogName", true)) {
            line.append(loggerName).append(" - ");
        }
        line.append(message).append(System.lineSeparator());
        if (error != null) {
            final StringWriter trace = new StringWriter();
            try (PrintWriter writer = new PrintWriter(trace)) {
                error.printStackTrace(writer);
            }
            line.append(trace);
        }
        return line.toString();
    }

    private static boolean flag(final String name, final boolean defaultValue) {
        final String value = System.getProperty("org.slf4j.simpleLogger." + name);
        return value == null ? defaultValue : Boolean.parseBoolean(value.trim());
    }
}
