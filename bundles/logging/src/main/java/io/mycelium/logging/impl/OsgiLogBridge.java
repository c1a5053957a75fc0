package io.mycelium.logging.impl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.osgi.framework.Bundle;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.event.Level;

/**
 * Carries the entries of one OSGi Log service into slf4j: what SCR (a component whose activate throws), FileInstall
 * and the Web Console log there, which the Log service stores but never prints. Each entry becomes one line of the
 * logger named after the bundle it is about, at its level, with its exception.
 *
 * <p>{@link #start(LogReaderService)} also writes the entries logged before the bridge came up (the Log service's
 * history), each once even when it arrives live as well. The Log service's echo of bundle, service and framework
 * events (loggers {@code Events.*}) goes to DEBUG: the framework prints its own errors ({@code felix.log.level}).
 *
 * <p>{@link #logged(LogEntry)} is called by the Log service's listener thread; {@link #start(LogReaderService)} and
 * {@link #stop()} once each, by the thread that tracks the Log service.
 */
final class OsgiLogBridge implements LogListener {

    /** Logger name of entries without a bundle. */
    static final String NO_BUNDLE = "osgi";
    private static final String EVENTS = "Events.";

    private final LineSink sink;
    private LogReaderService reader;
    private final Object lock = new Object();
    /** Whether the history was written; guarded by {@link #lock}. */
    private boolean replayed;
    /** Live entries that arrived before the history was written; guarded by {@link #lock}. */
    private final List<LogEntry> early = new ArrayList<>();
    /** Sequences of written history entries that may still arrive live; guarded by {@link #lock}. */
    private final Set<Long> fromHistory = new HashSet<>();

    OsgiLogBridge(final LineSink sink) {
        this.sink = sink;
    }

    /**
     * Listens to a Log service and writes its history.
     *
     * @param reader the Log service's reader
     */
    void start(final LogReaderService reader) {
        this.reader = reader;
        reader.addLogListener(this); // first, so nothing logged between the two calls is missed
        replay(Collections.list(reader.getLog()));
    }

    /** Stops listening to the Log service given to {@link #start(LogReaderService)}. */
    void stop() {
        reader.removeLogListener(this);
    }

    /**
     * Writes the history once, oldest first, with the live entries that arrived meanwhile; later live deliveries of
     * these entries are skipped.
     *
     * @param history the Log service's stored entries (most recent first, as {@code getLog()} returns them)
     */
    void replay(final List<LogEntry> history) {
        synchronized (lock) {
            final Map<Long, LogEntry> bySequence = new TreeMap<>();
            for (final LogEntry entry : history) {
                bySequence.put(entry.getSequence(), entry);
                fromHistory.add(entry.getSequence());
            }
            for (final LogEntry entry : early) {
                bySequence.put(entry.getSequence(), entry);
                fromHistory.remove(entry.getSequence()); // already delivered live: it will not come again
            }
            early.clear();
            bySequence.values().forEach(this::write);
            replayed = true;
        }
    }

    @Override
    public void logged(final LogEntry entry) {
        synchronized (lock) {
            if (!replayed) {
                early.add(entry);
                return;
            }
            if (!fromHistory.isEmpty() && fromHistory.remove(entry.getSequence())) {
                return; // written with the history
            }
        }
        write(entry);
    }

    private void write(final LogEntry entry) {
        final String logger = loggerName(entry.getBundle());
        final Level level = level(entry);
        if (sink.enabled(logger, level)) {
            sink.write(logger, level, entry.getMessage(), entry.getException());
        }
    }

    /**
     * @param bundle the bundle an entry is about, or {@code null}
     * @return the slf4j logger name: the bundle's symbolic name
     */
    static String loggerName(final Bundle bundle) {
        if (bundle == null) {
            return NO_BUNDLE;
        }
        final String name = bundle.getSymbolicName();
        return name == null ? NO_BUNDLE : name;
    }

    /**
     * @param entry a Log service entry
     * @return its slf4j level: the same level (AUDIT, which the Log service always records, as INFO); DEBUG for the
     *     Log service's echo of framework events
     */
    static Level level(final LogEntry entry) {
        final String name = entry.getLoggerName();
        if (name != null && name.startsWith(EVENTS)) {
            return Level.DEBUG;
        }
        return switch (entry.getLogLevel()) {
            case ERROR -> Level.ERROR;
            case WARN -> Level.WARN;
            case INFO, AUDIT -> Level.INFO;
            case DEBUG -> Level.DEBUG;
            default -> Level.TRACE;
        };
    }
}
