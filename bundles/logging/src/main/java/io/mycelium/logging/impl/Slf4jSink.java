package io.mycelium.logging.impl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** Writes the bridged lines through slf4j, so they get the node's one format and levels. Safe for any thread. */
final class Slf4jSink implements LineSink {

    @Override
    public boolean enabled(final String logger, final Level level) {
        return LoggerFactory.getLogger(logger).isEnabledForLevel(level);
    }

    @Override
    public void write(final String logger, final Level level, final String message, final Throwable cause) {
        final Logger target = LoggerFactory.getLogger(logger);
        switch (level) {
            case ERROR -> target.error(message, cause);
            case WARN -> target.warn(message, cause);
            case INFO -> target.info(message, cause);
            case DEBUG -> target.debug(message, cause);
            default -> target.trace(message, cause);
        }
    }
}
