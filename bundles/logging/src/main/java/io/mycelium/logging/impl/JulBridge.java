package io.mycelium.logging.impl;

import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.slf4j.event.Level;

/**
 * Carries {@code java.util.logging} records, and so {@code System.Logger} lines (whose default backend is
 * {@code java.util.logging}), into slf4j under their logger name. {@link #install()} makes it the only handler of
 * the root logger, so no record is printed a second time in {@code java.util.logging}'s own format;
 * {@link #uninstall()} puts the previous handlers back.
 *
 * <p>{@link #publish(LogRecord)} is called by any logging thread; install and uninstall by the bundle's activator.
 */
final class JulBridge extends Handler {

    /** Logger name of records without one. */
    static final String NO_NAME = "jul";
    /** Formats a record's message: parameters and resource bundles, as {@code java.util.logging} would. */
    private static final Formatter MESSAGES = new Formatter() {
        @Override
        public String format(final LogRecord record) {
            return formatMessage(record);
        }
    };

    private final LineSink sink;
    private List<Handler> replaced = List.of();

    JulBridge(final LineSink sink) {
        this.sink = sink;
    }

    /** Replaces the root logger's handlers with this bridge. */
    void install() {
        final Logger root = Logger.getLogger("");
        replaced = List.of(root.getHandlers());
        for (final Handler handler : replaced) {
            root.removeHandler(handler);
        }
        root.addHandler(this);
    }

    /** Removes this bridge and restores the handlers it replaced. */
    void uninstall() {
        final Logger root = Logger.getLogger("");
        root.removeHandler(this);
        for (final Handler handler : replaced) {
            root.addHandler(handler);
        }
        replaced = List.of();
    }

    @Override
    public void publish(final LogRecord record) {
        if (record == null) {
            return;
        }
        final String logger = record.getLoggerName() == null ? NO_NAME : record.getLoggerName();
        final Level level = level(record.getLevel());
        if (sink.enabled(logger, level)) {
            sink.write(logger, level, MESSAGES.formatMessage(record), record.getThrown());
        }
    }

    /**
     * @param level a {@code java.util.logging} level
     * @return its slf4j level: SEVERE is ERROR, WARNING is WARN, INFO is INFO, CONFIG and FINE are DEBUG, finer TRACE
     */
    static Level level(final java.util.logging.Level level) {
        final int value = level.intValue();
        if (value >= java.util.logging.Level.SEVERE.intValue()) {
            return Level.ERROR;
        }
        if (value >= java.util.logging.Level.WARNING.intValue()) {
            return Level.WARN;
        }
        if (value >= java.util.logging.Level.INFO.intValue()) {
            return Level.INFO;
        }
        if (value >= java.util.logging.Level.FINE.intValue()) {
            return Level.DEBUG;
        }
        return Level.TRACE;
    }

    @Override
    public void flush() {
        // slf4j writes each line as it comes
    }

    @Override
    public void close() {
        // nothing held
    }
}
