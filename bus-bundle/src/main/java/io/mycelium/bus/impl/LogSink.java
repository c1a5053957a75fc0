package io.mycelium.bus.impl;

/**
 * Where the bus writes its log lines; safe for any thread. Tests substitute a capturing sink.
 */
interface LogSink {

    /** @param message an informational line */
    void info(String message);

    /**
     * @param message what went wrong and what the bus did about it
     * @param cause   the failure, or {@code null}
     */
    void warn(String message, Throwable cause);
}
