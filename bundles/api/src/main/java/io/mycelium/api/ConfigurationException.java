package io.mycelium.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A configuration file or option (topology, {@code .cfg}, command line) is invalid.
 */
@ProviderType
public class ConfigurationException extends MyceliumException {

    private static final long serialVersionUID = 1L;

    /** @param message what was wrong, where, and how to fix it */
    public ConfigurationException(final String message) {
        super(message);
    }

    /**
     * @param message what was wrong, where, and how to fix it
     * @param cause   the underlying failure
     */
    public ConfigurationException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
