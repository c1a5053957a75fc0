package io.mycelium.python.impl.deploy;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Says whether the protocol a deployed Python service imports is there yet: the host starts a service only once it
 * is, so a {@code .py} that FileInstall hands over before the protocol bundle beside it waits instead of failing on
 * import. Implementations are safe for any number of threads.
 */
@FunctionalInterface
public interface ProtocolGate {

    /** Lets every service start (a host that tracks no protocols, tests). */
    ProtocolGate NONE = file -> Optional.empty();

    /**
     * @param file the deployed service ({@code .py}, or a folder or {@code .zip} with {@code __main__.py})
     * @return the protocol package it imports at its top level that is not deployed yet (e.g.
     *         {@code mycelium_protocol_examples}); empty when it may start
     */
    Optional<String> missing(Path file);
}
