package io.mycelium.logging.impl;

import org.slf4j.event.Level;

/** Where the bridges write: slf4j in the node, a capturing sink in tests. Safe for any thread. */
interface LineSink {

    /**
     * @param logger the logger name
     * @param level  the level
     * @return whether a line of that logger and level would be written (so a bridge may skip formatting it)
     */
    boolean enabled(String logger, Level level);

    /**
     * Writes one line.
     *
     * @param logger  the logger name
     * @param level   the level
     * @param message the message
     * @param cause   the exception to print with it, or {@code null}
     */
    void write(String logger, Level level, String message, Throwable cause);
}
