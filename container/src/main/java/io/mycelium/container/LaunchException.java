package io.mycelium.container;

/**
 * The node cannot start or run (port in use, unreadable file, bundle that fails to start): the launcher prints the
 * one-line message and exits with status 1.
 */
final class LaunchException extends Exception {

    private static final long serialVersionUID = 1L;

    LaunchException(final String message) {
        super(message);
    }

    LaunchException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
