package io.mycelium.logging.impl;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.event.Level;

/** Records the bridged lines for assertions; every level is enabled. */
final class CapturingSink implements LineSink {

    /** One line. */
    record Line(String logger, Level level, String message, Throwable cause) { }

    final List<Line> lines = new CopyOnWriteArrayList<>();

    @Override
    public boolean enabled(final String logger, final Level level) {
        return true;
    }

    @Override
    public void write(final String logger, final Level level, final String message, final Throwable cause) {
        lines.add(new Line(logger, level, message, cause));
    }

    List<String> messages() {
        return lines.stream().map(Line::message).toList();
    }
}
