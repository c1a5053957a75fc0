package io.mycelium.bus.impl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the bus's log lines to SLF4J under the logger {@code io.mycelium.bus}; safe for any thread.
 */
final class Slf4jLogSink implements LogSink {

    private final Logger logger = LoggerFactory.getLogger("io.mycelium.bus");

    @Override
    public void info(final String message) {
        logger.info(message);
    }

    @Override
    public void warn(final String message, final Throwable cause) {
        logger.warn(message, cause);
    }
}
