package io.mycelium.container;

/**
 * The command line is wrong: the launcher prints the message and the usage text and exits with status 2.
 */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(final String message) {
        super(message);
    }
}
