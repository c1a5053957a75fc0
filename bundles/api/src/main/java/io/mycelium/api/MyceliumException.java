package io.mycelium.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The unchecked base of every exception Mycelium throws at a boundary (configuration, schema, link, Python).
 */
@ProviderType
public class MyceliumException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what was wrong, where, and how to fix it */
    public MyceliumException(final String message) {
        super(message);
    }

    /**
     * @param message what was wrong, where, and how to fix it
     * @param cause   the underlying failure
     */
    public MyceliumException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
