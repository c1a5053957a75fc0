package io.mycelium.topology.impl;

import java.util.ArrayList;
import java.util.List;

import io.mycelium.api.ConfigurationException;

import org.tomlj.TomlPosition;

/**
 * Collects the problems found in one topology file, each as {@code file:line: what was wrong. Fix: how}, so a user
 * sees every mistake at once. Single-threaded: one instance per parse.
 */
final class TopologyErrors {

    private final String source;
    private final List<String> messages = new ArrayList<>();

    /** @param source the file name used as the prefix of every message */
    TopologyErrors(final String source) {
        this.source = source;
    }

    /**
     * Records a problem.
     *
     * @param position where it is, or null when the file has no position for it (then no line is printed)
     * @param what     what was wrong, naming the node and service
     * @param fix      how to fix it
     */
    void add(final TomlPosition position, final String what, final String fix) {
        messages.add(where(position) + what + ". Fix: " + fix);
    }

    /** @return the prefix {@code file:line: } (or {@code file: } without a position) */
    String where(final TomlPosition position) {
        return position == null ? source + ": " : source + ":" + position.line() + ": ";
    }

    /** @return how many problems were recorded */
    int size() {
        return messages.size();
    }

    /**
     * Throws when something was recorded.
     *
     * @throws ConfigurationException with one message per line, led by a count when there are several
     */
    void throwIfAny() {
        if (messages.isEmpty()) {
            return;
        }
        if (messages.size() == 1) {
            throw new ConfigurationException(messages.get(0));
        }
        throw new ConfigurationException(source + " has " + messages.size() + " errors:\n  "
                + String.join("\n  ", messages));
    }
}
