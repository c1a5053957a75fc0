package io.mycelium.api.request;

import io.mycelium.api.MyceliumException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * No response with the request's correlation id arrived within the timeout of a {@link RequestClient} request.
 */
@ProviderType
public class RequestTimeoutException extends MyceliumException {

    private static final long serialVersionUID = 1L;

    /** @param message which request timed out, after how long, and what to check */
    public RequestTimeoutException(final String message) {
        super(message);
    }
}
