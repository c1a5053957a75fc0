package io.mycelium.console.impl.model;

import java.util.Objects;

/**
 * One Python service. Immutable.
 *
 * @param name               the service name (the deployed file's name without extension; {@code python} for
 *                           code not started from {@code deploy/})
 * @param file               the deployed file, or the empty string
 * @param state              {@code running}, {@code finished}, {@code exited(n)}, {@code failed}, {@code stopped},
 *                           {@code stuck}, {@code left-behind} or {@code held: <reason>}
 * @param sinceMillis        when it entered its state or was started (epoch milliseconds), or -1 when unknown
 * @param callbacks          callbacks run (messages handed to its callbacks)
 * @param callbacksPerSecond callbacks per second
 * @param errors             exceptions raised at import or in callbacks
 * @param lastTraceback      the traceback of the last such exception, or the empty string
 * @param subscriptions      open subscriptions
 * @param dropped            messages dropped because its dispatcher queue was full
 * @param queueDepth         bytes waiting in its dispatcher queue now (a ring of bytes: 16 bytes of header plus
 *                           the payload per message)
 * @param queueCapacity      its dispatcher queue's size in bytes, or -1 when unknown
 */
public record PythonServiceRow(String name, String file, String state, long sinceMillis, long callbacks,
        double callbacksPerSecond, long errors, String lastTraceback, int subscriptions, long dropped, int queueDepth,
        int queueCapacity) {

    /** Checks the components. */
    public PythonServiceRow {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastTraceback, "lastTraceback");
    }

    /** @return whether the service is in error: failed, exited with a non-zero status, stuck or left behind */
    public boolean inError() {
        return state.equals("failed") || state.startsWith("exited(") && !state.equals("exited(0)")
                || state.equals("stuck") || state.equals("left-behind");
    }
}
