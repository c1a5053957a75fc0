package io.mycelium.bus.impl;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the bus's log lines for assertions. */
final class CapturingLogSink implements LogSink {

    /** One line. */
    record Line(String level, String message, Throwable cause) { }

    final List<Line> lines = new CopyOnWriteArrayList<>();

    @Override
    public void info(final String message) {
        lines.add(new Line("INFO", message, null));
    }

    @Override
    public void warn(final String message, final Throwable cause) {
        lines.add(new Line("WARN", message, cause));
    }

    List<Line> warnings() {
        return lines.stream().filter(l -> l.level().equals("WARN")).toList();
    }
}
