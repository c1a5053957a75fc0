package io.mycelium.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A contracts file, schema digest or message layout is invalid or does not match its peer.
 */
@ProviderType
public class SchemaException extends MyceliumException {

    private static final long serialVersionUID = 1L;

    /** @param message what was wrong, where, and how to fix it */
    public SchemaException(final String message) {
        super(message);
    }

    /**
     * @param message what was wrong, where, and how to fix it
     * @param cause   the underlying failure
     */
    public SchemaException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
